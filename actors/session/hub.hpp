#pragma once

#include <chrono>

#include "actors/session/messages.hpp"

#include "actors/interfaces.hpp"
#include "caf/fwd.hpp"

#include "actors/api.hpp"
#include "actors/metrics.hpp"
#include "actors/session/local_sinks.hpp"

/// A hub: where the gateway's sessions of this process meet the actors
/// (one per scheduler worker, each user's sessions on the same one).
/// Sessions are not actors (they live on the gateway's I/O threads), so the
/// hub speaks for them: it asks the directory on their behalf, with
/// `request(...).then(...)`, and hands each reply to the session's callback;
/// and it is the actor their events are addressed to (a `session_ref`: the
/// hub and the session's number), so an inbox on any node reaches a session
/// here; inboxes of this process hand events to the sinks directly
/// (local_sinks.hpp). It handles
///   hub_connect, hub_disconnect, hub_submit   from routing_service
///   session_event                             from inboxes on other nodes
///   down messages                             of the actor each session is
///                                             attached to: one that stops
///                                             while its sessions go on
///                                             asks them to reconnect
namespace baton::actors {

/// Spawns a hub of a routing service whose directory is `directory`; it
/// numbers its sessions in `sinks`, where this process's inboxes find them.
/// A request the directory has not answered after `patience` is answered
/// `unavailable`; zero waits for ever (a directory in this process always
/// answers, one on another node may be gone with the request). With
/// `latency`, each request's time to its answer is observed there.
session_hub_actor
spawn_session_hub(caf::actor_system& system, directory_actor directory,
                  local_sinks_ptr sinks, std::chrono::milliseconds patience,
                  std::shared_ptr<histogram> latency = nullptr);

} // namespace baton::actors
