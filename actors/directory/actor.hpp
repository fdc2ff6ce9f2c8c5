#pragma once

#include <chrono>

#include "caf/fwd.hpp"

#include "actors/interfaces.hpp"

#include "actors/runtime.hpp"
#include "engine/cluster/shards.hpp"

namespace baton::actors {

/// How long a directory waits for another: then the caller's holder answers
/// `unavailable` and lets the inbox it made go (as long as a relay waits for
/// its core), and a roster told is given up on (the other tells its own).
/// A node's hubs wait as long when its directory shares the shards.
constexpr auto holder_patience = std::chrono::seconds{10};

/// Spawns the directory: it maps ids to actor handles, spawns the queues and
/// agents of the configuration and a conversation actor per start, and
/// delegates each request to the actor that owns it, which answers the
/// asker. Callers only ever see ids, so a handle on another node will look
/// the same to them. Its interface is `directory_actor` (interfaces.hpp;
/// docs/architecture.md, "The actors"): every request, by its target;
/// sessions, by user; an agent's pick; what conversations and queues send
/// each other through it by id; recovery and reload.
///
/// With `shards`, it holds only the ids that fall in them and shares the
/// rest with other directories (docs/cluster.md, "The steps, in order"):
/// whatever is for an id of theirs goes to its holder, once
/// `join_directories` has told it who they are.
directory_actor spawn_directory(caf::actor_system& system, runtime_ptr rt,
                                engine::cluster::shard_set shards = {});

} // namespace baton::actors
