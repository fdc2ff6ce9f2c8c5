#pragma once

#include <vector>

#include "caf/fwd.hpp"

#include "actors/runtime.hpp"

namespace baton::actors {

/// Spawns the actor of one configured agent, linked to `parent`: the only
/// owner of the agent's capacity, status and sessions. It handles
///   api_call       agent.status, offer.accept, offer.reject, waitlist.*
///   attach_session, detach_session   sessions opening and closing
///   reserve, revoke            offers from conversations
///   claim_result, released     the outcome of an accept or pick; a close
///   waiting_answer             a queue's part of waitlist.list
///   deliver                    an event for the agent's sessions
///   grace_timer (to itself)
caf::actor spawn_agent(caf::event_based_actor* parent,
                       const engine::config::agent& agent, runtime_ptr rt,
                       caf::actor directory, std::vector<caf::actor> queues);

} // namespace baton::actors
