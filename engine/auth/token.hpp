#pragma once

#include "engine/types.hpp"

#include <cstdint>
#include <string>
#include <string_view>

/// Session tokens (docs/protocol.md, "Authentication"): `<exp>.<sig>`, where
/// `sig` is lowercase hex HMAC-SHA256 with the key `auth.secret` over
/// `role + "\n" + user + "\n" + exp`. Time comes in; nothing here reads a
/// clock.
namespace baton::engine::auth {

enum class verify_result : std::uint8_t {
  ok,
  malformed,     ///< not `<digits>.<64 lowercase hex>`
  bad_signature, ///< another secret, role, user or expiry
  expired,       ///< signature fine, but now >= exp
};

std::string_view to_string(verify_result r) noexcept;

/// The signature alone: 64 lowercase hex characters.
std::string signature(std::string_view secret, role r, std::string_view user,
                      std::int64_t exp_unix_s);

/// A token for `user` in role `r`, valid until `exp_unix_s` (exclusive).
std::string sign(std::string_view secret, role r, std::string_view user,
                 std::int64_t exp_unix_s);

/// Checks `token` for `r` and `user` at `now_unix_s`. The signature is
/// compared in constant time and before the expiry, so a forged token never
/// learns more than "bad_signature".
verify_result verify(std::string_view secret, role r, std::string_view user,
                     std::string_view token, std::int64_t now_unix_s);

} // namespace baton::engine::auth
