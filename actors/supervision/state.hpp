#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "caf/actor_addr.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/actor_addr_hash.hpp"
#include "actors/api.hpp"
#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

/// Supervision's state and its parts: actor.cpp (subscriptions, queue
/// stats, the changes supervisors see) and peers.cpp (subscriptions shared
/// with the other directories' supervision, docs/cluster.md "Supervision
/// across nodes").
namespace baton::actors::supervision_impl {

struct subscription {
  inbox_actor inbox;
  std::vector<std::string> queues; ///< sorted; empty: every queue
  /// Who subscribed; a peer's subscriptions do not say (their own node
  /// checks them at its reloads, and shares what is left).
  engine::participant who;

  bool covers(const std::string& queue) const;
  bool covers_any(const std::vector<std::string>& of) const;
};

/// Subscriptions by their inbox's address: an actor id is unique on its
/// node only.
using subscriptions_by_inbox
  = std::unordered_map<caf::actor_addr, subscription, actor_addr_hash>;

/// The last row seen of an agent, and from which actor: an agent reports
/// on every offer and release, a supervisor only hears of a change. A row
/// from another actor (the agent started anew here after its shard moved
/// away and back) is a change.
struct seen_row {
  caf::actor_addr from;
  agent_row row;
};

struct supervision_state {
  runtime_ptr rt;
  /// Made here: a user's agent actor or user inbox at her holder.
  subscriptions_by_inbox subscriptions;
  /// Made at the other directories' supervision, by the peer that shared
  /// them: they hear what this node's agents and conversations report,
  /// not queue stats (their own supervision sends those, of every queue).
  std::unordered_map<caf::actor_addr, subscriptions_by_inbox, actor_addr_hash>
    shared;
  /// The inboxes of both, watched: one that goes, goes from both.
  std::unordered_set<caf::actor_addr, actor_addr_hash> watched;
  std::vector<supervision_actor> peers;
  /// Every queue's actor, in configuration order.
  std::vector<std::pair<std::string, queue_actor>> queues;
  /// By agent id. An agent a reload removed leaves with his last row,
  /// offline with no load (retired_row).
  std::unordered_map<std::string, seen_row> agents;
  bool ticking = false;
};

using self_ptr = supervision_actor::stateful_pointer<supervision_state>;

// -- peers.cpp ---------------------------------------------------------------

/// Watches `inbox` (once): its down drops it from every subscription.
void watch_inbox(self_ptr self, const inbox_actor& inbox);

/// Every peer hears the subscriptions made here as they are now.
void share_subscriptions(self_ptr self);

/// `subscriptions_shared` from a peer: replaces what it shared before.
void on_shared(self_ptr self, subscriptions_shared& s);

/// The peers a newer table names: those new to this one hear every
/// subscription made here.
void on_peers(self_ptr self, supervision_peers& p);

/// `inbox` went: out of every subscription, made here or shared.
void on_inbox_down(self_ptr self, const caf::actor_addr& inbox);

/// Calls `f` with each subscription, made here or shared, once per inbox.
template <class F>
void each_subscription(const supervision_state& st, F f) {
  for (const auto& [inbox, s] : st.subscriptions)
    f(s);
  for (const auto& [peer, from_peer] : st.shared)
    for (const auto& [inbox, s] : from_peer)
      if (st.subscriptions.count(inbox) == 0)
        f(s);
}

} // namespace baton::actors::supervision_impl
