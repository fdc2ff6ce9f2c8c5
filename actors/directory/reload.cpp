#include "actors/directory/state.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/agent/actor.hpp"
#include "actors/agent/messages.hpp"
#include "actors/queue/actor.hpp"
#include "actors/queue/messages.hpp"
#include "actors/supervision/messages.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {

namespace {

/// Each agent of this directory's shards in the new file: a new one starts,
/// one that was there reads its entry again; either once every queue it
/// serves is known (a new queue held elsewhere is told by its holder:
/// until then the agent waits, in `agents_awaiting_queues`). Whether one
/// started now.
bool reconfigure_agents(self_ptr self, const engine::config::config& c) {
  auto& st = self->state;
  for (const auto& a : c.agents) {
    if (!st.shards.holds(a.id))
      continue;
    auto i = st.agents.find(a.id);
    if (i != st.agents.end())
      self->send(i->second, config_changed{st.rt->version});
    st.agents_awaiting_queues.insert(a.id);
  }
  bool started = start_agents_whose_queues_are_known(self);
  for (const auto& [id, handle] : st.agents)
    if (st.shards.holds(id) && c.find_agent(id) == nullptr) {
      self->send(handle, config_changed{st.rt->version});
      self->send(handle, agent_reconfigured{});
      st.agents_removed.try_emplace(handle.address(), id);
    }
  return started;
}

/// Whether an agent a reload removed still runs here.
bool removed_agents_running(const directory_state& st) {
  const auto& c = *st.rt->cfg;
  return std::any_of(st.agents_removed.begin(), st.agents_removed.end(),
                     [&c](const auto& entry) {
                       return c.find_agent(entry.second) == nullptr;
                     });
}

} // namespace

void on_agent_stopped(self_ptr self, const caf::actor_addr& source) {
  auto& st = self->state;
  auto removed = st.agents_removed.find(source);
  if (removed == st.agents_removed.end())
    return;
  auto id = std::move(removed->second);
  st.agents_removed.erase(removed);
  if (auto i = st.agents.find(id);
      i != st.agents.end() && i->second.address() == source)
    st.agents.erase(i);
  // Added back by a reload read before he stopped: he starts anew, and the
  // other directories learn his new actor.
  bool restarted = false;
  if (st.shards.holds(id) && st.rt->cfg->find_agent(id) != nullptr) {
    st.agents_awaiting_queues.insert(id);
    restarted = start_agents_whose_queues_are_known(self);
  }
  // Sharing the shards, the others drop their handles of removed agents
  // once none runs here (learn_roster): one roster for a reload's worth,
  // but for agents a second reload added back before they stopped (one
  // roster each, as for any agent a reload starts).
  if (restarted || !removed_agents_running(st))
    tell_roster(self);
}

bool start_agents_whose_queues_are_known(self_ptr self) {
  auto& st = self->state;
  const auto& c = *st.rt->cfg;
  bool started = false;
  std::erase_if(st.agents_awaiting_queues, [&](const std::string& id) {
    const auto* a = c.find_agent(id);
    if (a == nullptr)
      return true;
    for (const auto& q : a->queues)
      if (st.queues.count(q) == 0)
        return false;
    auto i = st.agents.find(id);
    if (i == st.agents.end()) {
      st.agents.emplace(id,
                        spawn_agent(self, *a, st.rt, self, queues_of(st, *a)));
      started = true;
    } else {
      self->send(i->second, agent_reconfigured{queues_of(st, *a)});
    }
    return true;
  });
  return started;
}

/// SIGHUP: every actor reads the new configuration from now on. Queues and
/// agents new to it start (under their holders, when the shards are
/// shared: the others learn them as they join); a removed queue hands its
/// waiting conversations to the default queue; a removed agent leaves its
/// queues but keeps its sessions and conversations, and stops once none is
/// left. Nothing open is dropped.
void reload(self_ptr self, std::uint64_t version) {
  auto& st = self->state;
  auto cfg = st.rt->source->staged(version);
  if (!cfg)
    return; // a newer reload replaced it: its own new_config follows
  auto next = std::make_shared<runtime>(*st.rt);
  next->cfg = std::move(cfg);
  next->version = version;
  runtime_ptr rt = next;
  rt->source->install(rt);
  const auto& c = *rt->cfg;
  bool own_roster_changed = false;
  for (const auto& q : c.queues) {
    if (!st.shards.holds(q.id))
      continue; // its holder starts or tells it
    auto i = st.queues.find(q.id);
    if (i == st.queues.end()) {
      st.queues.emplace(q.id, spawn_queue(self, q, rt));
      own_roster_changed = true;
    } else {
      self->send(i->second, config_changed{version});
    }
  }
  // A removed queue stays in the table, retired: it passes on whatever still
  // comes its way, and the table keeps it alive (the directory is linked to
  // it). Added again by a later reload, it takes conversations again.
  auto fallback = st.queues.find(c.routing.default_queue);
  for (const auto& [id, handle] : st.queues) {
    if (!st.shards.holds(id) || c.find_queue(id) != nullptr)
      continue;
    self->send(handle, config_changed{version});
    if (fallback != st.queues.end())
      self->send(handle,
                 queue_retired{c.routing.default_queue, fallback->second});
    else
      log::warn("reload: a removed queue keeps its line until the default "
                "queue is known here")
        .field("queue", id);
  }
  st.rt = std::move(rt);
  // One removed is not coming: recovery waits for it no longer.
  std::erase_if(st.recovering.awaited, [&c](const std::string& id) {
    return c.find_queue(id) == nullptr && c.find_agent(id) == nullptr;
  });
  restore_when_ready(self);
  own_roster_changed = reconfigure_agents(self, c) || own_roster_changed;
  // A sleeping conversation reads the runtime of when it wakes.
  for (const auto& [id, entry] : st.conversations)
    if (entry.handle)
      self->send(entry.handle, config_changed{version});
  self->send(st.rt->supervision, config_changed{version});
  tell_supervision_the_queues(self);
  if (own_roster_changed)
    tell_roster(self); // sharing the shards, the others learn them
}

} // namespace baton::actors::directory_impl
