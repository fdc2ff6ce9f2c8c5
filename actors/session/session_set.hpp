#pragma once

#include <cstddef>
#include <vector>

#include "caf/fwd.hpp"

#include "actors/messages.hpp"
#include "actors/session/local_sinks.hpp"

namespace baton::actors {

/// The open sessions of one user, wherever their hubs are: what an inbox
/// (a user's or an agent's actor) hands its events to.
class session_set {
public:
  /// `here`: the sinks of this process's sessions, reached without a hub;
  /// null, every session through its hub.
  explicit session_set(local_sinks_ptr here = nullptr)
    : here_(std::move(here)) {
  }

  void add(session_ref session);
  /// Whether it was there.
  bool remove(const session_ref& session);
  /// Every session of `hub` (which went down); whether there was one.
  bool remove_hub(const caf::actor_addr& hub);

  bool empty() const noexcept {
    return sessions_.empty();
  }

  /// Hands `what` to every session: straight to the sinks of those in this
  /// process, in one message to each other hub. Nobody answers, so no
  /// sender is named.
  void deliver(const notification& what) const;

private:
  local_sinks_ptr here_;
  std::vector<session_ref> sessions_;
};

} // namespace baton::actors
