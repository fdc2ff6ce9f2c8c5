#pragma once

#include "actors/interfaces.hpp"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/fwd.hpp"

#include "actors/api.hpp"

/// The hub: where the gateway's sessions of this process meet the actors.
/// Sessions are not actors (they live on the gateway's I/O threads), so the
/// hub speaks for them: it asks the directory on their behalf, with
/// `request(...).then(...)`, and hands each reply to the session's callback;
/// and it is the actor their events are addressed to (a `session_ref`: the
/// hub and the session's number), so an inbox on any node reaches a session
/// here. It handles
///   hub_connect, hub_disconnect, hub_submit   from routing_service
///   session_event                             from user and agent inboxes
namespace baton::actors {

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

/// Spawns the hub of a routing service whose directory is `directory`.
session_hub_actor spawn_session_hub(caf::actor_system& system,
                                    directory_actor directory);

} // namespace baton::actors

// The one door from the gateway's threads into the actors: these carry the
// gateway's callbacks and never leave this process (docs/architecture.md,
// "Messages").
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::hub_connect)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::hub_disconnect)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::hub_submit)
