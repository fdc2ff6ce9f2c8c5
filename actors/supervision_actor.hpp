#pragma once

#include <vector>

#include "caf/fwd.hpp"

#include "actors/runtime.hpp"
#include "engine/conversation/events.hpp"

namespace baton::actors {

/// Spawns the supervision actor, linked to `parent`: it keeps the
/// supervisors' subscriptions (`supervise.subscribe`) and sends them
/// `queue.stats` every `supervision.stats_interval_ms` (only while someone is
/// subscribed), and `conversation.updated` and `agent.updated` for their
/// queues. It handles
///   subscribe_supervisor   from the directory
///   sessions_ended         a user's last session closed: its subscription goes
///   conversation_summary   from a conversation whose state or agents changed
///   agent_row              from an agent whose status or load changed
///   supervised_queues      the queues to gather stats from (start, reload)
///   stats_tick (to itself)
caf::actor spawn_supervision(caf::event_based_actor* parent, runtime_ptr rt);

/// Whether these events change what a conversation's summary shows a
/// supervisor (state, queue, agents, assignee): messages, whispers and
/// typing do not.
bool changes_summary(const std::vector<engine::event>& events) noexcept;

} // namespace baton::actors
