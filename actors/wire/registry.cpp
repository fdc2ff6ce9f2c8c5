#include "actors/wire/registry.hpp"

#include "caf/actor_system_config.hpp"

#include "actors/wire/type_ids.hpp"

namespace baton::actors {

void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::baton>();
}

} // namespace baton::actors
