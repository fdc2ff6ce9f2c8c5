#include "actors/supervision/actor.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/fan_out.hpp"
#include "actors/messages.hpp"
#include "actors/queue/messages.hpp"
#include "actors/supervision/messages.hpp"
#include "actors/supervision/state.hpp"
#include "engine/conversation/workflows.hpp"

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

namespace supervision_impl {

bool subscription::covers(const std::string& queue) const {
  return queues.empty() || std::ranges::binary_search(queues, queue);
}

bool subscription::covers_any(const std::vector<std::string>& of) const {
  return queues.empty()
         || std::any_of(of.begin(), of.end(),
                        [&](const auto& q) { return covers(q); });
}

namespace {

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
                         // Ended while the queues answered (a reload that
                         // took `supervise` away, its last session gone).
                         if (self->state.subscriptions.count(s.inbox.address())
                             == 0)
                           continue;
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

reply on_subscribe(self_ptr self, subscribe_supervisor& r) {
  auto& st = self->state;
  subscription s{std::move(r.inbox), std::move(r.queues), std::move(r.who)};
  std::ranges::sort(s.queues);
  watch_inbox(self, s.inbox);
  st.subscriptions.insert_or_assign(s.inbox.address(), s);
  share_subscriptions(self);
  // A dashboard starts with the figures, not after the first interval.
  send_stats(self, {s});
  arm_tick(self);
  return {};
}

/// A row of an agent a reload removed, offline with no load: the last he
/// sends before he stops (or, holding a direct offer he has not accepted,
/// one he may send again). Either it or the reload reaches supervision
/// first, so both look.
bool retired_row(const supervision_state& st, const agent_row& row) {
  return row.status == engine::agent_status::offline && row.load == 0
         && st.rt->cfg->find_agent(row.agent) == nullptr;
}

void on_sessions_ended(self_ptr self, const sessions_ended& e) {
  if (self->state.subscriptions.erase(e.inbox.address()) > 0)
    share_subscriptions(self);
}

/// A reload that no longer lets a subscriber supervise ends what was
/// granted, without a word, as it ends such a user's monitors.
void on_config_changed(self_ptr self) {
  auto& st = self->state;
  st.rt = changed_runtime(*st.rt);
  auto ended = std::erase_if(st.subscriptions, [&](const auto& entry) {
    return !engine::may_supervise(*st.rt->cfg, entry.second.who);
  });
  if (ended > 0)
    share_subscriptions(self);
  std::erase_if(st.agents, [&](const auto& entry) {
    return retired_row(st, entry.second.row);
  });
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
  auto from = caf::actor_cast<caf::actor_addr>(self->current_sender());
  auto& last = st.agents[row.agent];
  if (last.from == from && last.row.agent == row.agent
      && last.row.status == row.status && last.row.load == row.load
      && last.row.capacity == row.capacity && last.row.queues == row.queues
      && last.row.name == row.name)
    return;
  last = {from, row};
  caf::message n;
  each_subscription(st, [&](const subscription& s) {
    if (!s.covers_any(row.queues))
      return;
    if (n.empty())
      n = event_message(notification{{}, row});
    send_event(self, s.inbox, n);
  });
  if (retired_row(st, row))
    st.agents.erase(row.agent);
}

supervision_actor::behavior_type supervision_behavior(self_ptr self,
                                                      runtime_ptr rt) {
  self->state.rt = std::move(rt);
  // A subscription's inbox went: its user's holder stopped it, or its node
  // stopped or lost its link.
  self->set_down_handler(
    [=](const caf::down_msg& m) { on_inbox_down(self, m.source); });
  return {
    [=](subscribe_supervisor& r) { return on_subscribe(self, r); },
    [=](const sessions_ended& e) { on_sessions_ended(self, e); },
    [=](subscriptions_shared& s) { on_shared(self, s); },
    [=](supervision_peers& p) { on_peers(self, p); },
    [=](conversation_summary& s) { on_conversation(self, s); },
    [=](agent_row& row) { on_agent(self, row); },
    [=](supervised_queues& q) { self->state.queues = std::move(q.queues); },
    [=](const stats_tick&) { on_tick(self); },
    [=](const config_changed&) { on_config_changed(self); },
  };
}

} // namespace
} // namespace supervision_impl

supervision_actor spawn_supervision(caf::local_actor* parent, runtime_ptr rt) {
  return parent->spawn<caf::linked>(supervision_impl::supervision_behavior,
                                    std::move(rt));
}

} // namespace baton::actors
