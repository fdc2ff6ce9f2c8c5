#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/routing/agent_pool.hpp"
#include "engine/routing/reasons.hpp"
#include "engine/routing/waiting_list.hpp"

namespace baton::engine {

/// Who a waiting conversation must not be offered to now: the agents of
/// this round of offers who had their turn, and those already in it.
struct passed_over {
  const std::unordered_set<std::string>* tried = nullptr;
  const std::unordered_set<std::string>* excluded = nullptr;
};

struct dispatch_rules {
  strategy how = strategy::longest_idle;
  /// A ring_all offer rings at most this many agents (the longest idle).
  std::size_t max_ring_all_targets = 50;
  /// Conversations passed over because every allowed agent has had a turn,
  /// before a dispatch stops: one dispatch stays bounded.
  int max_skipped = 256;
};

/// One offer to make: `conversation` to `agents` (one, or for ring_all
/// several).
struct planned_offer {
  std::string conversation;
  std::vector<std::string> agents;
  /// Why these agents: the pool as the strategy saw it.
  routing_reasons why;
};

struct dispatch_plan {
  std::vector<planned_offer> offers;
  /// Conversations every allowed agent has had a turn at: their turns start
  /// over, after a pause so that a slot freed by a decline goes to the
  /// conversations behind them first.
  std::vector<std::string> start_over;
};

/// A queue's dispatch (docs/routing.md): walks the waiting conversations
/// not in a round (`line`'s ready ones), from the head, and names the agents
/// the strategy offers each to, until agents or conversations run out. A topic
/// nobody free may take is passed without counting, so that it cannot starve
/// the conversations behind it. Each agent named is noted in `pool` at `now`
/// (its slot counts as taken), so one plan never gives a slot twice.
dispatch_plan plan_dispatch(
  const waiting_list& line, agent_pool& pool, const dispatch_rules& rules,
  const std::function<bool(const std::string& topic)>& restricted,
  const std::function<passed_over(const std::string& conversation)>& passed,
  time_ms now);

/// The grounds of a choice for a conversation of `topic` from `pool` now:
/// the eligible agents in the strategy's order (the first few), and every
/// other agent with the reason it is passed over. One walk of the pool.
routing_reasons reasons_for(const agent_pool& pool, const std::string& topic,
                            bool restricted, const passed_over& passed);

} // namespace baton::engine
