// Shards that move: a directory takes over the shards of one that stopped,
// and every directory tells what it holds that the queues and agents of
// those shards run under new actors (docs/cluster.md, "Shards that move").
#include "actors/directory/state.hpp"

#include <algorithm>
#include <unordered_set>

#include "caf/all.hpp"

#include "actors/agent/actor.hpp"
#include "actors/agent/messages.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/conversation/moved_members.hpp"
#include "actors/queue/actor.hpp"

namespace baton::actors::directory_impl {

namespace {

/// `id` falls in one of `shards`.
bool in_taken(const std::unordered_set<std::uint32_t>& shards,
              std::string_view id, std::uint32_t count) {
  return shards.count(engine::cluster::shard_of(id, count)) > 0;
}

template <class Handle>
void start_under_this(std::unordered_map<std::string, Handle>& table,
                      const std::string& id, Handle handle,
                      members_moved& moved) {
  if (auto [i, fresh] = table.try_emplace(id, handle); !fresh) {
    note_moved(moved, id, i->second, handle);
    i->second = std::move(handle);
  }
}

bool serves_one_of(const engine::config::agent& a, const members_moved& m) {
  return std::any_of(m.queues.begin(), m.queues.end(), [&](const auto& q) {
    return std::find(a.queues.begin(), a.queues.end(), q.first)
           != a.queues.end();
  });
}

/// Awake, the conversation `id` hears of `moved` (a `members_moved`);
/// asleep, its record enters a moved queue it waits in; settling into
/// sleep, it is told once it went or stayed.
void tell_conversation(self_ptr self, const std::string& id,
                       const caf::message& moved) {
  auto i = self->state.conversations.find(id);
  if (i == self->state.conversations.end()
      || held_back(self, id,
                   [self, id, moved] { tell_conversation(self, id, moved); }))
    return;
  const auto& entry = i->second;
  if (entry.handle) {
    // Prebuilt, so unchecked, through the untyped handle (a typed actor
    // may not send() to one; anon_send still names it as the sender): a
    // members_moved, which conversations handle.
    self->anon_send(caf::actor_cast<caf::actor>(entry.handle), moved);
    return;
  }
  for (const auto& [queue, handle] : moved.get_as<members_moved>(0).queues)
    if (entry.asleep && queue == entry.asleep->waiting_in)
      enter_again_asleep(self, id, entry, handle);
}

} // namespace

void note_moved(members_moved& moved, const std::string& id, const queue_actor&,
                queue_actor now) {
  moved.queues.emplace_back(id, std::move(now));
}

void note_moved(members_moved& moved, const std::string& id,
                const agent_actor& before, agent_actor now) {
  if (before)
    moved.inboxes.emplace_back(before, now);
  moved.agents.emplace_back(id, std::move(now));
}

void take_shards(self_ptr self, const std::vector<std::uint32_t>& shards,
                 members_moved& moved) {
  auto& st = self->state;
  const auto& cfg = *st.rt->cfg;
  std::unordered_set<std::uint32_t> taken(shards.begin(), shards.end());
  for (auto s : shards)
    st.shards.take(s);
  auto count = st.shards.count();
  for (const auto& q : cfg.queues)
    if (in_taken(taken, q.id, count))
      start_under_this(st.queues, q.id, spawn_queue(self, q, st.rt), moved);
  // Before the first join the agents start with the rest, once every queue
  // is known (start_agents_once_queues_known).
  if (!st.agents_started)
    return;
  for (const auto& a : cfg.agents)
    if (in_taken(taken, a.id, count))
      start_under_this(st.agents, a.id,
                       spawn_agent(self, a, st.rt, self, queues_of(st, a)),
                       moved);
}

void tell_members_of_moved_shards(self_ptr self,
                                  const std::vector<directory_actor>& before) {
  auto& st = self->state;
  if (before.size() != st.holders.size())
    return;
  shards_moved moved{{}, st.shards.count()};
  for (std::uint32_t s = 0; s < st.holders.size(); ++s)
    if (before[s] != st.holders[s])
      moved.shards.push_back(s);
  if (moved.shards.empty())
    return;
  for (const auto& [id, handle] : st.queues)
    if (st.shards.holds(id))
      self->send(handle, moved);
  for (const auto& [id, handle] : st.agents)
    if (st.shards.holds(id))
      self->send(handle, moved);
}

void tell_moved(self_ptr self, const members_moved& moved) {
  if (moved.queues.empty() && moved.agents.empty())
    return;
  auto& st = self->state;
  // Sorted once, so that each conversation looks up its own few handles
  // (conversation/moved_members.hpp); one message shared by all, which none of
  // them changes: a copy each would be the moved roster (thousands of
  // handles after a node died) times the conversations held here.
  auto sorted = moved;
  sort_for_lookup(sorted);
  auto shared = caf::make_message(std::move(sorted));
  for (const auto& [id, entry] : st.conversations)
    tell_conversation(self, id, shared);
  if (moved.queues.empty())
    return;
  const auto& cfg = *st.rt->cfg;
  for (const auto& a : cfg.agents)
    if (st.shards.holds(a.id) && serves_one_of(a, moved))
      if (auto i = st.agents.find(a.id); i != st.agents.end())
        self->send(i->second, agent_reconfigured{queues_of(st, a)});
  tell_supervision_the_queues(self);
}

} // namespace baton::actors::directory_impl
