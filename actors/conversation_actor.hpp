#pragma once

#include <string>

#include "caf/fwd.hpp"

#include "actors/runtime.hpp"

namespace baton::actors {

/// Spawns the actor of one conversation, linked to `parent` (the directory,
/// which also reaches other queues and single agents for it): the only owner
/// of its participants and the only judge of who wins it. It starts in
/// `queue_id`, whose actor is `queue`. It handles
///   api_call        every conversation verb (start, messages, close,
///                   transfer, consent, conference, leave, takeover, assign,
///                   unassign, monitor, resume, handoff, request_other)
///   offer_to        from a queue: offer to these agents
///   reserve_result  from an agent: slot held (or full)
///   claim, decline  from an agent: accept; reject or going offline
///   pick            from an agent (pull mode), via the directory
///   offer_timer, wait_timer, consent_timer (to itself; wait_timer from a
///                   queue)
caf::actor spawn_conversation(caf::event_based_actor* parent, std::string id,
                              runtime_ptr rt, std::string queue_id,
                              caf::actor queue, caf::actor customer);

} // namespace baton::actors
