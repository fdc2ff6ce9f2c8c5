#pragma once

#include <string>

#include "actors/conversation/messages.hpp"

/// Looking up handles in a `members_moved`. After a node died it names
/// thousands of agents and inboxes, and every conversation the survivors
/// hold hears it: the directory sorts it once, and each conversation looks
/// up its own few handles instead of walking it.
namespace baton::actors {

/// Its inboxes by their old handle, its agents by id.
void sort_for_lookup(members_moved& m);

/// In a sorted `m`: the new handle of `held`, if it moved; else null.
const inbox_actor* moved_to(const members_moved& m, const inbox_actor& held);

/// In a sorted `m`: the new actor of the agent `id`, if his moved; else
/// null.
const agent_actor* agent_moved(const members_moved& m, const std::string& id);

} // namespace baton::actors
