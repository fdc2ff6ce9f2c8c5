#include "actors/directory/state.hpp"

#include "caf/all.hpp"

#include "actors/agent/actor.hpp"
#include "actors/agent/messages.hpp"
#include "actors/queue/actor.hpp"
#include "actors/queue/messages.hpp"
#include "actors/supervision/messages.hpp"

namespace baton::actors::directory_impl {

namespace {

std::vector<queue_actor> queues_of(const directory_state& st,
                                   const engine::config::agent& a) {
  std::vector<queue_actor> out;
  for (const auto& q : a.queues)
    out.push_back(st.queues.at(q));
  return out;
}

} // namespace

/// SIGHUP: every actor reads the new configuration from now on. Queues and
/// agents new to it start; a removed queue hands its waiting conversations
/// to the default queue; a removed agent leaves its queues but keeps its
/// sessions and conversations. Nothing open is dropped.
void reload(self_ptr self, std::shared_ptr<const engine::config::config> cfg) {
  auto& st = self->state;
  auto next = std::make_shared<runtime>(*st.rt);
  next->cfg = std::move(cfg);
  runtime_ptr rt = next;
  const auto& c = *rt->cfg;
  for (const auto& q : c.queues) {
    auto i = st.queues.find(q.id);
    if (i == st.queues.end())
      st.queues.emplace(q.id, spawn_queue(self, q, rt));
    else
      self->send(i->second, config_changed{rt});
  }
  // A removed queue stays in the table, retired: it passes on whatever still
  // comes its way, and the table keeps it alive (the directory is linked to
  // it). Added again by a later reload, it takes conversations again.
  auto fallback = st.queues.at(c.routing.default_queue);
  for (const auto& [id, handle] : st.queues)
    if (c.find_queue(id) == nullptr) {
      self->send(handle, config_changed{rt});
      self->send(handle, queue_retired{c.routing.default_queue, fallback});
    }
  for (const auto& a : c.agents) {
    auto i = st.agents.find(a.id);
    if (i == st.agents.end()) {
      st.agents.emplace(a.id, spawn_agent(self, a, rt, self, queues_of(st, a)));
      continue;
    }
    self->send(i->second, config_changed{rt});
    self->send(i->second, agent_reconfigured{queues_of(st, a)});
  }
  for (const auto& [id, handle] : st.agents)
    if (c.find_agent(id) == nullptr) {
      self->send(handle, config_changed{rt});
      self->send(handle, agent_reconfigured{});
    }
  for (const auto& [id, entry] : st.conversations)
    self->send(entry.handle, config_changed{rt});
  supervised_queues supervised;
  for (const auto& q : c.queues)
    supervised.queues.emplace_back(q.id, st.queues.at(q.id));
  self->send(rt->supervision, config_changed{rt});
  self->send(rt->supervision, std::move(supervised));
  st.rt = std::move(rt);
}

} // namespace baton::actors::directory_impl
