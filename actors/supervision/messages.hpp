#pragma once

#include <string>
#include <utility>
#include <vector>

#include "actors/messages.hpp"

/// What supervision (supervision/actor.hpp) handles: subscriptions, and
/// the changes supervisors see.
namespace baton::actors {

/// From the directory: `supervise.subscribe` by `who`, whose events go to
/// `inbox` (its agent actor or user actor); answered with a `reply`.
struct subscribe_supervisor {
  inbox_actor inbox;
  std::vector<std::string> queues; ///< empty: every queue
  /// Checked again at every reload: one that takes `supervise` away ends
  /// the subscription.
  engine::participant who;

  friend bool
  operator==(const subscribe_supervisor&, const subscribe_supervisor&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscribe_supervisor& x) {
  return f(x.inbox, x.queues, x.who);
}

/// From a user's inbox: its last session closed.
struct sessions_ended {
  inbox_actor inbox;

  friend bool operator==(const sessions_ended&, const sessions_ended&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sessions_ended& x) {
  return f(x.inbox);
}

/// From the directory: the queues supervisors see, in configuration order.
struct supervised_queues {
  std::vector<std::pair<std::string, queue_actor>> queues;

  friend bool operator==(const supervised_queues&, const supervised_queues&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervised_queues& x) {
  return f(x.queues);
}

/// From the directory, whenever the table of holders changes: the
/// supervision of every other directory sharing the shards
/// (docs/cluster.md, "Supervision across nodes"). Each hears this one's
/// subscriptions, so a supervisor sees what every node's agents and
/// conversations report.
struct supervision_peers {
  std::vector<supervision_actor> peers;

  friend bool operator==(const supervision_peers&, const supervision_peers&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervision_peers& x) {
  return f(x.peers);
}

/// From a peer's supervision, whenever its subscriptions change and when it
/// learns of this one: every subscription made there, each an inbox and its
/// queues (none: every queue). Their inboxes hear what this node's agents
/// and conversations report. It replaces what that peer shared before, so
/// one that ended while the two did not know of each other goes too.
struct subscriptions_shared {
  std::vector<std::pair<inbox_actor, std::vector<std::string>>> subscriptions;

  friend bool
  operator==(const subscriptions_shared&, const subscriptions_shared&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscriptions_shared& x) {
  return f(x.subscriptions);
}

struct stats_tick {
  friend bool operator==(const stats_tick&, const stats_tick&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stats_tick&) {
  return f();
}

} // namespace baton::actors
