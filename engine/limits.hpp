#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

/// The per-client bounds of `[limits]` (docs/security.md), as the label of
/// `baton_limit_refusals_total{limit}`.
namespace baton::engine {

enum class limit : std::uint8_t {
  sessions_per_user,
  sessions_per_address,
  open_conversations_per_customer,
  starts_per_anonymous_session,
  messages_per_conversation,
  max_text_bytes,
  bad_frames,
  text_bytes_per_conversation,
  requests_in_flight_per_session,
};
inline constexpr std::size_t limit_count = 9;

/// The config key under `[limits]` that sets it ("bad_frames" for the
/// close after `bad_frames_per_session`).
constexpr std::string_view to_string(limit l) noexcept {
  constexpr std::array<std::string_view, limit_count> names{
    "sessions_per_user",
    "sessions_per_address",
    "open_conversations_per_customer",
    "starts_per_anonymous_session",
    "messages_per_conversation",
    "max_text_bytes",
    "bad_frames",
    "text_bytes_per_conversation",
    "requests_in_flight_per_session"};
  return names[static_cast<std::size_t>(l)];
}

} // namespace baton::engine
