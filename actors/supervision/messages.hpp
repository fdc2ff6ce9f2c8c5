#pragma once

#include <string>
#include <utility>
#include <vector>

#include "actors/messages.hpp"

/// What supervision (supervision/actor.hpp) handles: subscriptions, and
/// the changes supervisors see.
namespace baton::actors {

/// From the directory: `supervise.subscribe` by a user whose events go to
/// `inbox` (its agent actor or user actor); answered with a `reply`.
struct subscribe_supervisor {
  inbox_actor inbox;
  std::vector<std::string> queues; ///< empty: every queue

  friend bool
  operator==(const subscribe_supervisor&, const subscribe_supervisor&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscribe_supervisor& x) {
  return f(x.inbox, x.queues);
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

struct stats_tick {
  friend bool operator==(const stats_tick&, const stats_tick&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stats_tick&) {
  return f();
}

} // namespace baton::actors
