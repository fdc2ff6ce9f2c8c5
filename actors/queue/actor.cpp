#include "actors/queue/actor.hpp"

#include <algorithm>
#include <memory>
#include <unordered_set>
#include <utility>

#include "caf/all.hpp"

#include "actors/queue/state.hpp"
#include "engine/routing/dispatch.hpp"
#include "engine/routing/eligibility.hpp"
#include "log/log.hpp"

namespace baton::actors::queue_impl {
namespace {

/// How many waiting conversations a dispatch may pass over because every
/// agent allowed has had a turn, before it stops: it keeps one dispatch
/// bounded.
constexpr int max_skipped_per_dispatch = 256;

/// A ring_all round rings at most this many agents (the longest idle): past
/// that, ringing more only adds messages, not a faster answer.
constexpr std::size_t max_ring_all_targets = 50;

/// At most this many entries answer one waitlist.list.
constexpr std::size_t max_listed = 500;

engine::passed_over passed_over(const waiter& w) {
  return {w.tried.get(), w.excluded.get()};
}

void add_to(std::unique_ptr<std::unordered_set<std::string>>& set,
            const std::vector<std::string>& agents) {
  if (agents.empty())
    return;
  if (!set)
    set = std::make_unique<std::unordered_set<std::string>>();
  set->insert(agents.begin(), agents.end());
}

} // namespace

void send_to(self_ptr self, const std::string& conversation,
             const conversation_actor& handle, waiting_message message) {
  if (!handle) {
    self->send(self->state.directory,
               from_queue{conversation, std::move(message)});
    return;
  }
  std::visit([&](auto& m) { self->send(handle, std::move(m)); }, message);
}

namespace {

/// A conversation of this line asks to sleep. Offered meanwhile, gone, or
/// back in line with another actor, it is refused (and asks again later);
/// otherwise this queue sends to it through the directory from now on, and
/// the request goes on there.
void on_passivate(self_ptr self, passivate& p) {
  auto& st = self->state;
  auto i = st.waiters.find(p.record.conversation);
  // Woken before, it has an actor this queue does not know (no handle):
  // the directory judges that one.
  if (i == st.waiters.end() || i->second.in_round
      || (i->second.handle && i->second.handle != p.handle)) {
    self->send(p.handle, passivation_settled{true});
    return;
  }
  // Nor is the handle kept: a handle keeps an actor's memory even after
  // the actor went.
  i->second.handle = conversation_actor{};
  self->send(st.directory, std::move(p));
}

void schedule_retry(self_ptr self) {
  auto& st = self->state;
  if (st.retry_pending)
    return;
  st.retry_pending = true;
  self->delayed_send(self, as_duration(st.rt->cfg->routing.reoffer_delay_ms),
                     retry_timer{});
}

} // namespace

engine::routing_reasons grounds(const queue_actor_state& st, const waiter& w,
                                const std::string& topic) {
  return engine::reasons_for(
    st.pool, topic, st.restricted_topics.count(topic) > 0, passed_over(w));
}

namespace {

void count_waiting(self_ptr self) {
  auto& st = self->state;
  // A queue added by a reload has its series from the next start on.
  auto& gauges = st.rt->metrics->conversations_waiting;
  if (auto g = gauges.find(st.cfg.id); g != gauges.end())
    g->second.set(static_cast<std::int64_t>(st.waiting.size()));
}

/// Offers waiting conversations to the agents the engine's dispatch names
/// (engine/routing/dispatch.hpp).
void dispatch(self_ptr self) {
  auto& st = self->state;
  if (st.cfg.mode == engine::queue_mode::pull || st.retired)
    return;
  auto now = now_ms(self, *st.rt);
  auto plan = engine::plan_dispatch(
    st.waiting, st.pool,
    {st.cfg.strategy, max_ring_all_targets, max_skipped_per_dispatch},
    [&st](const std::string& topic) {
      return st.restricted_topics.count(topic) > 0;
    },
    [&st](const std::string& conversation) {
      const auto& w = st.waiters.at(conversation);
      return passed_over(w);
    },
    now);
  for (auto& offer : plan.offers) {
    auto& w = st.waiters.at(offer.conversation);
    offer_to round;
    round.queue = st.cfg.id;
    round.kind = engine::offer_kind::new_;
    round.timeout_ms = st.cfg.offer_timeout_ms;
    round.assign_at_once = st.cfg.mode == engine::queue_mode::auto_assign;
    round.why = std::move(offer.why);
    for (const auto& agent : offer.agents)
      round.targets.push_back(
        {st.offer_ids.next(now), agent, st.agents.at(agent)});
    w.in_round = true;
    log::debug({"queue", st.cfg.id}, "offer round")
      .field("conversation", offer.conversation)
      .field("agents", offer.agents.size());
    w.offered_to = std::move(offer.agents);
    st.waiting.step_out(offer.conversation);
    send_to(self, offer.conversation, w.handle, std::move(round));
  }
  st.turns_over.insert(plan.start_over.begin(), plan.start_over.end());
  if (!plan.start_over.empty())
    schedule_retry(self);
}

/// Takes the conversation out of the line. `departed`: it left the line
/// (to an agent, another queue, or for good), which moves everyone behind
/// it; not when it only enters again.
void forget(self_ptr self, const std::string& conversation,
            bool departed = true) {
  auto& st = self->state;
  if (auto i = st.waiters.find(conversation);
      i != st.waiters.end() && i->second.deadline != st.deadlines.end())
    st.deadlines.erase(i->second.deadline);
  st.speed.observe(now_ms(self, *st.rt), st.waiting.size());
  if (st.waiting.remove(conversation) && departed)
    st.speed.note_departure();
  st.waiters.erase(conversation);
  count_waiting(self);
}

/// A retired queue sends a waiting conversation to its successor.
void hand_over(self_ptr self, const std::string& conversation) {
  auto& st = self->state;
  auto i = st.waiters.find(conversation);
  if (i == st.waiters.end())
    return;
  send_to(self, conversation, i->second.handle,
          queue_moved{st.retired->queue, st.retired->handle});
  forget(self, conversation);
}

/// Removed from the configuration: every waiting conversation moves on now,
/// those in an offer round when the round fails. The actor stays, empty, to
/// pass on whoever still comes here (a conversation sent back to the queue
/// it came from).
void retire(self_ptr self, queue_retired r) {
  auto& st = self->state;
  log::info({"queue", st.cfg.id}, "queue retired")
    .field("successor", r.queue)
    .field("waiting", st.waiters.size());
  st.retired = std::move(r);
  // Those not in an offer round, in waiting-list order, so the successor
  // sees them arrive oldest first.
  std::vector<std::string> ordered;
  st.waiting.for_each([&](const engine::waiting_list::entry& e) {
    auto w = st.waiters.find(e.conversation);
    if (w != st.waiters.end() && !w->second.in_round)
      ordered.push_back(e.conversation);
    return true;
  });
  for (const auto& id : ordered)
    hand_over(self, id);
}

/// A reload: new settings for this queue (its strategy, timeouts, texts) and
/// new restricted topics.
void reconfigure(self_ptr self, runtime_ptr rt) {
  auto& st = self->state;
  st.rt = std::move(rt);
  const auto* q = st.rt->cfg->find_queue(st.cfg.id);
  if (q == nullptr)
    return; // removed: queue_retired follows
  st.retired.reset();
  if (q->strategy != st.cfg.strategy) {
    engine::agent_pool pool(q->strategy, st.rt->seed ^ 0x9e3779b97f4a7c15);
    st.pool.for_each([&](const engine::agent_view& a) { pool.upsert(a); });
    st.pool = std::move(pool);
  }
  st.cfg = *q;
  st.restricted_topics.clear();
  for (const auto& topic : st.rt->cfg->topics)
    if (topic.restricted)
      st.restricted_topics.insert(topic.id);
  dispatch(self);
}

} // namespace

/// Closed or picked: an offer round this queue started may never reach its
/// agents. Nobody else would tell this queue their slots are free, so it
/// frees them itself; were they reached, the agents' own updates set the
/// right load again.
void leave(self_ptr self, const std::string& conversation) {
  auto& st = self->state;
  auto i = st.waiters.find(conversation);
  if (i == st.waiters.end())
    return;
  bool freed = i->second.in_round;
  if (freed)
    for (const auto& agent : i->second.offered_to)
      st.pool.note_offer_dropped(agent);
  forget(self, conversation);
  if (freed)
    dispatch(self);
}

namespace {

std::vector<waiting_entry> list_for(self_ptr self,
                                    const std::vector<std::string>& topics,
                                    std::size_t limit) {
  auto& st = self->state;
  limit = std::min(limit, max_listed);
  auto now = now_ms(self, *st.rt);
  std::vector<waiting_entry> out;
  // The longest waiting, whatever their rank: one more than asked, so that
  // the agent can tell whether more wait.
  st.waiting.for_each_by_age([&](const engine::waiting_list::entry& e) {
    if (engine::may_take_topic(st.restricted_topics.count(e.topic) > 0, e.topic,
                               topics)) {
      const auto& w = st.waiters.at(e.conversation);
      out.push_back({e.conversation, st.cfg.id, e.topic, w.channel, w.customer,
                     now - e.enqueued_at, w.content});
    }
    return out.size() <= limit;
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
  row.estimated_wait_s
    = engine::estimated_wait_s(st.waiting.size() + 1, st.speed).value_or(-1);
  return row;
}

void on_enqueue(self_ptr self, enqueue& e) {
  auto& st = self->state;
  if (st.retired) {
    send_to(self, e.conversation, e.handle,
            queue_moved{st.retired->queue, st.retired->handle});
    return;
  }
  // Entering again (a retry after a failed transfer) starts afresh.
  if (st.waiters.count(e.conversation) > 0)
    forget(self, e.conversation, false);
  engine::waiting_list::entry entry{e.conversation, e.priority, e.enqueued_at,
                                    e.topic, 0};
  st.speed.observe(now_ms(self, *st.rt), st.waiting.size());
  st.waiting.push(std::move(entry));
  auto& [id, w] = *st.waiters.try_emplace(e.conversation).first;
  w = waiter{};
  w.handle = std::move(e.handle);
  w.channel = e.channel;
  w.customer = std::move(e.customer);
  w.content = std::move(e.content);
  add_to(w.excluded, e.exclude);
  w.deadline = st.deadlines.end();
  if (st.cfg.wait_timeout_ms > 0) {
    auto entered = e.entered_at != 0 ? e.entered_at : now_ms(self, *st.rt);
    w.deadline = st.deadlines.emplace(entered + st.cfg.wait_timeout_ms, &id);
  }
  count_waiting(self);
  arm_wait_tick(self);
  // The customer hears its place at once (a lower bound still says whether
  // the wait is too long: the estimate only grows with the place).
  bool exact = true;
  auto position = arrival_position(st.waiting, e.conversation, exact);
  if (too_long_to_wait(st, position)) {
    // Told at once, instead of when its wait would have run out. It never
    // joins the line: offered to nobody, behind nobody's place, and its
    // leaving does not count as the line moving.
    st.waiting.remove(e.conversation);
    count_waiting(self);
    send_to(self, e.conversation, w.handle,
            wait_timer{true, grounds(st, w, e.topic)});
    return;
  }
  if (exact)
    tell_place(self, e.conversation, w, position);
  arm_position_tick(self);
  dispatch(self);
}

void on_round_ended(self_ptr self, offer_round_ended& r) {
  auto& st = self->state;
  auto i = st.waiters.find(r.conversation);
  if (i == st.waiters.end())
    return;
  if (r.outcome == round_outcome::not_waiting) {
    leave(self, r.conversation);
    return;
  }
  if (r.outcome == round_outcome::assigned) {
    forget(self, r.conversation);
    return;
  }
  i->second.in_round = false;
  if (st.retired) {
    hand_over(self, r.conversation);
    return;
  }
  add_to(i->second.tried, r.tried);
  // Back in the walk of dispatch, in its old place.
  st.waiting.step_back(r.conversation);
  dispatch(self);
}

queue_actor::behavior_type
queue_behavior(self_ptr self, engine::config::queue cfg, runtime_ptr rt,
               directory_actor directory) {
  auto& st = self->state;
  st.directory = std::move(directory);
  st.pool = engine::agent_pool(cfg.strategy, rt->seed ^ 0x9e3779b97f4a7c15);
  st.offer_ids
    = engine::id_generator("o-", rt->seed + std::hash<std::string>{}(cfg.id));
  for (const auto& topic : rt->cfg->topics)
    if (topic.restricted)
      st.restricted_topics.insert(topic.id);
  st.cfg = std::move(cfg);
  st.rt = std::move(rt);
  return {
    [=](enqueue& e) { on_enqueue(self, e); },
    [=](const dequeue& d) { leave(self, d.conversation); },
    [=](offer_round_ended& r) { on_round_ended(self, r); },
    [=](agent_update& u) {
      auto& st = self->state;
      st.agents[u.view.id] = std::move(u.handle);
      st.pool.upsert(std::move(u.view));
      dispatch(self);
    },
    [=](const retry_timer&) {
      auto& st = self->state;
      st.retry_pending = false;
      for (const auto& id : std::exchange(st.turns_over, {}))
        if (auto w = st.waiters.find(id); w != st.waiters.end())
          w->second.tried.reset();
      dispatch(self);
    },
    [=](const wait_tick&) { on_wait_tick(self); },
    [=](const shards_moved& m) { on_shards_moved(self, m); },
    [=](const places_check_timer&) { on_places_check_timer(self); },
    [=](const position_tick&) { on_position_tick(self); },
    [=](const config_changed&) {
      reconfigure(self, changed_runtime(*self->state.rt));
    },
    [=](queue_retired& r) { retire(self, std::move(r)); },
    [=](const agent_left& a) {
      self->state.pool.remove(a.agent);
      self->state.agents.erase(a.agent);
    },
    [=](const queue_stats_query&) { return stats_of(self); },
    [=](passivate& p) { on_passivate(self, p); },
    [=](const waiting_query& q) {
      return waiting_answer{list_for(self, q.topics, q.limit)};
    },
  };
}

} // namespace
} // namespace baton::actors::queue_impl

namespace baton::actors {

queue_actor spawn_queue(caf::local_actor* parent,
                        const engine::config::queue& queue, runtime_ptr rt) {
  return parent->spawn<caf::linked>(queue_impl::queue_behavior, queue,
                                    std::move(rt),
                                    caf::actor_cast<directory_actor>(parent));
}

} // namespace baton::actors
