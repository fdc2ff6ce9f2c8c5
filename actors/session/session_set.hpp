#pragma once

#include <cstddef>
#include <vector>

#include "caf/fwd.hpp"

#include "actors/messages.hpp"

namespace baton::actors {

/// The open sessions of one user, wherever their hubs are: what an inbox
/// (a user's or an agent's actor) hands its events to.
class session_set {
public:
  void add(session_ref session);
  void remove(const session_ref& session);

  bool empty() const noexcept {
    return sessions_.empty();
  }

  /// Sends `what` to every session: one message to each hub. Nobody answers,
  /// so no sender is named.
  void deliver(const notification& what) const;

private:
  std::vector<session_ref> sessions_;
};

} // namespace baton::actors
