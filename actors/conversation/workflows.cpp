// The conversation actor's workflows once it is routed: transfer, consent,
// conference, leave, takeover, supervisor assignment, monitoring, bots,
// absence and resume. The rules are the engine's (workflows.hpp); this file
// carries them out: who is told, which queue or agent is asked next.
#include "actors/conversation/state.hpp"
#include "actors/timers/actor.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "engine/conversation/content.hpp"
#include "engine/conversation/offer_round.hpp"
#include "engine/conversation/workflows.hpp"
#include "log/log.hpp"

namespace baton::actors::conversation_impl {

using engine::conversation_state;
using engine::errc;
using engine::offer_kind;
using engine::transfer_mode;
using text_key = engine::config::text_key;

namespace {

/// A toast for whoever asked for the pending transfer.
void notify_requester(self_ptr self, text_key text) {
  auto& st = self->state;
  if (!st.requester)
    return;
  auto n = event_message(
    notification{st.conv.id(), user_notice{user_notice::level::info,
                                           st.rt->cfg->texts.get(text)}});
  when_durable(self, [self, to = st.requester, n] { send_event(self, to, n); });
}

engine::duration_ms offer_timeout(const conversation_actor_state& st) {
  const auto* q = st.rt->cfg->find_queue(st.conv.queue());
  return q != nullptr ? q->offer_timeout_ms
                      : st.rt->cfg->routing.offer_timeout_ms;
}

/// The conversation's id in a new transfer's or offer's id: unique, as the
/// seq it is made at is.
std::string derived_id(const char* prefix, const engine::conversation& c) {
  return prefix + c.id() + "." + std::to_string(c.last_seq() + 1);
}

reply done_with(const engine::conversation& c) {
  return appended{c.id(), c.last_seq()};
}

const char* transfer_refusal(errc code) {
  switch (code) {
    case errc::forbidden:
      return "not allowed: a participant with the permission may ask";
    case errc::invalid_state:
      return "not now: the conversation must be assigned, with no other "
             "transfer under way, and the target not in it";
    case errc::not_found:
      return "no such queue, agent or topic";
    case errc::bad_request:
      return "a reason (topic) is required, and exactly one target";
    default:
      return "the transfer cannot be made";
  }
}

} // namespace

reply refusal(errc code, const char* what) {
  return reply::error(code, what);
}

void set_timer(self_ptr self, engine::duration_ms in, timer_message what) {
  start_timer(self, self->state.rt->timers, as_duration(in), std::move(what));
}

void send_to_queue(self_ptr self, const std::string& queue,
                   queue_message message) {
  auto& st = self->state;
  if (queue.empty())
    return;
  if (queue == st.home_queue)
    std::visit([&](auto& m) { self->send(st.queue, std::move(m)); }, message);
  else
    self->send(st.directory, for_queue{queue, std::move(message)});
}

const std::string& offer_content(const conversation_actor_state& st) {
  if (st.conv.routing_transfer() && !st.routing_content.empty())
    return st.routing_content;
  return st.conv.content();
}

void enter_queue(self_ptr self, const std::string& queue,
                 std::vector<std::string> exclude, engine::time_ms entered_at) {
  auto& st = self->state;
  const auto& c = st.conv;
  auto priority = c.priority();
  // A warm transfer waits in its target queue with the transfer's boost; a
  // cold one has it from its requeue already.
  if (c.routing_transfer() && c.pending()->request.kind == offer_kind::transfer
      && c.pending()->request.mode == transfer_mode::warm)
    priority += static_cast<std::int32_t>(st.rt->cfg->transfer.priority_boost);
  auto age = c.enqueued_at() != 0 ? c.enqueued_at() : c.created_at();
  leave_queue(self);
  st.waiting_in = queue;
  st.enter_after_round = false;
  st.entered_at = entered_at != 0 ? entered_at : now_ms(self, *st.rt);
  st.excluded = exclude;
  send_to_queue(self, queue,
                enqueue{c.id(), self, priority, age, c.routing_topic(),
                        c.channel(), c.customer(), offer_content(st),
                        st.entered_at, std::move(exclude)});
  note_change(self);
}

void leave_queue(self_ptr self) {
  auto& st = self->state;
  if (st.waiting_in.empty())
    return;
  send_to_queue(self, st.waiting_in, dequeue{st.conv.id()});
  st.waiting_in.clear();
}

void offer_one(self_ptr self, const std::string& agent, offer_kind kind,
               engine::duration_ms timeout_ms, bool assign_at_once,
               engine::reach reach) {
  auto& st = self->state;
  auto now = now_ms(self, *st.rt);
  auto offer = derived_id("o-", st.conv);
  auto d = engine::decide_offer(st.conv, {{offer, agent}}, kind,
                                now + timeout_ms);
  if (!d.ok())
    return;
  carry_out(self, std::move(d.events));
  auto round = st.round.start(engine::round_origin::direct, assign_at_once);
  const auto& c = st.conv;
  offer_notice notice{
    offer,       kind,         c.queue(),         c.routing_topic(),
    c.channel(), c.customer(), offer_content(st), now + timeout_ms};
  if (const auto& p = c.pending()) {
    notice.from_agent = p->request.from.id;
    notice.note = p->request.note;
  }
  // The agent's handle comes with its answer (on_reserve_result).
  st.offered.emplace(offer, agent_actor{});
  self->send(st.directory,
             offer_to_agent{agent,
                            reserve{c.id(), self, std::move(notice), reach}});
  set_timer(self, timeout_ms, offer_timer{round});
}

void follow_up(self_ptr self, const std::vector<engine::event>& events) {
  auto& st = self->state;
  for (const auto& e : events) {
    if (const auto* l = std::get_if<engine::participant_left>(&e.body)) {
      if (auto i = st.agents.find(l->who.id); i != st.agents.end()) {
        tell_released(self, i->second);
        st.agents.erase(i);
      }
    } else if (std::holds_alternative<engine::transfer_ended>(e.body)) {
      // Only the requester hears how it went, even after it left.
      if (st.requester) {
        auto n = event_message(notification{st.conv.id(), e});
        when_durable(self,
                     [self, to = st.requester, n] { send_event(self, to, n); });
      }
      st.requester = nullptr;
      st.routing_content.clear();
      auto& m = *st.rt->metrics;
      const auto& t = std::get<engine::transfer_ended>(e.body);
      m.count_transfer(t.kind, t.result);
    } else if (std::holds_alternative<engine::returned_to_bot>(e.body)) {
      leave_queue(self);
    }
  }
}

void begin_routing(self_ptr self, std::string content) {
  auto& st = self->state;
  if (!st.conv.routing_transfer())
    return;
  const auto t = st.conv.pending()->request;
  const auto& cfg = *st.rt->cfg;
  switch (t.kind) {
    case offer_kind::conference:
      notify_requester(self, text_key::conference_placed);
      break;
    case offer_kind::transfer:
      notify_requester(self, text_key::transfer_placed);
      if (t.mode == transfer_mode::cold && t.from.id == t.leaving)
        notify_requester(self, text_key::transfer_closed);
      break;
    default:
      break;
  }
  if (t.kind == offer_kind::assign) {
    leave_queue(self);
    offer_one(self, t.to_agent, offer_kind::assign,
              cfg.routing.offer_timeout_ms, cfg.routing.assign_auto_accept,
              engine::assign_reach(cfg, t.from));
    return;
  }
  bool cold = t.kind == offer_kind::transfer && t.mode == transfer_mode::cold;
  if (!cold)
    st.routing_content = std::move(content);
  if (!t.to_agent.empty()) {
    offer_one(self, t.to_agent, t.kind, offer_timeout(st), false);
    return;
  }
  // The agents in it now (or the one who handed over) are not offered it.
  std::vector<std::string> exclude;
  for (const auto& a : st.conv.agents())
    exclude.push_back(a.id);
  if (!t.leaving.empty())
    exclude.push_back(t.leaving);
  enter_queue(self, t.to_queue, std::move(exclude));
}

void resume_routing(self_ptr self, user_actor bot) {
  auto& st = self->state;
  const auto& c = st.conv;
  const auto& cfg = *st.rt->cfg;
  // In every state, as a conversation never restored keeps it: its inbox
  // hears of the retirement (and forgets the conversation), and a return
  // to the bot reaches it.
  if (bot)
    st.bot = std::move(bot);
  if (c.state() == conversation_state::bot)
    return;
  if (c.state() == conversation_state::closed)
    return;
  if (const auto& p = c.pending();
      p && p->at == engine::pending_transfer::stage::awaiting_consent) {
    set_timer(self, cfg.transfer.consent_timeout_ms,
              consent_timer{p->request.transfer});
    return;
  }
  if (c.routing_transfer()) {
    const auto& t = c.pending()->request;
    auto content = t.kind == offer_kind::assign
                     ? std::string{}
                     : engine::transfer_content(st.history, cfg, t.from.name,
                                                now_ms(self, *st.rt), t.note);
    begin_routing(self, std::move(content));
    return;
  }
  if (c.state() == conversation_state::assigned)
    return;
  if (!c.direct_agent().empty() && c.enqueued_at() == 0) {
    if (!c.awaiting_other())
      offer_one(self, c.direct_agent(), offer_kind::direct,
                cfg.absence.direct_response_timeout_ms, false);
    else
      set_timer(self, cfg.absence.choice_timeout_ms, choice_timer{});
    return;
  }
  // The wait goes on from when it last entered its queue.
  auto entered = engine::last_queued_at(st.history);
  std::vector<std::string> exclude;
  for (const auto& a : c.agents())
    exclude.push_back(a.id);
  // A queue removed from the configuration since: the one it was given,
  // moved to as a reload would have (its log says so, and a later requeue
  // goes there, not to a queue this node does not have).
  auto queue = cfg.find_queue(c.queue()) != nullptr ? c.queue() : st.home_queue;
  if (queue != c.queue())
    if (auto d = engine::decide_queue_move(c, queue, cfg); d.ok())
      carry_out(self, std::move(d.events));
  enter_queue(self, queue, std::move(exclude), entered);
}

void retire_later(self_ptr self) {
  auto& st = self->state;
  if (!st.rt->journal || st.conv.state() != conversation_state::closed)
    return;
  // Twice an offer's life: an accept or a reserve answer already on its way
  // when it closed has long arrived.
  engine::duration_ms longest = st.rt->cfg->routing.offer_timeout_ms;
  for (const auto& q : st.rt->cfg->queues)
    longest = std::max(longest, q.offer_timeout_ms);
  auto delay = std::max<engine::duration_ms>(2 * longest, 1000);
  set_timer(self, delay, retire_timer{});
}

void count_open(self_ptr self, bool open) {
  auto& st = self->state;
  st.rt->metrics->conversations_active.add(open ? 1 : -1);
  if (open) {
    log::info({"conversation", st.conv.id()}, "conversation resumed")
      .field("queue", st.conv.queue());
  } else if (log::enabled(log::level::info)) {
    // The close that ended it is the last one in its log.
    auto closed = std::find_if(
      st.history.rbegin(), st.history.rend(), [](const engine::event& e) {
        return std::holds_alternative<engine::conversation_closed>(e.body);
      });
    const auto* why = closed == st.history.rend()
                        ? nullptr
                        : &std::get<engine::conversation_closed>(closed->body);
    log::info({"conversation", st.conv.id()}, "conversation closed")
      .field("queue", st.conv.queue())
      .field("by", why ? why->by : "")
      .field("reason", why ? why->reason : "");
  }
  self->send(st.directory, conversation_open_changed{st.conv.id(), open});
}

void on_retire_timer(self_ptr self) {
  auto& st = self->state;
  // Resumed meanwhile: it stays.
  if (st.conv.state() != conversation_state::closed)
    return;
  // Nor while its request to sleep is out: the directory holds back what
  // comes for it until the answer.
  if (!st.outbox.empty() || st.asked_to_sleep) {
    retire_later(self);
    return;
  }
  conversation_retired gone{st.conv.id(), self, summary_of(st)};
  tell_inboxes_retired(self, gone);
  self->send(st.directory, std::move(gone));
  self->quit();
}

void tell_inboxes_retired(self_ptr self, const conversation_retired& gone) {
  auto& st = self->state;
  if (st.customer)
    self->send(st.customer, gone);
  // A bot's inbox lists the conversations it started, as a customer's does.
  if (st.bot && st.bot != st.customer)
    self->send(st.bot, gone);
}

void fail_transfer(self_ptr self, const std::string& reason,
                   engine::offer_end cause) {
  auto& st = self->state;
  if (!st.conv.routing_transfer())
    return;
  const auto t = st.conv.pending()->request;
  auto d = engine::decide_transfer_failed(st.conv, reason, *st.rt->cfg, cause);
  if (!d.ok())
    return;
  st.round.restart();
  carry_out(self, std::move(d.events));
  bool cold = t.kind == offer_kind::transfer && t.mode == transfer_mode::cold;
  // Back where it came from; not to the agent who handed it over.
  if (t.kind == offer_kind::assign || cold)
    enter_queue(self, st.conv.queue(),
                t.leaving.empty() ? std::vector<std::string>{}
                                  : std::vector<std::string>{t.leaving});
  else
    leave_queue(self); // the requester keeps it
}

void direct_round_failed(self_ptr self, const engine::round_end& end) {
  auto& st = self->state;
  if (st.conv.routing_transfer()) {
    fail_transfer(self, end.reason, end.cause);
    return;
  }
  auto d = engine::decide_absent(st.conv, *st.rt->cfg);
  if (!d.ok())
    return;
  carry_out(self, std::move(d.events));
  // A customer who never chooses (she left) would hold it open for good.
  set_timer(self, st.rt->cfg->absence.choice_timeout_ms, choice_timer{});
}

reply on_transfer(self_ptr self, const api_call& call,
                  const request_transfer& r) {
  auto& st = self->state;
  const auto& cfg = *st.rt->cfg;
  engine::transfer_ask ask;
  ask.transfer = derived_id("t-", st.conv);
  ask.kind = r.kind;
  ask.mode = r.mode;
  ask.from = as_participant(st.conv, call.who);
  ask.to_queue = r.to_queue;
  ask.to_agent = r.to_agent;
  ask.topic = r.topic;
  ask.note = r.note;
  auto now = now_ms(self, *st.rt);
  ask.content = engine::transfer_content(st.history, cfg, ask.from.name, now,
                                         r.note);
  auto d = engine::decide_transfer(st.conv, ask, cfg);
  if (!d.ok())
    return refusal(d.error, transfer_refusal(d.error));
  if (auto full = refused_when_full(self))
    return std::move(*full);
  st.requester = call.inbox;
  carry_out(self, std::move(d.events));
  if (st.conv.routing_transfer())
    begin_routing(self, std::move(ask.content));
  else
    set_timer(self, cfg.transfer.consent_timeout_ms,
              consent_timer{ask.transfer});
  return placed{st.conv.id(),
                r.kind == engine::offer_kind::conference ? placement::conference
                                                         : placement::transfer,
                ask.transfer};
}

reply on_unassign(self_ptr self, const api_call& call,
                  const unassign_conversation& r) {
  auto& st = self->state;
  const auto& cfg = *st.rt->cfg;
  engine::transfer_ask ask;
  ask.transfer = derived_id("t-", st.conv);
  ask.from = as_participant(st.conv, call.who);
  ask.to_queue = r.to_queue;
  ask.to_agent = r.to_agent;
  ask.topic = r.topic;
  ask.note = r.note;
  ask.unassign = true;
  ask.content = engine::transfer_content(st.history, cfg, ask.from.name,
                                         now_ms(self, *st.rt), r.note);
  auto d = engine::decide_transfer(st.conv, ask, cfg);
  if (!d.ok())
    return refusal(d.error, transfer_refusal(d.error));
  if (auto full = refused_when_full(self))
    return std::move(*full);
  st.requester = call.inbox;
  carry_out(self, std::move(d.events));
  begin_routing(self, std::move(ask.content));
  return placed{st.conv.id(), placement::transfer, ask.transfer};
}

reply on_consent(self_ptr self, const caller& who, const answer_consent& r) {
  auto& st = self->state;
  const auto& cfg = *st.rt->cfg;
  std::string content;
  if (const auto& p = st.conv.pending(); p && r.accept)
    content = engine::transfer_content(st.history, cfg, p->request.from.name,
                                       now_ms(self, *st.rt), p->request.note);
  auto d = engine::decide_consent(st.conv, as_participant(st.conv, who),
                                  r.transfer, r.accept, cfg, content);
  if (!d.ok())
    return refusal(d.error, d.error == errc::not_found
                              ? "no such transfer waiting for consent"
                              : "the consent cannot be given now");
  carry_out(self, std::move(d.events));
  begin_routing(self, std::move(content));
  return done_with(st.conv);
}

void on_consent_timer(self_ptr self, const consent_timer& t) {
  auto& st = self->state;
  auto d = engine::decide_consent_timeout(st.conv, t.transfer, *st.rt->cfg);
  if (d.ok())
    carry_out(self, std::move(d.events));
}

reply on_leave(self_ptr self, const caller& who, const leave_conversation&) {
  auto& st = self->state;
  auto d = engine::decide_leave(st.conv, as_participant(st.conv, who),
                                *st.rt->cfg);
  if (!d.ok())
    return refusal(d.error, d.error == errc::invalid_state
                              ? "the only agent cannot leave: close or "
                                "transfer it"
                              : "not a participant");
  carry_out(self, std::move(d.events));
  return done_with(st.conv);
}

reply on_takeover(self_ptr self, const api_call& call, const take_over& r) {
  auto& st = self->state;
  auto by = as_participant(st.conv, call.who);
  bool was_waiting = st.conv.state() == conversation_state::queued
                     || st.conv.state() == conversation_state::offered;
  auto d = engine::decide_takeover(st.conv, by, r.text, *st.rt->cfg);
  if (!d.ok())
    return refusal(d.error, d.error == errc::forbidden
                              ? "needs the takeover permission"
                              : "nothing to take over");
  if (auto full = refused_when_full(self, r.text.size()))
    return std::move(*full);
  // A round out is over: its late timers and answers are ignored.
  st.round.supersede();
  st.monitors.erase(by.id);
  st.agents[by.id] = call.inbox;
  st.past_agents.insert(by.id);
  carry_out(self, std::move(d.events));
  if (was_waiting || !st.waiting_in.empty())
    leave_queue(self);
  // An agent counts the conversation in its load, as if it had won it.
  // (An agent's inbox is its agent actor.) After the log, as a release
  // before it waits for it: in the other order the release would undo it.
  if (by.role == engine::role::agent)
    when_durable(self, [self, agent = caf::actor_cast<agent_actor>(call.inbox),
                        won = claim_result{st.conv.id(), self, {}, errc::ok}] {
      self->send(agent, won);
    });
  return done_with(st.conv);
}

reply on_assign(self_ptr self, const api_call& call,
                const assign_conversation& r) {
  auto& st = self->state;
  auto assign = derived_id("a-", st.conv);
  auto d = engine::decide_assign(st.conv, as_participant(st.conv, call.who),
                                 assign, r.agent, *st.rt->cfg);
  if (!d.ok())
    return refusal(d.error, d.error == errc::invalid_state
                              ? "only a waiting conversation can be assigned"
                              : "not allowed, or no such agent");
  if (auto full = refused_when_full(self))
    return std::move(*full);
  // The queue's round out, if any, is over.
  st.round.supersede();
  st.requester = call.inbox;
  carry_out(self, std::move(d.events));
  begin_routing(self, {});
  return placed{st.conv.id(), placement::assign, assign};
}

reply on_monitor(self_ptr self, const api_call& call,
                 const monitor_conversation&) {
  auto& st = self->state;
  if (!engine::may_supervise(*st.rt->cfg, as_participant(st.conv, call.who)))
    return refusal(errc::forbidden, "for supervisors");
  if (st.conv.state() == conversation_state::closed)
    return refusal(errc::invalid_state, "the conversation is closed");
  st.monitors[call.who.user] = call.inbox;
  st.past_agents.insert(call.who.user);
  return done_with(st.conv);
}

reply on_resume(self_ptr self, const caller& who, const resume_conversation&) {
  auto& st = self->state;
  auto d = engine::decide_resume(st.conv, as_participant(st.conv, who),
                                 *st.rt->cfg, now_ms(self, *st.rt));
  if (!d.ok())
    return refusal(d.error, d.error == errc::forbidden
                              ? "not your conversation"
                              : "only a closed conversation can be resumed");
  // Each close and resume adds events: a loop of them is bounded as
  // messages are.
  if (auto full = refused_when_full(self))
    return std::move(*full);
  st.round.restart();
  count_open(self, true);
  carry_out(self, std::move(d.events));
  enter_queue(self, st.conv.queue());
  return done_with(st.conv);
}

reply on_handoff(self_ptr self, const caller& who, const hand_off& r) {
  auto& st = self->state;
  const auto& cfg = *st.rt->cfg;
  auto queue = r.queue;
  if (queue.empty() && !r.topic.empty())
    if (const auto* topic = cfg.find_topic(r.topic);
        topic != nullptr && !topic->queue.empty())
      queue = topic->queue;
  if (queue.empty())
    queue = st.conv.queue();
  auto content = engine::handoff_content(st.history, cfg, r.summary);
  auto d = engine::decide_handoff(st.conv, as_participant(st.conv, who), queue,
                                  r.topic, r.summary, cfg, now_ms(self, *st.rt),
                                  std::move(content));
  if (!d.ok())
    return refusal(d.error,
                   d.error == errc::not_found ? "no such queue or topic"
                   : d.error == errc::invalid_state
                     ? "the bot no longer holds it: handed off or closed"
                     : "only the bot holding it may hand it off");
  if (auto full = refused_when_full(self))
    return std::move(*full);
  carry_out(self, std::move(d.events));
  enter_queue(self, st.conv.queue());
  return done_with(st.conv);
}

reply on_request_other(self_ptr self, const caller& who, const request_other&) {
  auto& st = self->state;
  auto d = engine::decide_request_other(st.conv, as_participant(st.conv, who),
                                        *st.rt->cfg, now_ms(self, *st.rt));
  if (!d.ok())
    return refusal(d.error, d.error == errc::forbidden
                              ? "not your conversation"
                              : "only after the member was absent");
  carry_out(self, std::move(d.events));
  // Someone else: the absent member is not asked again.
  enter_queue(self, st.conv.queue(), {st.conv.direct_agent()});
  return done_with(st.conv);
}

void on_choice_timer(self_ptr self) {
  auto& st = self->state;
  auto d = engine::decide_choice_timeout(st.conv, *st.rt->cfg,
                                         now_ms(self, *st.rt));
  if (!d.ok())
    return;
  carry_out(self, std::move(d.events));
  enter_queue(self, st.conv.queue(), {st.conv.direct_agent()});
}

} // namespace baton::actors::conversation_impl
