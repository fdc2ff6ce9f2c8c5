#pragma once

#include "caf/fwd.hpp"

#include "actors/interfaces.hpp"

#include "actors/runtime.hpp"

namespace baton::actors {

/// Spawns the actor of one queue, linked to `parent`: it owns the waiting
/// list and matches waiting conversations to agents by the queue's strategy.
/// It never trusts its view of an agent's load: the agent answers each offer.
/// Its interface is `queue_actor` (interfaces.hpp): conversations entering
/// and leaving, the outcome of each offer round, each agent's status, load
/// and connection, waitlist.list and queue.list; its timers are reoffers and
/// the queue's wait timeout, one timer for all its conversations.
queue_actor spawn_queue(caf::local_actor* parent,
                        const engine::config::queue& queue, runtime_ptr rt);

} // namespace baton::actors
