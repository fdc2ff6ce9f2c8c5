#include "bench/load/stats.hpp"

namespace baton::bench {
namespace {

constexpr std::array<std::string_view, error_kinds> names{
  "bad_request",   "unauthorized", "forbidden",   "not_found", "conflict",
  "invalid_state", "rate_limited", "unavailable", "internal",  "other",
  "connect",       "closed",       "timeout",     "no_agents", "not_started",
};

} // namespace

std::string_view to_string(error_kind k) noexcept {
  auto i = static_cast<std::size_t>(k);
  return i < names.size() ? names[i] : "?";
}

error_kind error_from_code(std::string_view code) noexcept {
  for (std::size_t i = 0; i <= static_cast<std::size_t>(error_kind::internal);
       ++i)
    if (names[i] == code)
      return static_cast<error_kind>(i);
  return error_kind::other_code;
}

} // namespace baton::bench
