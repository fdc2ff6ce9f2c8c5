// Several directories sharing the shards: each runs the conversations,
// users, queues and agents whose ids fall in its own, and sends what is for
// another's ids to that one (the inboxes this makes across directories are
// in remote_holds.cpp). Callers see no difference: a handle on another
// directory is used as a local one.
#include "actors/directory/state.hpp"

#include <optional>

#include "caf/all.hpp"

#include "actors/agent/actor.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/queue/actor.hpp"
#include "actors/supervision/messages.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {

directory_actor holder_elsewhere(self_ptr self, std::string_view id) {
  auto& st = self->state;
  if (st.shards.holds(id) || st.holders.empty())
    return {};
  return st.holders[engine::cluster::shard_of(id, st.shards.count())];
}

bool sent_to_holder(self_ptr self, std::string_view id, api_call& call,
                    reply_promise& rp) {
  auto holder = holder_elsewhere(self, id);
  if (!holder)
    return false;
  rp.delegate(holder, std::move(call));
  return true;
}

bool passed_on(self_ptr self, const std::string& conversation, api_call& call,
               reply_promise& rp) {
  if (!self->state.shards.spread())
    return false;
  if (!call.inbox && !agent_of(self, call.who)) {
    auto key = engine::user_key(call.who.role, call.who.user);
    if (sent_to_holder(self, key, call, rp))
      return true;
    if (auto holder = holder_elsewhere(self, conversation)) {
      send_with_inbox(self, holder, conversation, call, rp);
      return true;
    }
    return false;
  }
  return sent_to_holder(self, conversation, call, rp);
}

void start_queues(self_ptr self) {
  auto& st = self->state;
  for (const auto& q : st.rt->cfg->queues)
    if (st.shards.holds(q.id))
      st.queues.emplace(q.id, spawn_queue(self, q, st.rt));
}

void start_agents_once_queues_known(self_ptr self) {
  auto& st = self->state;
  const auto& cfg = *st.rt->cfg;
  if (st.agents_started)
    return;
  for (const auto& q : cfg.queues)
    if (st.queues.count(q.id) == 0)
      return;
  st.agents_started = true;
  supervised_queues supervised;
  for (const auto& q : cfg.queues)
    supervised.queues.emplace_back(q.id, st.queues.at(q.id));
  self->send(st.rt->supervision, std::move(supervised));
  for (const auto& a : cfg.agents) {
    if (!st.shards.holds(a.id))
      continue;
    std::vector<queue_actor> queues;
    for (const auto& q : a.queues)
      queues.push_back(st.queues.at(q));
    st.agents.emplace(a.id,
                      spawn_agent(self, a, st.rt, self, std::move(queues)));
  }
}

namespace {

/// Adds the handles of ids another directory holds; this one's own stay.
/// One known by another handle before started anew (its shard moved): it
/// goes to `moved` too.
template <class Handle>
void learn(const directory_state& st,
           std::unordered_map<std::string, Handle>& table,
           const std::vector<std::pair<std::string, Handle>>& handles,
           std::vector<std::pair<std::string, Handle>>& moved) {
  for (const auto& [id, handle] : handles) {
    if (st.shards.holds(id))
      continue;
    auto [i, fresh] = table.try_emplace(id, handle);
    if (!fresh && i->second != handle) {
      i->second = handle;
      moved.emplace_back(id, handle);
    }
  }
}

template <class Handle>
std::vector<std::pair<std::string, Handle>>
own(const directory_state& st,
    const std::unordered_map<std::string, Handle>& table) {
  std::vector<std::pair<std::string, Handle>> out;
  for (const auto& [id, handle] : table)
    if (st.shards.holds(id))
      out.emplace_back(id, handle);
  return out;
}

/// The shards a table gives this directory that it does not hold yet; none
/// when the table does not fit: it must name this directory for every shard
/// it holds (giving one up is a drain's) and a directory for every other,
/// or it sends ids to the wrong holder, or back here for ever.
std::optional<std::vector<std::uint32_t>>
shards_given(self_ptr self, const std::vector<directory_actor>& holders) {
  const auto& shards = self->state.shards;
  if (holders.size() != shards.count())
    return std::nullopt;
  std::vector<std::uint32_t> given;
  for (std::uint32_t s = 0; s < holders.size(); ++s) {
    bool mine = holders[s] == self;
    if (!holders[s] || (shards.holds_shard(s) && !mine))
      return std::nullopt;
    if (mine && !shards.holds_shard(s))
      given.push_back(s);
  }
  return given;
}

} // namespace

bool joined(const directory_state& st) {
  return !st.shards.spread()
         || (!st.holders.empty() && st.agents_started
             && st.agents.size() >= st.rt->cfg->agents.size());
}

directory_roster on_join(self_ptr self, join_directories& j) {
  auto& st = self->state;
  members_moved moved;
  if (st.shards.spread()) {
    if (auto given = shards_given(self, j.holders)) {
      st.holders = std::move(j.holders);
      take_shards(self, *given, moved);
    } else {
      log::error("join refused: its table does not match this directory's "
                 "shards")
        .field("shards", static_cast<std::uint64_t>(st.shards.count()))
        .field("table", static_cast<std::uint64_t>(j.holders.size()));
    }
  }
  learn(st, st.queues, j.queues, moved.queues);
  start_agents_once_queues_known(self);
  learn(st, st.agents, j.agents, moved.agents);
  tell_moved(self, moved);
  return {own(st, st.queues), own(st, st.agents)};
}

} // namespace baton::actors::directory_impl
