#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "engine/config/config.hpp"
#include "gateway/http/bare_token_guard.hpp"

/// `Authorization: Bearer ...` credentials of the HTTP API (docs/protocol.md,
/// `/v1/queues` and `/v1/attribution`), checked without sockets or clocks:
/// the header comes in as the client sent it, the time as an argument.
namespace baton::gateway {

/// Why a credential is refused, from the least telling reason to the most:
/// when a credential is tried in several roles, the most telling one is
/// given (refusal_of).
enum class bearer_refusal : std::uint8_t {
  missing,    ///< no `Authorization` header
  not_bearer, ///< another scheme (`Basic ...`)
  malformed,  ///< `Bearer` without a token of the form `<exp>.<sig>`
  /// Not signed for that role and user, or the user is not configured in
  /// that role. One reason for both, so that without a genuine token no
  /// answer tells who is on the roster.
  invalid,
  expired, ///< genuine and for a user in that role, but past its expiry
  /// A bare token not remembered, when the searches of this second have
  /// spent the guard's budget: not checked at all.
  busy,
};

/// The user behind a credential, or why there is none.
using bearer_check = std::variant<std::string, bearer_refusal>;

/// The configured supervisor behind `header`: `Bearer <user>:<token>`, or a
/// bare `Bearer <token>` tried against every configured supervisor, as far
/// as `guard` allows.
bearer_check check_supervisor(const engine::config::config& cfg,
                              std::string_view header, std::int64_t now_unix_s,
                              bare_token_guard& guard);

/// A `service` caller behind `Bearer <user>:<token>`: services are not in
/// the configuration, so the user comes with the token.
bearer_check check_service(const engine::config::config& cfg,
                           std::string_view header, std::int64_t now_unix_s);

/// The more telling refusal of two (of one credential tried in two roles).
bearer_refusal refusal_of(bearer_refusal a, bearer_refusal b) noexcept;

/// The user, or nothing: for callers that need no reason.
inline std::optional<std::string> user_of(bearer_check check) {
  if (auto* user = std::get_if<std::string>(&check))
    return std::move(*user);
  return std::nullopt;
}

inline std::optional<std::string>
bearer_supervisor(const engine::config::config& cfg, std::string_view header,
                  std::int64_t now_unix_s, bare_token_guard& guard) {
  return user_of(check_supervisor(cfg, header, now_unix_s, guard));
}

inline std::optional<std::string>
bearer_service(const engine::config::config& cfg, std::string_view header,
               std::int64_t now_unix_s) {
  return user_of(check_service(cfg, header, now_unix_s));
}

} // namespace baton::gateway
