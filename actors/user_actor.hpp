#pragma once

#include "caf/fwd.hpp"

namespace baton::actors {

/// Spawns the inbox of a user who is not a configured agent (a customer, a
/// supervisor, a bot), linked to `parent`: it fans events out to the user's
/// sessions. It handles attach_sink, detach_sink and deliver.
caf::actor spawn_user(caf::event_based_actor* parent);

} // namespace baton::actors
