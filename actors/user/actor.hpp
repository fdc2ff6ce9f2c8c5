#pragma once

#include <cstdint>

#include "caf/fwd.hpp"

#include "actors/interfaces.hpp"
#include "actors/session/local_sinks.hpp"

namespace baton::actors {

/// Spawns the inbox of a user who is not a configured agent (a customer, a
/// supervisor, a bot), monitored by `parent` (the directory, which stops it
/// with inbox_close once nothing keeps it): it fans events out to the
/// user's sessions and knows the conversations the user started, and the
/// last `closed_listed` of them that closed and left memory. Its interface is
/// `user_actor` (interfaces.hpp): sessions and their events, the
/// conversations it tracks, conversation.list, and inbox_close. When
/// its last session closes it tells `supervision`, which drops the user's
/// subscription. `sinks`: the sessions of this process, reached directly.
user_actor spawn_user(caf::local_actor* parent, supervision_actor supervision,
                      std::int64_t closed_listed, local_sinks_ptr sinks);

} // namespace baton::actors
