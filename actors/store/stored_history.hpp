#pragma once

#include <vector>

#include "actors/api.hpp"
#include "engine/storage/store.hpp"

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

/// The same two read from `store`, which loads only what each needs: the
/// first event to judge a customer or a bot, then a page's rows, never the
/// whole log for them. Staff are judged by the whole log (whether they
/// ever joined). Throws store_error when the store cannot answer.
reply history_from_store(engine::storage::log_reader& store, const caller& who,
                         const conversation_history& r);
reply explanation_from_store(engine::storage::log_reader& store,
                             const caller& who, const explain_conversation& r,
                             bool supervisor);

} // namespace baton::actors
