#pragma once

#include <functional>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"

#include "actors/api.hpp"
#include "actors/runtime.hpp"
#include "engine/conversation/events.hpp"

namespace baton::actors {

/// Spawns the supervision actor, linked to `parent`: it keeps the
/// supervisors' subscriptions (`supervise.subscribe`) and sends them
/// `queue.stats` every `supervision.stats_interval_ms` (only while someone is
/// subscribed), and `conversation.updated` and `agent.updated` for their
/// queues. It also keeps the attribution ledger. It handles
///   subscribe_supervisor   from the directory
///   api_call               attribution_query, from the directory
///   agent_spoke            from a conversation: for attribution
///   sessions_ended         a user's last session closed: its subscription goes
///   conversation_summary   from a conversation whose state or agents changed
///   agent_row              from an agent whose status or load changed
///   supervised_queues      the queues to gather stats from (start, reload)
///   config_changed         a reload
///   stats_tick (to itself)
caf::actor spawn_supervision(caf::event_based_actor* parent, runtime_ptr rt);

/// Whether these events change what a conversation's summary shows a
/// supervisor (state, queue, agents, assignee): messages, whispers and
/// typing do not.
bool changes_summary(const std::vector<engine::event>& events) noexcept;

/// What a conversation tells supervision after logging `events`: its
/// summary when they change it, and each customer-visible message an agent
/// sent to `customer`.
void report_to_supervision(
  caf::event_based_actor* self, const caf::actor& supervision,
  const std::string& customer, const std::vector<engine::event>& events,
  const std::function<conversation_summary()>& summary);

} // namespace baton::actors
