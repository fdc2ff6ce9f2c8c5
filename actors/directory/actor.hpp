#pragma once

#include "caf/fwd.hpp"

#include "actors/interfaces.hpp"

#include "actors/runtime.hpp"

namespace baton::actors {

/// Spawns the directory: it maps ids to actor handles, spawns the queues and
/// agents of the configuration and a conversation actor per start, and
/// delegates each request to the actor that owns it, which answers the
/// asker. Callers only ever see ids, so a handle on another node will look
/// the same to them. Its interface is `directory_actor` (interfaces.hpp;
/// docs/architecture.md, "The actors"): every request, by its target;
/// sessions, by user; an agent's pick; what conversations and queues send
/// each other through it by id; recovery and reload.
directory_actor spawn_directory(caf::actor_system& system, runtime_ptr rt);

} // namespace baton::actors
