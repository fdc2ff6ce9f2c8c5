#pragma once

namespace caf {
class actor_system_config;
} // namespace caf

namespace baton::actors {

/// Registers every message of type_ids.hpp with `cfg`, so the middleman can
/// send it to another node. Call it before the actor system starts.
void add_message_types(caf::actor_system_config& cfg);

} // namespace baton::actors
