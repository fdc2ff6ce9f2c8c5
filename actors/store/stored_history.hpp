#pragma once

#include <vector>

#include "actors/api.hpp"

namespace baton::actors {

/// What a client hears when the store cannot be read: never "no such
/// conversation", which would be a lie.
reply store_unavailable();

/// `conversation.history` of a conversation no actor holds (closed before
/// the last restart), from its stored log: the same rules as a live one.
/// The customer and every agent who ever took part may read it.
reply history_from_log(const std::vector<engine::event>& log, const caller& who,
                       const conversation_history& r);

/// `conversation.explain` of such a conversation: for supervisors (the
/// directory judged `supervisor`) and staff who took part.
reply explanation_from_log(const std::vector<engine::event>& log,
                           const caller& who, const explain_conversation& r,
                           bool supervisor);

} // namespace baton::actors
