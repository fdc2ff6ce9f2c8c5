#include "gateway/http/bearer.hpp"

#include <algorithm>

#include "engine/auth/token.hpp"

namespace baton::gateway {
namespace {

using engine::auth::verify_result;

/// What follows `Bearer `, or why there is nothing to check.
std::variant<std::string_view, bearer_refusal>
credential_of(std::string_view header) {
  if (header.empty())
    return bearer_refusal::missing;
  auto space = header.find(' ');
  if (header.substr(0, space) != "Bearer")
    return bearer_refusal::not_bearer;
  if (space == std::string_view::npos || space + 1 == header.size())
    return bearer_refusal::malformed;
  return header.substr(space + 1);
}

/// Why a token of `user` is refused, or nothing when it is good. The
/// signature decides before the roster does, so that a forged token reads
/// the same whether its user is configured or not.
std::optional<bearer_refusal> refusal(verify_result r, bool on_roster) {
  switch (r) {
    case verify_result::ok:
      return on_roster ? std::nullopt
                       : std::optional<bearer_refusal>{bearer_refusal::invalid};
    case verify_result::expired:
      return on_roster ? bearer_refusal::expired : bearer_refusal::invalid;
    case verify_result::malformed:
      return bearer_refusal::malformed;
    case verify_result::bad_signature:
      break;
  }
  return bearer_refusal::invalid;
}

/// Only the form of `token`: verify() reads it before any signature, so
/// the key, role and user do not matter.
bool well_formed(std::string_view token) {
  return engine::auth::verify({}, engine::role::service, {}, token, 0)
         != verify_result::malformed;
}

bool is_supervisor(const engine::config::config& cfg, std::string_view user) {
  const auto* a = cfg.find_agent(user);
  return a != nullptr && a->has_role(engine::config::staff_role::supervisor);
}

/// A bare token: the supervisor it was signed for, if any. One remembered
/// costs one signature; the others, one per supervisor, while the guard's
/// budget lasts.
bearer_check bare_supervisor(const engine::config::config& cfg,
                             std::string_view token, std::int64_t now_unix_s,
                             bare_token_guard& guard) {
  constexpr auto role = engine::role::supervisor;
  if (auto user = guard.found_for(token)) {
    if (engine::auth::verify(cfg.auth.secret, role, *user, token, now_unix_s)
          == verify_result::ok
        && is_supervisor(cfg, *user))
      return std::move(*user);
    guard.forget(token); // expired, or the roster or the secret changed
  }
  if (!well_formed(token))
    return bearer_refusal::malformed;
  if (!guard.may_search(now_unix_s))
    return bearer_refusal::busy;
  auto why = bearer_refusal::invalid;
  std::size_t signatures = 0;
  for (const auto& a : cfg.agents) {
    if (!a.has_role(engine::config::staff_role::supervisor))
      continue;
    ++signatures;
    auto r = engine::auth::verify(cfg.auth.secret, role, a.id, token,
                                  now_unix_s);
    if (r == verify_result::ok) {
      guard.searched(now_unix_s, signatures);
      guard.remember(token, a.id);
      return a.id;
    }
    if (r == verify_result::expired) {
      why = bearer_refusal::expired; // its supervisor's: nobody else's
      break;
    }
  }
  guard.searched(now_unix_s, signatures);
  return why;
}

} // namespace

bearer_check check_supervisor(const engine::config::config& cfg,
                              std::string_view header, std::int64_t now_unix_s,
                              bare_token_guard& guard) {
  constexpr auto role = engine::role::supervisor;
  auto credential = credential_of(header);
  if (auto* why = std::get_if<bearer_refusal>(&credential))
    return *why;
  auto text = std::get<std::string_view>(credential);
  if (auto colon = text.find(':'); colon != std::string_view::npos) {
    auto user = text.substr(0, colon);
    if (user.empty())
      return bearer_refusal::malformed;
    auto r = engine::auth::verify(cfg.auth.secret, role, user,
                                  text.substr(colon + 1), now_unix_s);
    if (auto why = refusal(r, is_supervisor(cfg, user)))
      return *why;
    return std::string{user};
  }
  return bare_supervisor(cfg, text, now_unix_s, guard);
}

bearer_check check_service(const engine::config::config& cfg,
                           std::string_view header, std::int64_t now_unix_s) {
  auto credential = credential_of(header);
  if (auto* why = std::get_if<bearer_refusal>(&credential))
    return *why;
  auto text = std::get<std::string_view>(credential);
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return bearer_refusal::malformed; // a service names itself
  auto user = text.substr(0, colon);
  auto r = engine::auth::verify(cfg.auth.secret, engine::role::service, user,
                                text.substr(colon + 1), now_unix_s);
  if (auto why = refusal(r, true))
    return *why;
  return std::string{user};
}

bearer_refusal refusal_of(bearer_refusal a, bearer_refusal b) noexcept {
  return std::max(a, b);
}

} // namespace baton::gateway
