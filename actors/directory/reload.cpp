#include "actors/directory/state.hpp"

#include "caf/all.hpp"

#include "actors/agent/actor.hpp"
#include "actors/agent/messages.hpp"
#include "actors/queue/actor.hpp"
#include "actors/queue/messages.hpp"
#include "actors/supervision/messages.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {

/// SIGHUP: every actor reads the new configuration from now on. Queues and
/// agents new to it start; a removed queue hands its waiting conversations
/// to the default queue; a removed agent leaves its queues but keeps its
/// sessions and conversations. Nothing open is dropped.
void reload(self_ptr self, std::uint64_t version) {
  auto& st = self->state;
  auto cfg = st.rt->source->staged(version);
  if (!cfg)
    return; // a newer reload replaced it: its own new_config follows
  if (st.shards.spread()) {
    // Queues and agents new to the file would start under their holders
    // and be learnt by all the others: joining again, not built yet
    // (docs/cluster.md, "The steps, in order").
    log::warn("reload refused: this directory shares its shards")
      .field("version", version);
    return;
  }
  auto next = std::make_shared<runtime>(*st.rt);
  next->cfg = std::move(cfg);
  next->version = version;
  runtime_ptr rt = next;
  rt->source->install(rt);
  const auto& c = *rt->cfg;
  for (const auto& q : c.queues) {
    auto i = st.queues.find(q.id);
    if (i == st.queues.end())
      st.queues.emplace(q.id, spawn_queue(self, q, rt));
    else
      self->send(i->second, config_changed{version});
  }
  // A removed queue stays in the table, retired: it passes on whatever still
  // comes its way, and the table keeps it alive (the directory is linked to
  // it). Added again by a later reload, it takes conversations again.
  auto fallback = st.queues.at(c.routing.default_queue);
  for (const auto& [id, handle] : st.queues)
    if (c.find_queue(id) == nullptr) {
      self->send(handle, config_changed{version});
      self->send(handle, queue_retired{c.routing.default_queue, fallback});
    }
  for (const auto& a : c.agents) {
    auto i = st.agents.find(a.id);
    if (i == st.agents.end()) {
      st.agents.emplace(a.id, spawn_agent(self, a, rt, self, queues_of(st, a)));
      continue;
    }
    self->send(i->second, config_changed{version});
    self->send(i->second, agent_reconfigured{queues_of(st, a)});
  }
  for (const auto& [id, handle] : st.agents)
    if (c.find_agent(id) == nullptr) {
      self->send(handle, config_changed{version});
      self->send(handle, agent_reconfigured{});
    }
  // A sleeping conversation reads the runtime of when it wakes.
  for (const auto& [id, entry] : st.conversations)
    if (entry.handle)
      self->send(entry.handle, config_changed{version});
  supervised_queues supervised;
  for (const auto& q : c.queues)
    supervised.queues.emplace_back(q.id, st.queues.at(q.id));
  self->send(rt->supervision, config_changed{version});
  self->send(rt->supervision, std::move(supervised));
  st.rt = std::move(rt);
}

} // namespace baton::actors::directory_impl
