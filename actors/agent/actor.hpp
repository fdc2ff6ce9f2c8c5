#pragma once

#include <vector>

#include "caf/fwd.hpp"

#include "actors/runtime.hpp"

namespace baton::actors {

/// Spawns the actor of one configured agent, linked to `parent`: the only
/// owner of the agent's capacity, status and sessions. Its interface is
/// `agent_actor` (interfaces.hpp): the agent's verbs (agent.status,
/// offer.accept, offer.reject, waitlist.*, conversation.list); its sessions
/// and their events; reserve and revoke from conversations; claim_result and
/// released, the outcome of an accept or pick and the end of a conversation.
agent_actor spawn_agent(caf::local_actor* parent,
                        const engine::config::agent& agent, runtime_ptr rt,
                        directory_actor directory,
                        std::vector<queue_actor> queues);

} // namespace baton::actors
