#include "actors/supervision/actor.hpp"

#include <algorithm>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/fan_out.hpp"
#include "actors/messages.hpp"
#include "actors/queue/messages.hpp"
#include "actors/supervision/messages.hpp"

namespace baton::actors {

bool changes_summary(const std::vector<engine::event>& events) noexcept {
  return std::any_of(events.begin(), events.end(), [](const auto& e) {
    return !std::holds_alternative<engine::message_posted>(e.body);
  });
}

void report_to_supervision(
  const supervision_actor& supervision,
  const std::vector<engine::event>& events,
  const std::function<conversation_summary()>& summary) {
  if (changes_summary(events))
    caf::anon_send(supervision, summary());
}

namespace {

struct subscription {
  inbox_actor inbox;
  std::vector<std::string> queues; ///< empty: every queue

  bool covers(const std::string& queue) const {
    return queues.empty()
           || std::find(queues.begin(), queues.end(), queue) != queues.end();
  }
  bool covers_any(const std::vector<std::string>& of) const {
    return queues.empty()
           || std::any_of(of.begin(), of.end(),
                          [&](const auto& q) { return covers(q); });
  }
};

struct supervision_state {
  runtime_ptr rt;
  /// Made here, by the inbox: a user's agent actor or user actor. By its
  /// address, as the subscriptions of other nodes are (an id is only
  /// unique on its node).
  std::unordered_map<caf::actor_addr, subscription> subscriptions;
  /// Made at the other directories sharing the shards (`peers`), watched:
  /// they hear what this node's agents and conversations report, and no
  /// queue stats (their own supervision sends those, of every queue).
  std::unordered_map<caf::actor_addr, subscription> shared;
  std::vector<supervision_actor> peers;
  /// Every queue's actor, in configuration order.
  std::vector<std::pair<std::string, queue_actor>> queues;
  /// The last row seen of each agent: an agent reports on every offer and
  /// release, a supervisor only hears of a change.
  std::unordered_map<std::string, agent_row> agents;
  bool ticking = false;
};

using self_ptr = supervision_actor::stateful_pointer<supervision_state>;

void send_to(self_ptr self, const subscription& s, notification n) {
  self->send(s.inbox, deliver{{std::move(n)}});
}

/// Asks every queue for its row and sends each of `to` the rows of its
/// queues.
void send_stats(self_ptr self, std::vector<subscription> to) {
  std::vector<queue_actor> handles;
  for (const auto& [id, handle] : self->state.queues)
    handles.push_back(handle);
  fan_out<queue_row>(self, handles, queue_stats_query{},
                     [self, to = std::move(to)](std::vector<queue_row> rows) {
                       std::ranges::sort(rows, {}, &queue_row::queue);
                       for (const auto& s : to) {
                         queue_stats_notice stats;
                         for (const auto& row : rows)
                           if (s.covers(row.queue))
                             stats.queues.push_back(row);
                         send_to(self, s, {{}, std::move(stats)});
                       }
                     });
}

void arm_tick(self_ptr self) {
  auto& st = self->state;
  if (st.ticking || st.subscriptions.empty())
    return;
  st.ticking = true;
  self->delayed_send(
    self, as_duration(st.rt->cfg->supervision.stats_interval_ms), stats_tick{});
}

void on_tick(self_ptr self) {
  auto& st = self->state;
  st.ticking = false;
  if (st.subscriptions.empty())
    return;
  std::vector<subscription> all;
  for (const auto& [inbox, s] : st.subscriptions)
    all.push_back(s);
  send_stats(self, std::move(all));
  arm_tick(self);
}

void share_with(self_ptr self, const supervision_actor& peer,
                const subscription& s) {
  self->send(peer, subscription_shared{s.inbox, s.queues});
}

reply on_subscribe(self_ptr self, subscribe_supervisor& r) {
  auto& st = self->state;
  subscription s{std::move(r.inbox), std::move(r.queues)};
  std::ranges::sort(s.queues);
  st.subscriptions[s.inbox.address()] = s;
  for (const auto& peer : st.peers)
    share_with(self, peer, s);
  // A dashboard starts with the figures, not after the first interval.
  send_stats(self, {s});
  arm_tick(self);
  return {};
}

void on_shared(self_ptr self, subscription_shared& r) {
  auto& st = self->state;
  subscription s{std::move(r.inbox), std::move(r.queues)};
  auto [known, fresh] = st.shared.insert_or_assign(s.inbox.address(), s);
  if (fresh)
    self->monitor(s.inbox);
}

/// A subscription made here ends everywhere; one shared with this node
/// ends here.
void on_sessions_ended(self_ptr self, const sessions_ended& e) {
  auto& st = self->state;
  auto inbox = e.inbox.address();
  if (st.subscriptions.erase(inbox) > 0)
    for (const auto& peer : st.peers)
      self->send(peer, e);
  if (st.shared.erase(inbox) > 0)
    self->demonitor(inbox);
}

/// The peers a newer table names: those new to this one hear every
/// subscription made here. One that went needs no word: its node's
/// subscriptions go here with their inboxes, and it heard of this node's
/// only in its own memory.
void on_peers(self_ptr self, supervision_peers& p) {
  auto& st = self->state;
  for (const auto& peer : p.peers)
    if (std::find(st.peers.begin(), st.peers.end(), peer) == st.peers.end())
      for (const auto& [inbox, s] : st.subscriptions)
        share_with(self, peer, s);
  st.peers = std::move(p.peers);
}

/// Calls `f` with each subscription, made here or shared.
template <class F>
void each_subscription(const supervision_state& st, F f) {
  for (const auto* from : {&st.subscriptions, &st.shared})
    for (const auto& [inbox, s] : *from)
      f(s);
}

void on_conversation(self_ptr self, conversation_summary& summary) {
  caf::message n;
  each_subscription(self->state, [&](const subscription& s) {
    if (!s.covers(summary.queue))
      return;
    if (n.empty())
      n = event_message(notification{summary.conversation, summary});
    send_event(self, s.inbox, n);
  });
}

void on_agent(self_ptr self, agent_row& row) {
  auto& st = self->state;
  auto& last = st.agents[row.agent];
  if (last.agent == row.agent && last.status == row.status
      && last.load == row.load && last.capacity == row.capacity
      && last.queues == row.queues && last.name == row.name)
    return;
  last = row;
  caf::message n;
  each_subscription(st, [&](const subscription& s) {
    if (!s.covers_any(row.queues))
      return;
    if (n.empty())
      n = event_message(notification{{}, row});
    send_event(self, s.inbox, n);
  });
}

supervision_actor::behavior_type supervision_behavior(self_ptr self,
                                                      runtime_ptr rt) {
  self->state.rt = std::move(rt);
  // A shared subscription's inbox went: its node stopped or lost its link,
  // or the inbox stopped before its sessions_ended came.
  self->set_down_handler(
    [=](const caf::down_msg& m) { self->state.shared.erase(m.source); });
  return {
    [=](subscribe_supervisor& r) { return on_subscribe(self, r); },
    [=](const sessions_ended& e) { on_sessions_ended(self, e); },
    [=](subscription_shared& r) { on_shared(self, r); },
    [=](supervision_peers& p) { on_peers(self, p); },
    [=](conversation_summary& s) { on_conversation(self, s); },
    [=](agent_row& row) { on_agent(self, row); },
    [=](supervised_queues& q) { self->state.queues = std::move(q.queues); },
    [=](const stats_tick&) { on_tick(self); },
    [=](const config_changed&) {
      auto& st = self->state;
      st.rt = changed_runtime(*st.rt);
    },
  };
}

} // namespace

supervision_actor spawn_supervision(caf::local_actor* parent, runtime_ptr rt) {
  return parent->spawn<caf::linked>(supervision_behavior, std::move(rt));
}

} // namespace baton::actors
