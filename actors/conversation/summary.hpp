#pragma once

#include "actors/api/rows.hpp"
#include "engine/conversation/conversation.hpp"
#include "engine/routing/wait_estimate.hpp"

namespace baton::actors {

/// What lists show of a conversation (conversation.list, welcome,
/// supervisors' views): its state, and while it waits in a queue
/// (`in_queue`), its place as last told. The actor and the directory, for
/// one that sleeps, make it the same way.
conversation_summary summarize(const engine::conversation& c, bool in_queue,
                               const engine::line_place& place);

} // namespace baton::actors
