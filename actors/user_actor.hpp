#pragma once

#include "caf/actor.hpp"

namespace baton::actors {

/// Spawns the inbox of a user who is not a configured agent (a customer, a
/// supervisor, a bot), linked to `parent`: it fans events out to the user's
/// sessions and knows the conversations the user started. It handles
/// attach_sink, detach_sink, deliver, track_conversation and api_call
/// (conversation.list). When its last session closes it tells
/// `supervision`, which drops the user's subscription.
caf::actor spawn_user(caf::event_based_actor* parent, caf::actor supervision);

} // namespace baton::actors
