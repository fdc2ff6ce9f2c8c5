#pragma once

#include "actors/conversation/state.hpp"

/// What a conversation does when queues or agents it reaches by handle start
/// anew under another directory (docs/cluster.md, "Shards that move").
namespace baton::actors::conversation_impl {

/// It reaches them by their new handles from now on: a queue it waits in
/// gets it again (at once, or when a round of offers out ends unwon), an
/// agent taking part in it counts it again against its capacity, and its
/// users' events go to the inboxes made for them at their holders.
void on_members_moved(self_ptr self, const members_moved& m);

/// Enters the queue it waits in again as it last entered it (when, and
/// whom not to offer it): the queue started anew.
void enter_as_before(self_ptr self);

} // namespace baton::actors::conversation_impl
