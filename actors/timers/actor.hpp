#pragma once

#include <chrono>
#include <memory>

#include "caf/fwd.hpp"

#include "actors/interfaces.hpp"
#include "actors/metrics.hpp"
#include "actors/timers/messages.hpp"

namespace baton::actors {

/// Spawns the timers actor, linked to `parent`: it keeps every
/// conversation's timers (offers, consent, retirement, idleness) and the
/// agents' claim timers in one heap and adds a wake-up on CAF's clock only for
/// a timer due before every wake-up already there, at most one a millisecond
/// after the last. CAF's own `delayed_send` locks the clock and wakes its
/// thread for each timer: with two or three timers a route, that was a sixth of
/// a route's CPU (docs/benchmarks.md, "Conversations' timers off CAF's clock").
/// Timers run out up to that millisecond late, never early. `timers_pending` of
/// `metrics` (null: none) counts the timers it holds.
timers_actor spawn_timers(caf::local_actor* parent,
                          std::shared_ptr<routing_metrics> metrics);

/// Has `timers` send `what` to `self` (a conversation, or an agent for a
/// claim_timer or slot_check_timer) in `in` (by `self`'s clock); with
/// no timers actor, CAF's clock does.
void start_timer(caf::local_actor* self, const timers_actor& timers,
                 std::chrono::milliseconds in, timer_message what);

} // namespace baton::actors
