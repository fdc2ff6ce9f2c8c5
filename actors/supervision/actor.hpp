#pragma once

#include <functional>
#include <string>
#include <vector>

#include "caf/fwd.hpp"

#include "actors/api.hpp"
#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"
#include "engine/conversation/events.hpp"

namespace baton::actors {

/// Spawns the supervision actor, linked to `parent`: it keeps the
/// supervisors' subscriptions (`supervise.subscribe`) and sends them
/// `queue.stats` every `supervision.stats_interval_ms` (only while someone is
/// subscribed), and `conversation.updated` and `agent.updated` for their
/// queues. Its interface is `supervision_actor` (interfaces.hpp):
/// subscriptions from the directory; conversation summaries and agent rows
/// as they change; sessions_ended when a user's last session closes (its
/// subscription goes); the queues to gather stats from.
supervision_actor spawn_supervision(caf::local_actor* parent, runtime_ptr rt);

/// Whether these events change what a conversation's summary shows a
/// supervisor (state, queue, agents, assignee): messages, whispers and
/// typing do not.
bool changes_summary(const std::vector<engine::event>& events) noexcept;

/// What a conversation tells supervision after logging `events`: its
/// summary when they change it. Nobody answers, so no sender is named.
void report_to_supervision(
  const supervision_actor& supervision,
  const std::vector<engine::event>& events,
  const std::function<conversation_summary()>& summary);

} // namespace baton::actors
