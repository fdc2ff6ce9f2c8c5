#pragma once

#include "caf/fwd.hpp"

#include "actors/runtime.hpp"

namespace baton::actors {

/// Spawns the actor of one queue, linked to `parent`: it owns the waiting
/// list and matches waiting conversations to agents by the queue's strategy.
/// It never trusts its view of an agent's load: the agent answers each offer.
/// It handles
///   enqueue, dequeue          conversations entering and leaving
///   offer_round_ended         the outcome of an offer round
///   agent_update              an agent's status, load and connection
///   waiting_query             waitlist.list
///   queue_stats_query         queue.list
///   retry_timer, wait_tick    (to itself) reoffers; the queue's wait timeout,
///                             one timer for all its conversations
caf::actor spawn_queue(caf::event_based_actor* parent,
                       const engine::config::queue& queue, runtime_ptr rt);

} // namespace baton::actors
