#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types.hpp"

/// What a routing decision rested on (docs/routing.md, "Why this agent"):
/// recorded in the conversation's log with the decision, read back by
/// `conversation.explain`, `baton explain` and `baton replay`.
namespace baton::engine {

/// Why one of the queue's agents was not offered the conversation.
enum class pass_reason : std::uint8_t {
  offline,       ///< signed off (status offline)
  absent,        ///< ready or not ready, but no session connected
  not_ready,     ///< connected, status not ready
  full,          ///< every slot taken
  missing_topic, ///< the topic is restricted and the agent does not list it
  already_tried, ///< had its turn in this round of offers
  excluded,      ///< already in the conversation, or the transfer's requester
};

inline constexpr std::size_t pass_reason_count = 7;

std::string_view to_string(pass_reason r) noexcept;
std::optional<pass_reason> parse_pass_reason(std::string_view s) noexcept;

/// An eligible agent as the strategy ranked it when the decision was made.
struct ranked_agent {
  std::string agent;
  time_ms idle_since = 0;
  std::int32_t load = 0;
  std::int32_t capacity = 1;
  /// Lists the conversation's topic (what `skills` prefers).
  bool topic_match = false;

  friend bool operator==(const ranked_agent&, const ranked_agent&) = default;
};

struct passed_agent {
  std::string agent;
  pass_reason reason = pass_reason::offline;

  friend bool operator==(const passed_agent&, const passed_agent&) = default;
};

struct reason_count {
  pass_reason reason = pass_reason::offline;
  std::int32_t count = 0;

  friend bool operator==(const reason_count&, const reason_count&) = default;
};

/// A decision's grounds, bounded whatever the queue's size: the best few
/// eligible agents in the strategy's order, a few of those passed over by
/// name, and counts of every agent by reason.
struct routing_reasons {
  engine::strategy strategy = strategy::longest_idle;
  std::string topic;
  bool restricted = false;
  /// Agents the strategy could choose from; `ranked` holds the first few.
  std::int32_t eligible = 0;
  std::vector<ranked_agent> ranked;
  std::vector<passed_agent> passed;
  /// Every agent passed over, counted by reason, in the enum's order.
  std::vector<reason_count> passed_counts;

  friend bool operator==(const routing_reasons&, const routing_reasons&)
    = default;
};

/// How many eligible agents a decision names, best first.
inline constexpr std::size_t ranked_named = 5;
/// How many agents passed over a decision names; the rest are counted.
inline constexpr std::size_t passed_named = 10;

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ranked_agent& x) {
  return f(x.agent, x.idle_since, x.load, x.capacity, x.topic_match);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, passed_agent& x) {
  return f(x.agent, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reason_count& x) {
  return f(x.reason, x.count);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, routing_reasons& x) {
  return f(x.strategy, x.topic, x.restricted, x.eligible, x.ranked, x.passed,
           x.passed_counts);
}

} // namespace baton::engine
