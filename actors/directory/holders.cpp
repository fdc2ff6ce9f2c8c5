// Several directories sharing the shards: each runs the conversations,
// users, queues and agents whose ids fall in its own, and sends what is for
// another's ids to that one (how they learn of each other is in
// joining.cpp; the inboxes this makes across directories are in
// remote_holds.cpp). Callers see no difference: a handle on another
// directory is used as a local one.
#include "actors/directory/state.hpp"

#include "caf/all.hpp"

#include "actors/agent/actor.hpp"
#include "actors/queue/actor.hpp"
#include "actors/supervision/messages.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {

bool on_its_way(const directory_state& st, std::string_view id) {
  if (st.shards.holds(id) || st.holders.empty())
    return false;
  auto shard = engine::cluster::shard_of(id, st.shards.count());
  return st.moving.count(shard) > 0
         || st.holders_down.count(st.holders[shard].address()) > 0;
}

bool agent_on_its_way(const directory_state& st, const std::string& id) {
  return on_its_way(st, id) || st.recovering.awaited.count(id) > 0;
}

directory_actor holder_elsewhere(self_ptr self, std::string_view id) {
  auto& st = self->state;
  if (st.shards.holds(id) || st.holders.empty())
    return {};
  // Answered "moving" until a newer table names where it went.
  if (on_its_way(st, id))
    return mover_of(self);
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

std::vector<queue_actor> queues_of(const directory_state& st,
                                   const engine::config::agent& a) {
  std::vector<queue_actor> out;
  for (const auto& q : a.queues)
    out.push_back(st.queues.at(q));
  return out;
}

void tell_supervision_the_queues(self_ptr self) {
  const auto& st = self->state;
  supervised_queues supervised;
  for (const auto& q : st.rt->cfg->queues)
    if (auto i = st.queues.find(q.id); i != st.queues.end())
      supervised.queues.emplace_back(q.id, i->second);
  self->send(st.rt->supervision, std::move(supervised));
}

void start_queues(self_ptr self) {
  auto& st = self->state;
  for (const auto& q : st.rt->cfg->queues)
    if (st.shards.holds(q.id))
      st.queues.emplace(q.id, spawn_queue(self, q, st.rt));
}

bool start_agents_once_queues_known(self_ptr self) {
  auto& st = self->state;
  const auto& cfg = *st.rt->cfg;
  if (st.agents_started)
    return false;
  for (const auto& q : cfg.queues)
    if (st.queues.count(q.id) == 0)
      return false;
  st.agents_started = true;
  tell_supervision_the_queues(self);
  for (const auto& a : cfg.agents)
    if (st.shards.holds(a.id))
      st.agents.emplace(a.id,
                        spawn_agent(self, a, st.rt, self, queues_of(st, a)));
  return true;
}

bool joined(const directory_state& st) {
  return !st.shards.spread() || st.roster_complete;
}

void watch_holders(self_ptr self) {
  auto& st = self->state;
  std::unordered_set<caf::actor_addr, actor_addr_hash> named;
  for (const auto& holder : st.holders)
    if (holder && holder != self) {
      named.insert(holder.address());
      if (st.holders_watched.insert(holder.address()).second)
        self->monitor(holder);
    }
  std::erase_if(st.holders_watched, [&](const caf::actor_addr& a) {
    if (named.count(a) > 0)
      return false;
    self->demonitor(a);
    return true;
  });
  std::erase_if(st.holders_down,
                [&](const caf::actor_addr& a) { return named.count(a) == 0; });
  forget_unwatched_supervisions(self);
}

bool on_holder_down(self_ptr self, const caf::actor_addr& source,
                    const caf::error& reason) {
  auto& st = self->state;
  if (st.holders_watched.erase(source) == 0)
    return false;
  st.holders_down.insert(source);
  forget_unwatched_supervisions(self);
  log::warn("cluster: a directory holding shards is gone; what is for them "
            "is answered \"moving\" until a newer table")
    .field("reason", caf::to_string(reason));
  return true;
}

reply not_joined_yet() {
  return reply::error(errc::unavailable,
                      "this node is starting: try again in a moment");
}

} // namespace baton::actors::directory_impl
