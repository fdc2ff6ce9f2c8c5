#include "actors/queue_actor.hpp"

#include <unordered_map>
#include <unordered_set>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "engine/ids.hpp"
#include "engine/routing/agent_pool.hpp"
#include "engine/routing/waiting_list.hpp"

namespace baton::actors {
namespace {

/// How many waiting conversations a dispatch may pass over (no agent allowed
/// their topic) before it stops: it keeps one dispatch bounded.
constexpr int max_skipped_per_dispatch = 256;

/// At most this many entries answer one waitlist.list.
constexpr std::size_t max_listed = 500;

struct waiter {
  caf::actor handle;
  engine::channel channel = engine::channel::web;
  engine::participant customer;
  std::string content;
  bool in_round = false;
  std::unordered_set<std::string> tried;
};

struct queue_actor_state {
  runtime_ptr rt;
  engine::config::queue cfg;
  engine::waiting_list waiting;
  engine::agent_pool pool{engine::strategy::longest_idle};
  engine::id_generator offer_ids{"o-", 0};
  std::unordered_map<std::string, waiter> waiters;
  std::unordered_map<std::string, caf::actor> agents;
  std::unordered_set<std::string> restricted_topics;
  bool retry_pending = false;
};

using self_ptr = caf::stateful_actor<queue_actor_state>*;

void schedule_retry(self_ptr self) {
  auto& st = self->state;
  if (st.retry_pending)
    return;
  st.retry_pending = true;
  self->delayed_send(self, as_duration(st.rt->cfg->routing.reoffer_delay_ms),
                     retry_timer{});
}

/// Offers waiting conversations, from the head, to the agents the strategy
/// names, until agents or conversations run out.
void dispatch(self_ptr self) {
  auto& st = self->state;
  if (st.cfg.mode == engine::queue_mode::pull)
    return;
  auto now = now_ms(self, *st.rt);
  int skipped = 0;
  st.waiting.for_each([&](const engine::waiting_list::entry& e) {
    if (st.pool.eligible_count() == 0 || skipped >= max_skipped_per_dispatch)
      return false;
    auto& w = st.waiters.at(e.conversation);
    if (w.in_round)
      return true;
    bool restricted = st.restricted_topics.count(e.topic) > 0;
    auto skip = [&w](const std::string& agent) {
      return w.tried.count(agent) > 0;
    };
    auto choose = [&] {
      std::vector<std::string> chosen;
      if (st.cfg.strategy == engine::strategy::ring_all)
        chosen = st.pool.pick_all(e.topic, restricted, skip);
      else if (auto one = st.pool.pick(e.topic, restricted, skip))
        chosen.push_back(std::move(*one));
      return chosen;
    };
    auto chosen = choose();
    if (chosen.empty() && !w.tried.empty()) {
      // Everyone allowed has had a turn: go round again after a pause, so
      // that others get a slot freed by a decline first.
      w.tried.clear();
      schedule_retry(self);
    }
    if (chosen.empty()) {
      ++skipped;
      return true;
    }
    offer_to round;
    round.kind = engine::offer_kind::new_;
    round.timeout_ms = st.cfg.offer_timeout_ms;
    round.assign_at_once = st.cfg.mode == engine::queue_mode::auto_assign;
    for (auto& agent : chosen) {
      st.pool.note_offer(agent, now);
      round.targets.push_back(
        {st.offer_ids.next(now), agent, st.agents.at(agent)});
    }
    w.in_round = true;
    self->send(w.handle, std::move(round));
    return true;
  });
}

void count_waiting(self_ptr self) {
  auto& st = self->state;
  st.rt->metrics->conversations_waiting.at(st.cfg.id).set(
    static_cast<std::int64_t>(st.waiting.size()));
}

void forget(self_ptr self, const std::string& conversation) {
  self->state.waiting.remove(conversation);
  self->state.waiters.erase(conversation);
  count_waiting(self);
}

std::vector<waiting_entry> list_for(self_ptr self,
                                    const std::vector<std::string>& topics) {
  auto& st = self->state;
  auto now = now_ms(self, *st.rt);
  std::vector<waiting_entry> out;
  st.waiting.for_each([&](const engine::waiting_list::entry& e) {
    bool allowed = st.restricted_topics.count(e.topic) == 0
                   || std::find(topics.begin(), topics.end(), e.topic)
                        != topics.end();
    if (allowed) {
      const auto& w = st.waiters.at(e.conversation);
      out.push_back({e.conversation, st.cfg.id, e.topic, w.channel,
                     w.customer, now - e.enqueued_at, w.content});
    }
    return out.size() < max_listed;
  });
  return out;
}

queue_row stats_of(self_ptr self) {
  auto& st = self->state;
  queue_row row;
  row.queue = st.cfg.id;
  row.name = st.cfg.name;
  st.pool.for_each([&](const engine::agent_view& a) {
    bool ready = a.status == engine::agent_status::ready;
    row.agents_ready += ready;
    row.agents_available += ready && a.connected;
    row.agents_busy += a.load > 0;
  });
  row.waiting = static_cast<std::uint32_t>(st.waiting.size());
  if (auto oldest = st.waiting.oldest_enqueued_at())
    row.longest_wait_ms = now_ms(self, *st.rt) - *oldest;
  return row;
}

caf::behavior queue_behavior(self_ptr self, engine::config::queue cfg,
                             runtime_ptr rt) {
  auto& st = self->state;
  st.pool = engine::agent_pool(cfg.strategy, rt->seed ^ 0x9e3779b97f4a7c15);
  st.offer_ids = engine::id_generator("o-", rt->seed + std::hash<std::string>{}(cfg.id));
  for (const auto& topic : rt->cfg->topics)
    if (topic.restricted)
      st.restricted_topics.insert(topic.id);
  st.cfg = std::move(cfg);
  st.rt = std::move(rt);
  return {
    [=](enqueue& e) {
      auto& st = self->state;
      st.waiting.push({e.conversation, e.priority, e.enqueued_at, e.topic});
      st.waiters[e.conversation] =
        waiter{std::move(e.handle), e.channel,  std::move(e.customer),
               std::move(e.content), false, {}};
      count_waiting(self);
      dispatch(self);
    },
    [=](const dequeue& d) { forget(self, d.conversation); },
    [=](offer_round_ended& r) {
      auto& st = self->state;
      auto i = st.waiters.find(r.conversation);
      if (i == st.waiters.end())
        return;
      if (r.outcome != round_outcome::failed) {
        forget(self, r.conversation);
        return;
      }
      i->second.in_round = false;
      i->second.tried.insert(r.tried.begin(), r.tried.end());
      dispatch(self);
    },
    [=](agent_update& u) {
      auto& st = self->state;
      st.agents[u.view.id] = std::move(u.handle);
      st.pool.upsert(std::move(u.view));
      dispatch(self);
    },
    [=](const retry_timer&) {
      self->state.retry_pending = false;
      dispatch(self);
    },
    [=](const queue_stats_query&) { return stats_of(self); },
    [=](const waiting_query& q) {
      self->send(q.reply_to, waiting_answer{q.query, list_for(self, q.topics)});
    },
  };
}

} // namespace

caf::actor spawn_queue(caf::event_based_actor* parent,
                       const engine::config::queue& queue, runtime_ptr rt) {
  return parent->spawn<caf::linked>(queue_behavior, queue, std::move(rt));
}

} // namespace baton::actors
