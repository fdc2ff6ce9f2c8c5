#pragma once

#include "caf/fwd.hpp"

#include "actors/runtime.hpp"

namespace baton::actors {

/// Spawns the directory: it maps ids to actor handles, spawns the queues and
/// agents of the configuration and a conversation actor per start, and
/// delegates each request to the actor that owns it, which answers the
/// asker. Callers only ever see ids, so a handle on another node will look
/// the same to them. It handles (docs/architecture.md, "The actors")
///   api_call                         every request, by its target
///   attach_session, detach_session   sessions, by user
///   to_conversation                  an agent's pick
caf::actor spawn_directory(caf::actor_system& system, runtime_ptr rt);

} // namespace baton::actors
