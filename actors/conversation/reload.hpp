#pragma once

#include "actors/conversation/state.hpp"

/// What a reload asks of a conversation actor beyond reading the new
/// configuration.
namespace baton::actors::conversation_impl {

/// Its queue was removed: the conversation, still waiting, enters `m.queue`
/// with its original age and priority; the customer is told where it waits.
void on_queue_moved(self_ptr self, const queue_moved& m);

/// The new configuration is read; a monitor it no longer lets supervise
/// (taken off the roster, or an agent whose `supervise` it took) hears
/// nothing more of the conversation.
void on_config_changed(self_ptr self);

} // namespace baton::actors::conversation_impl
