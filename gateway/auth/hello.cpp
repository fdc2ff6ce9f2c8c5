#include "gateway/auth/hello.hpp"

#include <algorithm>
#include <charconv>

#include "engine/auth/token.hpp"

namespace baton::gateway {
namespace {

using engine::role;
using engine::config::staff_role;

hello_refused refuse(std::string why) {
  return {std::move(why)};
}

/// Agents and supervisors must be on the roster, with a matching role.
const engine::config::agent* staff_member(const engine::config::config& cfg,
                                          role r, const std::string& user) {
  const auto* member = cfg.find_agent(user);
  if (member == nullptr)
    return nullptr;
  bool fits = r == role::supervisor
                ? member->has_role(staff_role::supervisor)
                : member->has_role(staff_role::agent)
                    || member->has_role(staff_role::manager);
  return fits ? member : nullptr;
}

} // namespace

hello_outcome authenticate(const engine::config::config& cfg,
                           const hello_request& hello, std::int64_t now_s,
                           const std::function<std::string()>& visitor_id) {
  const auto& secret = cfg.auth.secret;
  // Services call the HTTP API; over WebSocket they would be a role with no
  // verbs of its own.
  if (hello.role == role::service)
    return refuse("role service is for the HTTP API, not for sessions");
  if (hello.user.empty()) {
    if (hello.role != role::customer || !cfg.auth.allow_anonymous_customers)
      return refuse("a user and a token are required");
    auto id = visitor_id();
    return hello_accepted{{id, role::customer,
                           hello.name.empty() ? id : hello.name},
                          engine::auth::sign(secret, role::customer, id,
                                             now_s + resume_token_ttl_s),
                          std::nullopt,
                          true};
  }
  switch (
    engine::auth::verify(secret, hello.role, hello.user, hello.token, now_s)) {
    case engine::auth::verify_result::ok:
      break;
    case engine::auth::verify_result::expired:
      return refuse("the token has expired");
    case engine::auth::verify_result::malformed:
      return refuse("the token is malformed");
    case engine::auth::verify_result::bad_signature:
      return refuse("the token is not valid for this role and user");
  }
  std::string name = hello.name;
  if (engine::is_staff(hello.role)) {
    const auto* member = staff_member(cfg, hello.role, hello.user);
    if (member == nullptr)
      return refuse("not configured as " + std::string{to_string(hello.role)});
    // Staff are who the roster says: customers read this name.
    name = member->name;
  }
  return hello_accepted{
    {hello.user, hello.role, name.empty() ? hello.user : name},
    std::nullopt,
    token_expiry(hello.token),
    hello.role == role::customer && hello.user.starts_with(visitor_prefix)};
}

std::optional<std::int64_t> token_expiry(std::string_view token) {
  constexpr std::int64_t end_of_9999 = 253'402'300'799;
  auto dot = token.find('.');
  if (dot == std::string_view::npos)
    return std::nullopt;
  auto exp_text = token.substr(0, dot);
  std::int64_t exp = 0;
  auto [end, ec] = std::from_chars(exp_text.data(),
                                   exp_text.data() + exp_text.size(), exp);
  if (exp_text.empty() || ec != std::errc{}
      || end != exp_text.data() + exp_text.size() || exp < 0)
    return std::nullopt;
  return std::min(exp, end_of_9999);
}

std::variant<std::int64_t, hello_refused>
refresh(const engine::config::config& cfg, const actors::caller& who,
        const std::string& token, std::int64_t now_s) {
  using engine::auth::verify_result;
  switch (
    engine::auth::verify(cfg.auth.secret, who.role, who.user, token, now_s)) {
    case verify_result::ok:
      break;
    case verify_result::expired:
      return refuse("the token has expired");
    case verify_result::malformed:
      return refuse("the token is malformed");
    case verify_result::bad_signature:
      return refuse("the token is not valid for this role and user");
  }
  // Staff must still be on the roster to stay.
  if (engine::is_staff(who.role)
      && staff_member(cfg, who.role, who.user) == nullptr)
    return refuse("not configured as " + std::string{to_string(who.role)});
  return *token_expiry(token);
}

bool still_on_roster(const engine::config::config& cfg,
                     const actors::caller& who) {
  if (!engine::is_staff(who.role))
    return true;
  return staff_member(cfg, who.role, who.user) != nullptr;
}

} // namespace baton::gateway
