#pragma once

#include <cstdint>

#include "caf/actor.hpp"

namespace baton::actors {

/// Spawns the inbox of a user who is not a configured agent (a customer, a
/// supervisor, a bot), linked to `parent` (the directory, which stops it
/// with inbox_close once nothing keeps it): it fans events out to the
/// user's sessions and knows the conversations the user started, and the
/// last `closed_listed` of them that closed and left memory. It handles
/// attach_session, detach_session, deliver, track_conversation,
/// conversation_retired, inbox_close and api_call (conversation.list). When
/// its last session closes it tells `supervision`, which drops the user's
/// subscription.
caf::actor spawn_user(caf::event_based_actor* parent, caf::actor supervision,
                      std::int64_t closed_listed);

} // namespace baton::actors
