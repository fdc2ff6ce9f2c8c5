#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <unordered_map>

#include "caf/actor_addr.hpp"
#include "caf/node_id.hpp"

#include "actors/api/notifications.hpp"
#include "actors/messages.hpp"

namespace baton::actors {

/// The sinks of this process's sessions, by number: written by the hubs
/// that number them (session/hub.hpp), read by the inboxes that deliver to
/// them. An event for a session in this process goes straight to its sink,
/// an actor hop fewer per event than through its hub; the session's address
/// stays its hub's handle and number, which an inbox on another node uses.
class local_sinks {
public:
  explicit local_sinks(caf::node_id node) : node_(std::move(node)) {
  }

  /// Keeps `sink`, a session of the hub `hub`, under a new number unique in
  /// the process.
  std::uint64_t add(caf::actor_id hub, sink_ptr sink);
  void remove(std::uint64_t number);

  /// Hands `what` to the sink of `session` when it is here, outside the
  /// table's lock. False when it is not: on another node, behind a hub this
  /// table does not know, or closed; then its hub is told.
  bool deliver(const session_ref& session, const notification_ptr& what) const;

private:
  struct entry {
    caf::actor_id hub = 0;
    sink_ptr sink;
  };

  caf::node_id node_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::uint64_t, entry> sinks_;
  std::uint64_t next_ = 0;
};

using local_sinks_ptr = std::shared_ptr<local_sinks>;

} // namespace baton::actors
