#pragma once

#include <string>

#include "caf/fwd.hpp"

#include "actors/runtime.hpp"

namespace baton::actors {

/// Spawns the actor of one conversation, linked to `parent`: the only owner
/// of its participants and the only judge of who wins it. It handles
///   api_call        start, message.send, conversation.close
///   offer_to        from its queue: offer to these agents
///   reserve_result  from an agent: slot held (or full)
///   claim, decline  from an agent: accept; reject or going offline
///   pick            from an agent (pull mode), via the directory
///   offer_timer, wait_timer (to itself)
caf::actor spawn_conversation(caf::event_based_actor* parent, std::string id,
                              runtime_ptr rt, caf::actor queue,
                              caf::actor customer);

} // namespace baton::actors
