#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

/// The texts Baton sends to people (docs/protocol.md, "Events"): English
/// defaults that operators override by key in `[texts]`.
namespace baton::engine::config {

enum class text_key : std::uint8_t {
  participant_joined, ///< {name}
  participant_left,   ///< {name}
  queued,             ///< a queue without welcome_text
  transfer_queued,    ///< {queue}
  no_agents,
  consent_request,
  transfer_placed,       ///< notice to a cold transfer's requester
  transfer_closed,       ///< notice to a cold transfer's requester
  transfer_declined,     ///< to the requester
  transfer_failed,       ///< to the requester
  conference_placed,     ///< notice to the requester
  conference_failed,     ///< to the requester
  agent_absent,          ///< {member}
  request_other_content, ///< {member}
  transferred_by,        ///< {agent} {time}
  history_header,
  history_line,  ///< {name} {time} {text}
  assign_failed, ///< to the supervisor who assigned
  // To the requester, when the one agent asked never saw the offer:
  target_offline,   ///< {name}
  target_not_ready, ///< {name}
  target_full,      ///< {name}
  wait_too_long,    ///< the estimate passed the queue's max_estimated_wait_s
};

inline constexpr std::size_t text_key_count
  = static_cast<std::size_t>(text_key::wait_too_long) + 1;

std::string_view to_string(text_key k) noexcept;
std::optional<text_key> parse_text_key(std::string_view s) noexcept;

/// The English default of a text.
std::string_view default_text(text_key k) noexcept;

/// The placeholders a text may use, without braces: {"name"}.
std::span<const std::string_view> placeholders(text_key k) noexcept;

/// Nullopt if `templ` only uses placeholders of `k`, else why not.
std::optional<std::string> check_placeholders(text_key k,
                                              std::string_view templ);

using text_args
  = std::initializer_list<std::pair<std::string_view, std::string_view>>;

/// Replaces each `{name}` with its argument. An unknown `{name}` stays as
/// written, so a typo shows instead of vanishing.
std::string format_text(std::string_view templ, text_args args);

/// The texts in force: the defaults, overridden by `[texts]`.
class texts {
public:
  texts();

  const std::string& get(text_key k) const noexcept;
  void set(text_key k, std::string value);

  /// format_text over the text in force.
  std::string format(text_key k, text_args args) const;

  friend bool operator==(const texts&, const texts&) = default;

private:
  std::array<std::string, text_key_count> values_;
};

} // namespace baton::engine::config
