#include "actors/queue/actor.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/directory/messages.hpp"
#include "actors/messages.hpp"
#include "actors/queue/messages.hpp"
#include "engine/cluster/shards.hpp"
#include "engine/ids.hpp"
#include "engine/routing/agent_pool.hpp"
#include "engine/routing/dispatch.hpp"
#include "engine/routing/eligibility.hpp"
#include "engine/routing/wait_estimate.hpp"
#include "engine/routing/waiting_list.hpp"
#include "log/log.hpp"

namespace baton::actors {
namespace {

using engine::errc;

/// How many waiting conversations a dispatch may pass over because every
/// agent allowed has had a turn, before it stops: it keeps one dispatch
/// bounded.
constexpr int max_skipped_per_dispatch = 256;

/// A ring_all round rings at most this many agents (the longest idle): past
/// that, ringing more only adds messages, not a faster answer.
constexpr std::size_t max_ring_all_targets = 50;

/// At most this many entries answer one waitlist.list.
constexpr std::size_t max_listed = 500;

/// When each waiting conversation's wait runs out, soonest first: the id is
/// the key of its `waiters` entry, not a copy (a million waiting, a million
/// strings fewer).
using deadline_map = std::multimap<engine::time_ms, const std::string*>;

struct waiter {
  /// Null once it asked to sleep (passivate), or when it came back from
  /// the store asleep: what it is sent goes through the directory, which
  /// holds its actor or its record.
  conversation_actor handle;
  engine::channel channel = engine::channel::web;
  engine::participant customer;
  std::string content;
  bool in_round = false;
  /// The agents of the round out, whose slots this queue counts as taken.
  std::vector<std::string> offered_to;
  deadline_map::iterator deadline;
  /// Made when first needed: most waiting conversations have neither, and
  /// an empty set costs 56 bytes.
  std::unique_ptr<std::unordered_set<std::string>> tried;
  /// Agents already in the conversation: never offered it here.
  std::unique_ptr<std::unordered_set<std::string>> excluded;
  /// Where its customer was last told it stands.
  engine::line_place told;
};

struct queue_actor_state {
  runtime_ptr rt;
  /// Reaches the conversations that asked to sleep.
  directory_actor directory;
  engine::config::queue cfg;
  /// Every waiting conversation: what agents and supervisors see. Those in
  /// an offer round are stepped out of it: a dispatch walks the rest.
  engine::waiting_list waiting;
  /// How fast `waiting` moves: the wait estimates.
  engine::line_speed speed;
  engine::agent_pool pool{engine::strategy::longest_idle};
  engine::id_generator offer_ids{"o-"};
  std::unordered_map<std::string, waiter> waiters;
  deadline_map deadlines;
  std::unordered_map<std::string, agent_actor> agents;
  std::unordered_set<std::string> restricted_topics;
  bool retry_pending = false;
  /// Conversations every allowed agent has had a turn at: their turns
  /// start over when the retry comes, not before, so that an agent who
  /// becomes free meanwhile is asked before one who just said no.
  std::unordered_set<std::string> turns_over;
  bool wait_tick_pending = false;
  bool position_tick_pending = false;
  /// Removed by a reload: where its waiting conversations go instead.
  std::optional<queue_retired> retired;
  /// The places in line whose shard moved, asked after by id, with the
  /// actor each was known by: one that entered again since is left alone.
  std::unordered_map<std::string, conversation_actor> checking;
  bool places_check_pending = false;
};

using self_ptr = queue_actor::stateful_pointer<queue_actor_state>;

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

/// To a waiting conversation: to its actor, or, with no handle (it asked
/// to sleep), through the directory.
void send_to(self_ptr self, const std::string& conversation,
             const conversation_actor& handle, waiting_message message) {
  if (!handle) {
    self->send(self->state.directory,
               from_queue{conversation, std::move(message)});
    return;
  }
  std::visit([&](auto& m) { self->send(handle, std::move(m)); }, message);
}

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

/// Why the queue's agents cannot take the conversation now, for its log.
engine::routing_reasons grounds(const queue_actor_state& st, const waiter& w,
                                const std::string& topic) {
  return engine::reasons_for(
    st.pool, topic, st.restricted_topics.count(topic) > 0, passed_over(w));
}

/// One timer per queue for every wait timeout, set for the soonest deadline:
/// not one pending timer per conversation. A wait counts from entering this
/// queue, so a transferred conversation gets its full wait here too.
void arm_wait_tick(self_ptr self) {
  auto& st = self->state;
  if (st.wait_tick_pending || st.deadlines.empty())
    return;
  auto due = st.deadlines.begin()->first - now_ms(self, *st.rt);
  st.wait_tick_pending = true;
  self->delayed_send(self, as_duration(std::max<engine::duration_ms>(due, 0)),
                     wait_tick{});
}

void on_wait_tick(self_ptr self) {
  auto& st = self->state;
  st.wait_tick_pending = false;
  auto now = now_ms(self, *st.rt);
  while (!st.deadlines.empty() && st.deadlines.begin()->first <= now) {
    const auto& conversation = *st.deadlines.begin()->second;
    log::debug({"queue", st.cfg.id}, "wait expired")
      .field("conversation", conversation);
    auto& w = st.waiters.at(conversation);
    const auto* entry = st.waiting.find(conversation);
    auto why = grounds(st, w, entry != nullptr ? entry->topic : std::string{});
    auto id = conversation;
    st.deadlines.erase(st.deadlines.begin());
    w.deadline = st.deadlines.end();
    send_to(self, id, w.handle, wait_timer{false, std::move(why)});
  }
  arm_wait_tick(self);
}

/// Tells the conversation where it stands, when it moved enough since its
/// customer last heard (engine::worth_telling).
void tell_place(self_ptr self, const std::string& conversation, waiter& w,
                std::size_t position) {
  engine::line_place now{
    static_cast<std::int64_t>(position),
    engine::estimated_wait_s(position, self->state.speed).value_or(-1)};
  if (!engine::worth_telling(w.told, now))
    return;
  w.told = now;
  send_to(self, conversation, w.handle, line_position{now});
}

/// The queue bounds its estimated wait (max_estimated_wait_s), and the one
/// at `position` is past it. An unknown estimate is never too long.
bool too_long_to_wait(const queue_actor_state& st, std::size_t position) {
  if (st.cfg.max_estimated_wait_s <= 0)
    return false;
  auto estimate = engine::estimated_wait_s(position, st.speed);
  return estimate && *estimate > st.cfg.max_estimated_wait_s;
}

/// At most this many entries are walked to place an arrival that is not at
/// the tail (a higher priority, or an age kept from an earlier queue): one
/// arrival costs no walk of a long line. Past it, the next position tick
/// tells the place.
constexpr std::size_t max_walked_on_arrival = 1000;

/// Where the arrival `conversation` stands: exact at the tail or within
/// max_walked_on_arrival of the head; otherwise a lower bound, `exact`
/// false.
std::size_t arrival_position(const engine::waiting_list& line,
                             const std::string& conversation, bool& exact) {
  exact = true;
  if (const auto* tail = line.tail();
      tail && tail->conversation == conversation)
    return line.size();
  std::size_t position = 0;
  bool found = false;
  line.for_each([&](const engine::waiting_list::entry& e) {
    ++position;
    found = e.conversation == conversation;
    return !found && position < max_walked_on_arrival;
  });
  exact = found;
  return found ? position : position + 1;
}

/// One walk of the line per `routing.position_update_ms` while anyone
/// waits: not one message per waiting customer per change of the line.
void arm_position_tick(self_ptr self) {
  auto& st = self->state;
  if (st.position_tick_pending || st.waiting.empty())
    return;
  st.position_tick_pending = true;
  self->delayed_send(self, as_duration(st.rt->cfg->routing.position_update_ms),
                     position_tick{});
}

void on_position_tick(self_ptr self) {
  auto& st = self->state;
  st.position_tick_pending = false;
  if (st.retired)
    return;
  std::size_t position = 0;
  st.waiting.for_each([&](const engine::waiting_list::entry& e) {
    tell_place(self, e.conversation, st.waiters.at(e.conversation), ++position);
    return true;
  });
  arm_position_tick(self);
}

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
  std::vector<std::string> idle;
  for (const auto& [id, w] : st.waiters)
    if (!w.in_round)
      idle.push_back(id);
  // In waiting-list order, so the successor sees them arrive oldest first.
  std::vector<std::string> ordered;
  st.waiting.for_each([&](const engine::waiting_list::entry& e) {
    if (std::find(idle.begin(), idle.end(), e.conversation) != idle.end())
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

/// The conversation left without being assigned here (closed, picked). An
/// offer round this queue started may never reach its agents: nobody else
/// would tell this queue their slots are free, so it frees them itself. Were
/// they reached, the agents' own updates set the right load again.
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

std::vector<waiting_entry> list_for(self_ptr self,
                                    const std::vector<std::string>& topics) {
  auto& st = self->state;
  auto now = now_ms(self, *st.rt);
  std::vector<waiting_entry> out;
  st.waiting.for_each([&](const engine::waiting_list::entry& e) {
    if (engine::may_take_topic(st.restricted_topics.count(e.topic) > 0, e.topic,
                               topics)) {
      const auto& w = st.waiters.at(e.conversation);
      out.push_back({e.conversation, st.cfg.id, e.topic, w.channel, w.customer,
                     now - e.enqueued_at, w.content});
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

/// The answer about the place of `r.conversation`: it still waits here,
/// held by the actor it runs under now (none: asleep, reached through the
/// directory); it does not (it closed or left, and the word was lost with
/// its node), its place goes. Moving, the timer asks again.
void on_place_checked(self_ptr self, const claim_result& r) {
  auto& st = self->state;
  if (r.code == errc::unavailable)
    return;
  auto i = st.checking.find(r.conversation);
  if (i == st.checking.end())
    return;
  auto known_as = std::move(i->second);
  st.checking.erase(i);
  auto w = st.waiters.find(r.conversation);
  if (w == st.waiters.end() || w->second.handle != known_as)
    return; // gone, or entered again: its own actor settles it
  if (r.code == errc::ok) {
    w->second.handle = r.handle;
    return;
  }
  log::info({"queue", st.cfg.id}, "a conversation whose shard moved no "
                                  "longer waits here: its place goes")
    .field("conversation", r.conversation);
  leave(self, r.conversation);
}

void ask_after_place(self_ptr self, const std::string& conversation) {
  auto& st = self->state;
  self
    ->request(st.directory, caf::duration{st.rt->call_patience},
              to_conversation{conversation, waits_in{st.cfg.id}})
    .then([self](claim_result& r) { on_place_checked(self, r); },
          [](caf::error&) {}); // asked again by the places_check_timer
}

void arm_places_check(self_ptr self) {
  auto& st = self->state;
  if (st.places_check_pending || st.checking.empty())
    return;
  st.places_check_pending = true;
  self->delayed_send(self, st.rt->call_patience, places_check_timer{});
}

/// The places in line of conversations of the moved shards are asked
/// after: one known by an actor that may be gone, and one known by none
/// (asked to sleep), whose conversation may have woken on the node that
/// died and closed there. The directory answers for a sleeper from its
/// record.
void on_shards_moved(self_ptr self, const shards_moved& m) {
  auto& st = self->state;
  std::unordered_set<std::uint32_t> moved(m.shards.begin(), m.shards.end());
  for (const auto& [id, w] : st.waiters)
    if (moved.count(engine::cluster::shard_of(id, m.shard_count)) > 0
        && st.checking.insert_or_assign(id, w.handle).second)
      ask_after_place(self, id);
  arm_places_check(self);
}

void on_places_check_timer(self_ptr self) {
  auto& st = self->state;
  st.places_check_pending = false;
  std::erase_if(st.checking, [&](const auto& entry) {
    auto w = st.waiters.find(entry.first);
    return w == st.waiters.end() || w->second.handle != entry.second;
  });
  for (const auto& [id, known_as] : st.checking)
    ask_after_place(self, id);
  arm_places_check(self);
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
      return waiting_answer{list_for(self, q.topics)};
    },
  };
}

} // namespace

queue_actor spawn_queue(caf::local_actor* parent,
                        const engine::config::queue& queue, runtime_ptr rt) {
  return parent->spawn<caf::linked>(queue_behavior, queue, std::move(rt),
                                    caf::actor_cast<directory_actor>(parent));
}

} // namespace baton::actors
