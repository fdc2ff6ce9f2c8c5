#pragma once

#include <cstdint>
#include <variant>

#include "caf/actor_addr.hpp"
#include "caf/allowed_unsafe_message_type.hpp"

#include "actors/agent/messages.hpp"
#include "actors/conversation/messages.hpp"

/// What the timers actor (timers/actor.hpp) handles: the timers of
/// conversations and of agents' claims, and its own wake-up. Neither leaves
/// this process: a timer is set and runs out on the node of the actor it
/// belongs to.
namespace baton::actors {

/// What an actor is sent when one of its timers runs out: a conversation's,
/// or an agent's claim_timer or slot_check_timer.
using timer_message
  = std::variant<offer_timer, consent_timer, choice_timer, retire_timer,
                 idle_check, claim_timer, slot_check_timer>;

/// Send `what` to `to` once the actor clock reads `due_ns` (nanoseconds
/// since the clock's epoch). `to` is held weakly: an actor that has gone
/// by then is sent nothing, and its timers do not keep it running.
struct arm_timer {
  caf::actor_addr to;
  std::int64_t due_ns = 0;
  timer_message what;
};

/// The timers actor's own wake-up, the one it asked CAF's clock for `at_ns`.
struct timers_due {
  std::int64_t at_ns = 0;
};

} // namespace baton::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::arm_timer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::timers_due)
