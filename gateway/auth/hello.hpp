#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "actors/api.hpp"
#include "engine/config/config.hpp"
#include "gateway/codec/decode.hpp"

namespace baton::gateway {

/// How long the `resume_token` of an anonymous customer is valid.
inline constexpr std::int64_t resume_token_ttl_s = 7 * 24 * 3600;

/// How the ids this server makes for anonymous customers begin.
inline constexpr std::string_view visitor_prefix = "v-";

struct hello_accepted {
  actors::caller who;
  /// For an anonymous customer: a customer token for the id made up.
  std::optional<std::string> resume_token;
  /// When the session's token expires (Unix seconds); none for an anonymous
  /// customer, who has no token.
  std::optional<std::int64_t> expires_at_s;
  /// A customer whose id this server made (`v-...`): fresh, or come back
  /// with its resume token. Either way its starts per session are bounded:
  /// its id cost it nothing to get.
  bool visitor = false;
};

struct hello_refused {
  std::string message;
};

using hello_outcome = std::variant<hello_accepted, hello_refused>;

/// Checks a `hello` (docs/protocol.md, "Authentication"): the token's
/// signature and expiry, and for agents and supervisors that they are
/// configured with that role. `now_s` is Unix seconds; `visitor_id` makes
/// the id of an anonymous customer.
hello_outcome authenticate(const engine::config::config& cfg,
                           const hello_request& hello, std::int64_t now_s,
                           const std::function<std::string()>& visitor_id);

/// False for staff no longer on the roster (a reload removed them, or took
/// their role away): their sessions end.
bool still_on_roster(const engine::config::config& cfg,
                     const actors::caller& who);

/// The expiry of a well-formed token (`<exp>.<sig>`), Unix seconds, as
/// verify() reads it; one past the year 9999 counts as the end of 9999, so
/// that it fits milliseconds (`auth.refresh`'s `expires_at`).
std::optional<std::int64_t> token_expiry(std::string_view token);

/// Checks `auth.refresh`: a valid token for `who`'s role and user. Its expiry,
/// or why it is refused.
std::variant<std::int64_t, hello_refused>
refresh(const engine::config::config& cfg, const actors::caller& who,
        const std::string& token, std::int64_t now_s);

} // namespace baton::gateway
