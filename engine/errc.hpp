#pragma once

#include <string_view>
#include <system_error>

namespace baton::engine {

/// The protocol's error codes (docs/protocol.md, "Error codes"). Every refusal
/// the engine makes is one of these, so the gateway maps them one to one.
enum class errc {
  ok = 0,
  bad_request,
  unauthorized,
  forbidden,
  not_found,
  conflict,
  invalid_state,
  rate_limited,
  unavailable,
  internal,
  /// A bound of `[limits]` (docs/security.md): retrying the same thing
  /// fails until the client holds less.
  limit_reached,
};
inline constexpr std::size_t errc_count = 11;

const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// The wire name of a code, e.g. "invalid_state".
std::string_view code_name(errc e) noexcept;

} // namespace baton::engine

template <>
struct std::is_error_code_enum<baton::engine::errc> : std::true_type {};
