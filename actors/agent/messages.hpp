#pragma once

#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "engine/routing/availability.hpp"

/// What an agent actor (agent/actor.hpp) handles besides requests and
/// sessions: offers from conversations, restore, reload, its grace timer.
namespace baton::actors {

/// Hold a slot for this offer, and show it to the agent.
struct reserve {
  std::string conversation;
  conversation_actor handle;
  offer_notice notice;
  /// Past which of the agent's own limits it is held (a supervisor's
  /// assignment reaches a not ready agent).
  engine::reach reach = engine::reach::routing;

  friend bool operator==(const reserve&, const reserve&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reserve& x) {
  return f(x.conversation, x.handle, x.notice, x.reach);
}

/// The offer is over for this agent; release the slot.
struct revoke {
  std::string conversation;
  std::string offer;
  engine::offer_end reason = engine::offer_end::timeout;

  friend bool operator==(const revoke&, const revoke&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, revoke& x) {
  return f(x.conversation, x.offer, x.reason);
}

/// To an agent: its row of agent.list.
struct agent_row_query {
  friend bool operator==(const agent_row_query&, const agent_row_query&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_row_query&) {
  return f();
}

/// To an agent, after config_changed: the actors of its queues in the new
/// configuration, where it reads its entry (an agent removed from the file
/// keeps its name and capacity, and gets no queue).
struct agent_reconfigured {
  std::vector<queue_actor> queues;

  friend bool operator==(const agent_reconfigured&, const agent_reconfigured&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_reconfigured& x) {
  return f(x.queues);
}

/// To an agent actor: it takes part in this conversation (it did before the
/// restart); the conversation counts against its capacity.
struct restore_assignment {
  std::string conversation;
  conversation_actor handle;

  friend bool operator==(const restore_assignment&, const restore_assignment&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restore_assignment& x) {
  return f(x.conversation, x.handle);
}

struct grace_timer {
  std::uint64_t generation = 0;

  friend bool operator==(const grace_timer&, const grace_timer&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, grace_timer& x) {
  return f(x.generation);
}

/// Time to look at the agent's claims and picks on their way: the oldest
/// has had no answer for the runtime's call_patience.
struct claim_timer {
  friend bool operator==(const claim_timer&, const claim_timer&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, claim_timer&) {
  return f();
}

/// Time to ask again after the slots held for conversations whose shard
/// moved that no answer settled yet (slot_checks.cpp).
struct slot_check_timer {
  friend bool operator==(const slot_check_timer&, const slot_check_timer&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_check_timer&) {
  return f();
}

} // namespace baton::actors
