#include "actors/conversation/moved_members.hpp"

#include <algorithm>
#include <utility>

namespace baton::actors {

namespace {

constexpr auto old_inbox = &std::pair<inbox_actor, inbox_actor>::first;
constexpr auto agent_id = &std::pair<std::string, agent_actor>::first;

} // namespace

void sort_for_lookup(members_moved& m) {
  std::ranges::sort(m.inboxes, {}, old_inbox);
  std::ranges::sort(m.agents, {}, agent_id);
}

const inbox_actor* moved_to(const members_moved& m, const inbox_actor& held) {
  auto i = std::ranges::lower_bound(m.inboxes, held, {}, old_inbox);
  return i != m.inboxes.end() && i->first == held ? &i->second : nullptr;
}

const agent_actor* agent_moved(const members_moved& m, const std::string& id) {
  auto i = std::ranges::lower_bound(m.agents, id, {}, agent_id);
  return i != m.agents.end() && i->first == id ? &i->second : nullptr;
}

} // namespace baton::actors
