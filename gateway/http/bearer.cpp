#include "gateway/http/bearer.hpp"

#include "engine/auth/token.hpp"

namespace baton::gateway {
namespace {

constexpr std::string_view prefix = "Bearer ";

/// What follows `Bearer `, or nothing when the scheme is another.
std::optional<std::string_view> credential_of(std::string_view header) {
  if (header.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  return header.substr(prefix.size());
}

} // namespace

std::optional<std::string> bearer_supervisor(const engine::config::config& cfg,
                                             std::string_view header,
                                             std::int64_t now_unix_s) {
  constexpr auto role = engine::role::supervisor;
  auto credential = credential_of(header);
  if (!credential)
    return std::nullopt;
  auto valid = [&](std::string_view user, std::string_view token) {
    return engine::auth::verify(cfg.auth.secret, role, user, token, now_unix_s)
           == engine::auth::verify_result::ok;
  };
  auto is_supervisor = [&](std::string_view user) {
    const auto* a = cfg.find_agent(user);
    return a != nullptr && a->has_role(engine::config::staff_role::supervisor);
  };
  if (auto colon = credential->find(':'); colon != std::string_view::npos) {
    auto user = credential->substr(0, colon);
    if (is_supervisor(user) && valid(user, credential->substr(colon + 1)))
      return std::string{user};
    return std::nullopt;
  }
  for (const auto& a : cfg.agents)
    if (a.has_role(engine::config::staff_role::supervisor)
        && valid(a.id, *credential))
      return a.id;
  return std::nullopt;
}

std::optional<std::string> bearer_service(const engine::config::config& cfg,
                                          std::string_view header,
                                          std::int64_t now_unix_s) {
  auto credential = credential_of(header);
  if (!credential)
    return std::nullopt;
  auto colon = credential->find(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  auto user = credential->substr(0, colon);
  auto ok = engine::auth::verify(cfg.auth.secret, engine::role::service, user,
                                 credential->substr(colon + 1), now_unix_s)
            == engine::auth::verify_result::ok;
  return ok ? std::optional<std::string>{user} : std::nullopt;
}

} // namespace baton::gateway
