#pragma once

#include <string>

#include "caf/fwd.hpp"

#include "actors/interfaces.hpp"

#include "actors/runtime.hpp"

namespace baton::actors {

/// Spawns the actor of one conversation, monitored by `parent` (the
/// directory, which stops it when the directory stops, and which also
/// reaches other queues and single agents for it): the only owner
/// of its participants and the only judge of who wins it. It starts in
/// `queue_id`, whose actor is `queue`. Its interface is `conversation_actor`
/// (interfaces.hpp): every conversation verb (api_call); offer_to from a
/// queue; reserve_result, claim and decline from agents; pick from an agent
/// in pull mode, via the directory; its own timers (wait_timer comes from its
/// queue).
conversation_actor spawn_conversation(caf::local_actor* parent, std::string id,
                                      runtime_ptr rt, std::string queue_id,
                                      queue_actor queue, user_actor customer);

} // namespace baton::actors
