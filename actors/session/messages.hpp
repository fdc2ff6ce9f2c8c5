#pragma once

#include <cstdint>
#include <vector>

#include "caf/allowed_unsafe_message_type.hpp"

#include "actors/messages.hpp"

/// What the hub (session/hub.hpp) handles: the gateway's sessions coming and
/// going, their requests, and events for them.
namespace baton::actors {

/// To a hub: an event for these sessions of one user.
struct session_event {
  std::vector<std::uint64_t> sessions;
  notification what;

  friend bool operator==(const session_event&, const session_event&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_event& x) {
  return f(x.sessions, x.what);
}

/// A session opened: its events go to `sink` from now on; `done` answers
/// its `hello`.
struct hub_connect {
  caller who;
  sink_ptr sink;
  reply_fn done;
};

/// The session closed.
struct hub_disconnect {
  caller who;
  sink_ptr sink;
};

/// A request of a session, answered through `done`.
struct hub_submit {
  caller who;
  request what;
  reply_fn done;
};

} // namespace baton::actors

// The one door from the gateway's threads into the actors: these carry the
// gateway's callbacks and never leave this process (docs/architecture.md,
// "Messages").
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::hub_connect)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::hub_disconnect)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::hub_submit)
