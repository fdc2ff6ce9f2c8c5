#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/// Vocabulary shared by every layer: time, roles, channels, states.
namespace baton::engine {

/// Milliseconds since the Unix epoch. The engine never reads a clock: callers
/// pass the time in, so every timeout is testable.
using time_ms = std::int64_t;
using duration_ms = std::int64_t;

enum class role : std::uint8_t { customer, agent, supervisor, bot, service };

/// Agents and supervisors: people of the centre, on its roster.
constexpr bool is_staff(role r) noexcept {
  return r == role::agent || r == role::supervisor;
}

enum class channel : std::uint8_t {
  web,
  whatsapp,
  facebook,
  sms,
  email,
  other
};

enum class conversation_state : std::uint8_t {
  bot,
  queued,
  offered,
  assigned,
  closed,
};

enum class agent_status : std::uint8_t { ready, not_ready, offline };

enum class strategy : std::uint8_t {
  longest_idle,
  least_busy,
  round_robin,
  ring_all,
  random,
  skills,
};

enum class queue_mode : std::uint8_t { push, pull, auto_assign };

enum class visibility : std::uint8_t { all, agents };

enum class offer_kind : std::uint8_t {
  new_,
  transfer,
  conference,
  direct,
  assign
};

/// A cold transfer hands over at once; a warm one keeps the requester until
/// the new agent joins.
enum class transfer_mode : std::uint8_t { cold, warm };

/// How a transfer, conference or assignment ended.
enum class transfer_result : std::uint8_t {
  completed,
  declined,  ///< by the customer, or the consent timed out
  failed,    ///< nobody accepted in time, or the target agent said no
  cancelled, ///< closed or taken over first
};

/// Why an offer ended without an assignment.
enum class offer_end : std::uint8_t {
  timeout,
  rejected,
  taken,
  cancelled,
  abandoned,
  agent_full,
  agent_offline,
  agent_not_ready,
};

std::string_view to_string(role r) noexcept;

/// A user is its role and id together ("customer:erin" is not
/// "supervisor:erin"): the key of its inbox and of its session count.
std::string user_key(role r, std::string_view user);
std::string_view to_string(channel c) noexcept;
std::string_view to_string(conversation_state s) noexcept;
std::string_view to_string(agent_status s) noexcept;
std::string_view to_string(strategy s) noexcept;
std::string_view to_string(queue_mode m) noexcept;
std::string_view to_string(visibility v) noexcept;
std::string_view to_string(offer_kind k) noexcept;
std::string_view to_string(offer_end e) noexcept;
std::string_view to_string(transfer_mode m) noexcept;
std::string_view to_string(transfer_result r) noexcept;

std::optional<role> parse_role(std::string_view s) noexcept;
std::optional<channel> parse_channel(std::string_view s) noexcept;
std::optional<transfer_mode> parse_transfer_mode(std::string_view s) noexcept;
std::optional<transfer_result>
parse_transfer_result(std::string_view s) noexcept;
std::optional<agent_status> parse_agent_status(std::string_view s) noexcept;
std::optional<strategy> parse_strategy(std::string_view s) noexcept;
std::optional<queue_mode> parse_queue_mode(std::string_view s) noexcept;
std::optional<visibility> parse_visibility(std::string_view s) noexcept;
std::optional<offer_kind> parse_offer_kind(std::string_view s) noexcept;
std::optional<offer_end> parse_offer_end(std::string_view s) noexcept;

/// Identifiers on the wire: 1–64 characters from [A-Za-z0-9_.:@-].
bool is_valid_id(std::string_view id) noexcept;

} // namespace baton::engine
