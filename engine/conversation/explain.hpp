#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/conversation/events.hpp"

/// A conversation's routing told from its log (docs/routing.md, "Why this
/// agent"): what `conversation.explain` answers and `baton explain` prints.
namespace baton::engine {

/// What a step of the routing was.
enum class routing_step_kind : std::uint8_t {
  queued,        ///< entered a queue (or entered it again)
  offered,       ///< offered to agents
  offer_ended,   ///< an offer ended without an assignment
  assigned,      ///< an agent took it
  transfer,      ///< someone asked for a transfer, conference or assignment
  wait_expired,  ///< the queue's wait ran out
  wait_too_long, ///< the estimated wait was past the queue's bound at once
  no_agents,     ///< closed for want of agents (a log without grounds)
};

std::string_view to_string(routing_step_kind k) noexcept;

struct routing_step {
  std::uint64_t seq = 0;
  time_ms ts = 0;
  routing_step_kind kind = routing_step_kind::queued;
  /// Sentences a supervisor reads.
  std::string text;
  std::string queue;
  /// Offered to, assigned to, or whose offer ended.
  std::vector<std::string> agents;
  /// For offered, wait_expired and wait_too_long: the recorded grounds.
  std::optional<routing_reasons> why;

  friend bool operator==(const routing_step&, const routing_step&) = default;
};

/// The routing steps of `log` with a seq above `after_seq`, oldest first.
std::vector<routing_step> explain_routing(const std::vector<event>& log,
                                          std::uint64_t after_seq = 0);

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, routing_step& x) {
  return f(x.seq, x.ts, x.kind, x.text, x.queue, x.agents, x.why);
}

} // namespace baton::engine
