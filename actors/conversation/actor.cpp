#include "actors/conversation/actor.hpp"

#include <utility>

#include "caf/all.hpp"

#include "actors/agent/messages.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/conversation/moves.hpp"
#include "actors/conversation/reload.hpp"
#include "actors/conversation/state.hpp"
#include "actors/queue/messages.hpp"
#include "actors/store/journal.hpp"
#include "actors/supervision/actor.hpp"
#include "engine/conversation/decide.hpp"
#include "engine/overloaded.hpp"
#include "engine/routing/eligibility.hpp"

namespace baton::actors::conversation_impl {

using engine::conversation_state;
using engine::errc;
using engine::offer_end;
using text_key = engine::config::text_key;

engine::participant as_participant(const engine::conversation& c,
                                   const caller& who) {
  if (who.role == engine::role::customer && c.customer().id == who.user)
    return c.customer();
  return {who.user, who.role, who.name.empty() ? who.user : who.name};
}

namespace {

std::vector<engine::event> apply(self_ptr self,
                                 std::vector<engine::event_body> bodies);
void revoke_ended_offers(self_ptr self,
                         const std::vector<engine::event>& events);

/// Sends the events to everyone allowed to see them: the customer only what
/// is customer-visible, the agents everything but routing internals. One
/// message per inbox for all the events of this change, made once for all
/// the staff: an actor hop per inbox, not per event. The audience is taken
/// now; the sends wait until the events are stored.
void publish(self_ptr self, const std::vector<engine::event>& events) {
  auto& st = self->state;
  std::vector<notification> all;
  std::size_t visible = 0; ///< of `all`, those the customer may see
  for (const auto& e : events) {
    // How a transfer ended goes to its requester only (follow_up).
    if (engine::internal(e.body)
        || std::holds_alternative<engine::transfer_ended>(e.body))
      continue;
    visible += engine::customer_visible(e) ? 1 : 0;
    all.push_back(notification{st.conv.id(), e});
  }
  if (all.empty())
    return;
  // Usually the customer may see all of it: then one message is everyone's.
  std::vector<notification> customer_share;
  if (st.customer && visible > 0 && visible < all.size())
    for (const auto& n : all)
      if (engine::customer_visible(std::get<engine::event>(n.body)))
        customer_share.push_back(n);
  auto staff = event_message(std::move(all));
  std::vector<std::pair<inbox_actor, caf::message>> sends;
  if (st.customer && visible > 0)
    sends.emplace_back(st.customer,
                       customer_share.empty()
                         ? staff
                         : event_message(std::move(customer_share)));
  for (const auto& [id, agent] : st.agents)
    sends.emplace_back(agent, staff);
  for (const auto& [id, monitor] : st.monitors)
    if (st.agents.count(id) == 0)
      sends.emplace_back(monitor, staff);
  // A bot sees its conversation while it holds it.
  if (st.bot && st.conv.state() == conversation_state::bot)
    sends.emplace_back(st.bot, staff);
  if (!sends.empty())
    when_durable(self, [self, sends = std::move(sends)] {
      for (const auto& [to, d] : sends)
        send_event(self, to, d);
    });
}

/// Claim results tell the agent's client it won: they wait for the log. They
/// answer the agent's claim or pick; an agent assigned without asking
/// (`answer` empty) gets one as a message of its own.
void settle(self_ptr self, const agent_actor& agent, claim_result r,
            std::optional<claim_promise> answer) {
  when_durable(self, [self, agent, r = std::move(r), answer]() mutable {
    if (answer)
      answer->deliver(std::move(r));
    else
      self->send(agent, std::move(r));
  });
}

} // namespace

std::vector<engine::event> carry_out(self_ptr self,
                                     std::vector<engine::event_body> bodies) {
  auto events = apply(self, std::move(bodies));
  revoke_ended_offers(self, events);
  publish(self, events);
  follow_up(self, events);
  note_change(self);
  return events;
}

namespace {

std::vector<engine::event> apply(self_ptr self,
                                 std::vector<engine::event_body> bodies) {
  auto& st = self->state;
  auto events = engine::commit(st.conv, std::move(bodies),
                               now_ms(self, *st.rt));
  st.history.insert(st.history.end(), events.begin(), events.end());
  journal(self, events);
  if (st.rt->supervision)
    report_to_supervision(st.rt->supervision, events,
                          [&st] { return summary_of(st); });
  return events;
}

/// Tells agents whose offers just ended why; they release their slots.
void revoke_ended_offers(self_ptr self,
                         const std::vector<engine::event>& events) {
  auto& st = self->state;
  for (const auto& e : events) {
    const auto* ended = std::get_if<engine::offer_ended>(&e.body);
    if (ended == nullptr)
      continue;
    auto i = st.offered.find(ended->offer);
    if (i == st.offered.end())
      continue;
    if (ended->offer != st.refused_offer)
      count_offer_end(*st.rt->metrics, ended->reason);
    st.round.note_end(ended->agent, ended->reason);
    if (ended->reason != offer_end::rejected
        && ended->reason != offer_end::agent_offline
        && ended->reason != offer_end::agent_not_ready
        && ended->reason != offer_end::agent_full)
      self->send(i->second, revoke{st.conv.id(), ended->offer, ended->reason});
    // A one-agent offer whose agent has not answered yet: its answer, when
    // it comes, is told to let go (on_reserve_result).
    if (i->second)
      st.offered.erase(i);
  }
}

} // namespace

void count_offer_end(routing_metrics& m, engine::offer_end reason) {
  switch (reason) {
    case offer_end::timeout:
      return m.count_offer(offer_result::timeout);
    case offer_end::rejected:
      return m.count_offer(offer_result::rejected);
    case offer_end::taken:
      return m.count_offer(offer_result::taken);
    case offer_end::abandoned:
      return m.count_offer(offer_result::abandoned);
    case offer_end::cancelled:
    case offer_end::agent_offline:
      return m.count_offer(offer_result::cancelled);
    case offer_end::agent_full:
    case offer_end::agent_not_ready:
      return; // never shown to the agent
  }
}

void release_agents(self_ptr self) {
  auto& st = self->state;
  for (const auto& [id, agent] : st.agents)
    tell_released(self, agent);
  st.agents.clear();
}

void tell_released(self_ptr self, const inbox_actor& agent) {
  // After the log, as the claim_result it may follow: an agent told first
  // would free a slot it has not taken yet, and take it for good after.
  when_durable(self, [self, agent] {
    self->send(agent, released{self->state.conv.id()});
  });
}

namespace {

std::string agent_name(const runtime& rt, const std::string& id) {
  const auto* a = rt.cfg->find_agent(id);
  return a == nullptr ? id : a->name;
}

/// The `participant.left` text of a warm transfer's requester, who leaves
/// when the new agent joins.
std::string handover_text(const conversation_actor_state& st) {
  const auto& p = st.conv.pending();
  if (!p || p->request.leaving.empty())
    return {};
  for (const auto& a : st.conv.agents())
    if (a.id == p->request.leaving)
      return st.rt->cfg->texts.format(text_key::participant_left,
                                      {{"name", a.name}});
  return {};
}

/// `why`: the queue's grounds, logged first, when a wait ran out.
void close_for_no_agents(
  self_ptr self,
  engine::config::text_key text = engine::config::text_key::no_agents,
  std::optional<engine::routing_explained> why = std::nullopt) {
  auto& st = self->state;
  auto d = engine::decide_no_agents(st.conv, st.rt->cfg->texts, text);
  if (!d.ok())
    return;
  if (why)
    d.events.insert(d.events.begin(), std::move(*why));
  carry_out(self, std::move(d.events));
  leave_queue(self);
  release_agents(self);
  // Back with its bot, the conversation is still open.
  if (st.conv.state() == conversation_state::closed) {
    count_open(self, false);
    retire_later(self);
  }
}

/// The wait in the queue ran out: a transfer that keeps its assignee fails,
/// anything else has found nobody.
void expire(self_ptr self) {
  auto& st = self->state;
  auto why = std::exchange(st.wait_over, std::nullopt);
  bool too_long = why
                  && why->decision == engine::routing_decision::wait_too_long;
  if (st.conv.routing_transfer()
      && st.conv.state() == conversation_state::assigned)
    fail_transfer(self, "timeout");
  else
    close_for_no_agents(self,
                        too_long ? engine::config::text_key::wait_too_long
                                 : engine::config::text_key::no_agents,
                        std::move(why));
}

/// The customer of a conversation still waiting for an agent hears where
/// it stands; not stored: a place in line is only worth something now.
void tell_position(self_ptr self, const engine::line_place& place) {
  auto& st = self->state;
  auto state = st.conv.state();
  bool waiting = state == conversation_state::queued
                 || state == conversation_state::offered;
  if (!waiting || st.waiting_in.empty())
    return;
  st.place = place;
  if (!st.customer)
    return;
  // After the events still on their way to the store: the customer reads
  // conversation.queued before its place in line.
  auto n = event_message(notification{
    st.conv.id(), position_notice{place.position, place.estimated_wait_s}});
  when_durable(self, [self, to = st.customer, n] { send_event(self, to, n); });
}

/// Every offer of the round has ended without a winner.
void end_round(self_ptr self) {
  auto& st = self->state;
  auto end = st.round.end();
  bool enter_anew = std::exchange(st.enter_after_round, false);
  switch (end.what) {
    case engine::round_end::next::direct_failed:
      return direct_round_failed(self, end);
    case engine::round_end::next::expire:
      return expire(self);
    case engine::round_end::next::back_to_queue:
      if (enter_anew)
        return enter_as_before(self);
      return send_to_queue(self, st.waiting_in,
                           offer_round_ended{st.conv.id(),
                                             round_outcome::failed,
                                             std::move(end.tried)});
  }
}

/// An agent took the conversation: baton_route_latency_seconds counts from
/// when this routing began (engine::conversation::routing_since), and a
/// wait that ran out meanwhile is over.
void routed(self_ptr self) {
  auto& st = self->state;
  st.wait_over.reset();
  st.enter_after_round = false;
  st.rt->metrics->route_latency.observe(
    static_cast<double>(now_ms(self, *st.rt) - st.conv.routing_since()) / 1e3);
}

void end_offer(self_ptr self, const std::string& offer, offer_end reason) {
  auto& st = self->state;
  auto d = engine::decide_offer_end(st.conv, offer, reason);
  if (!d.ok())
    return; // already over: a late decline or full after a timeout
  carry_out(self, std::move(d.events));
  if (st.conv.open_offers().empty())
    end_round(self);
}

void assign(self_ptr self, const std::string& offer,
            const engine::participant& agent, const agent_actor& handle,
            std::optional<claim_promise> answer) {
  auto& st = self->state;
  auto joined = st.rt->cfg->texts.format(text_key::participant_joined,
                                         {{"name", agent.name}});
  auto d = engine::decide_claim(st.conv, offer, agent, std::move(joined),
                                handover_text(st));
  if (!d.ok()) {
    settle(self, handle, claim_result{st.conv.id(), self, offer, d.error},
           std::move(answer));
    return;
  }
  // The winner is a participant before the events go out: they see them.
  st.offered.erase(offer);
  st.agents.emplace(agent.id, handle);
  st.past_agents.insert(agent.id);
  carry_out(self, std::move(d.events));
  bool queued = st.round.won();
  auto& m = *st.rt->metrics;
  m.count_offer(offer_result::accepted);
  routed(self);
  settle(self, handle, claim_result{st.conv.id(), self, offer, errc::ok},
         std::move(answer));
  if (queued)
    send_to_queue(self, st.waiting_in,
                  offer_round_ended{st.conv.id(), round_outcome::assigned, {}});
  st.waiting_in.clear();
}

/// Whether what a queue sent comes from the queue this conversation waits
/// in as it runs now. Waiting in its home queue, it knows that queue's
/// handle: a message from an older one (a queue that stopped with its
/// directory or node; a node frozen past its lease runs a moment when it
/// wakes, and its sends to other nodes are not fenced) is stale. What
/// another queue sends, or its directory passes on, is taken.
bool from_current_queue(self_ptr self) {
  const auto& st = self->state;
  const auto& from = self->current_sender();
  return !from || st.waiting_in != st.home_queue || !st.queue
         || from == caf::actor_cast<caf::strong_actor_ptr>(st.queue)
         || from == caf::actor_cast<caf::strong_actor_ptr>(st.directory);
}

void on_offer_to(self_ptr self, offer_to& r) {
  auto& st = self->state;
  auto now = now_ms(self, *st.rt);
  std::vector<engine::offer_target> targets;
  for (const auto& t : r.targets)
    targets.push_back({t.offer, t.agent});
  // A transfer or conference is offered as one, wherever it waits.
  const auto& pending = st.conv.pending();
  auto kind = st.conv.routing_transfer() ? pending->request.kind : r.kind;
  auto d = engine::decide_offer(st.conv, std::move(targets), kind,
                                now + r.timeout_ms);
  if (!d.ok() || !st.round.takes_queue_offers(!st.waiting_in.empty())) {
    send_to_queue(
      self, r.queue,
      offer_round_ended{st.conv.id(), round_outcome::not_waiting, {}});
    return;
  }
  d.events.insert(d.events.begin(),
                  engine::routing_explained{engine::routing_decision::offered,
                                            st.waiting_in, std::move(r.why)});
  carry_out(self, std::move(d.events));
  auto round = st.round.start(engine::round_origin::queue, r.assign_at_once);
  const auto& c = st.conv;
  for (auto& t : r.targets) {
    offer_notice notice{t.offer,           kind,
                        c.queue(),         c.routing_topic(),
                        c.channel(),       c.customer(),
                        offer_content(st), now + r.timeout_ms};
    if (c.routing_transfer()) {
      notice.from_agent = pending->request.from.id;
      notice.note = pending->request.note;
    }
    self->send(t.handle, reserve{c.id(), self, std::move(notice)});
    st.offered.emplace(t.offer, t.handle);
  }
  set_timer(self, r.timeout_ms, offer_timer{round});
}

void on_reserve_result(self_ptr self, const reserve_result& r) {
  auto& st = self->state;
  const auto* open = st.conv.find_offer(r.offer);
  auto i = st.offered.find(r.offer);
  auto from = caf::actor_cast<agent_actor>(self->current_sender());
  // A one-agent offer learns its agent's handle from the answer.
  if (i != st.offered.end() && !i->second)
    i->second = from;
  // A slot held by an actor the agent no longer runs under (his shard
  // moved; its answer was sent before its node froze or died): let go, and
  // not taken, as his new actor holds none. A refusal ends the offer.
  if (r.reserved && i != st.offered.end() && i->second != from) {
    self->send(from, revoke{st.conv.id(), r.offer, offer_end::cancelled});
    return;
  }
  if (open == nullptr) {
    // The round ended before the agent answered: it must let go again.
    if (r.reserved) {
      auto reason = st.conv.state() == conversation_state::closed
                      ? offer_end::abandoned
                      : offer_end::taken;
      self->send(from, revoke{st.conv.id(), r.offer, reason});
    }
    if (i != st.offered.end())
      st.offered.erase(i);
    return;
  }
  if (!r.reserved) {
    st.refused_offer = r.offer;
    end_offer(self, r.offer, r.refused);
    st.refused_offer.clear();
    return;
  }
  if (st.round.assign_at_once()) {
    auto handle = st.offered.at(r.offer);
    engine::participant agent{r.agent, engine::role::agent,
                              agent_name(*st.rt, r.agent)};
    assign(self, r.offer, agent, handle, std::nullopt);
  }
}

/// A question about what a queue or an agent holds for this conversation
/// (waits_in, takes_part, offer_open): answered from what is now.
claim_result answer_question(self_ptr self, const std::string& offer,
                             bool yes) {
  return claim_result{self->state.conv.id(), self, offer,
                      yes ? errc::ok : errc::conflict};
}

/// A claim or pick asked `again` is answered from what happened, never
/// decided afresh: the agent asks to learn whether its first ask won (it is
/// in the conversation) or not, and a fresh win after a first ask was
/// refused would find the agent counting it nowhere. The first ask came
/// before: it went the same way, or was lost with its node.
void answer_again(self_ptr self, const engine::participant& agent,
                  const agent_actor& handle, const std::string& offer,
                  claim_promise answer) {
  auto& st = self->state;
  auto code = st.agents.count(agent.id) > 0 ? errc::ok : errc::conflict;
  settle(self, handle, claim_result{st.conv.id(), self, offer, code},
         std::move(answer));
}

/// This node's store is behind (more commits waiting than
/// storage.max_pending_events): a first claim or pick is refused
/// (`unavailable`) instead of adding an assignment to what waits, and the
/// offer stays with its round. Asked where the conversation runs, whatever
/// node the agent's session and actor are on.
bool claim_refused_while_store_behind(self_ptr self, const agent_actor& agent,
                                      const std::string& offer,
                                      claim_promise& answer) {
  auto& st = self->state;
  if (st.rt->metrics->journal_pending.get()
      <= st.rt->cfg->storage.max_pending_events)
    return false;
  settle(self, agent,
         claim_result{st.conv.id(), self, offer, errc::unavailable},
         std::move(answer));
  return true;
}

/// A first claim from an actor the offer's agent no longer runs under is
/// refused (`conflict`): his shard moved, and what his old actor sent
/// before its node froze or died comes in only now. His new actor holds no
/// slot for the offer, so a win would put him over his capacity.
bool refused_from_an_old_actor(self_ptr self, const claim& r,
                               claim_promise& answer) {
  auto& st = self->state;
  auto i = st.offered.find(r.offer);
  if (i == st.offered.end() || !i->second || i->second == r.handle)
    return false;
  settle(self, r.handle,
         claim_result{st.conv.id(), self, r.offer, errc::conflict},
         std::move(answer));
  return true;
}

void on_pick(self_ptr self, pick& r, claim_promise answer) {
  auto& st = self->state;
  const auto& c = st.conv;
  auto refuse = [&](errc code) {
    settle(self, r.handle, claim_result{c.id(), self, {}, code}, answer);
  };
  // Someone else got it first, or it left the waiting list.
  if (st.waiting_in.empty())
    return refuse(errc::conflict);
  // Picked from the waiting list it is in: a warm transfer's target queue.
  bool member = std::find(r.queues.begin(), r.queues.end(), st.waiting_in)
                != r.queues.end();
  if (!member
      || !engine::may_take_topic(*st.rt->cfg, c.routing_topic(), r.topics))
    return refuse(errc::forbidden);
  auto joined = st.rt->cfg->texts.format(text_key::participant_joined,
                                         {{"name", r.agent.name}});
  auto d = engine::decide_pick(c, r.agent, std::move(joined),
                               handover_text(st));
  if (!d.ok())
    return refuse(d.error);
  st.agents.emplace(r.agent.id, r.handle);
  st.past_agents.insert(r.agent.id);
  carry_out(self, std::move(d.events));
  leave_queue(self);
  routed(self);
  settle(self, r.handle, claim_result{c.id(), self, {}, errc::ok}, answer);
}

conversation_actor::behavior_type
conversation_behavior(self_ptr self, std::string id, runtime_ptr rt,
                      directory_actor directory, std::string home_queue,
                      queue_actor queue, user_actor customer) {
  auto& st = self->state;
  st.rt = std::move(rt);
  st.conv = engine::conversation(std::move(id));
  st.directory = std::move(directory);
  st.home_queue = std::move(home_queue);
  st.queue = std::move(queue);
  st.customer = std::move(customer);
  return {
    [=](api_call& call) -> caf::result<reply> {
      if (self->state.leaving)
        return moving_elsewhere();
      // A customer learns nothing of another customer's conversation, not
      // even that it exists: the same answer as for an unknown id.
      const auto& c = self->state.conv;
      if (call.who.role == engine::role::customer && c.last_seq() != 0
          && c.customer().id != call.who.user)
        return reply::error(errc::not_found, "no such conversation");
      auto out = std::visit(
        engine::overloaded{
          [&](const start_conversation& r) {
            if (call.who.role == engine::role::bot)
              self->state.bot = caf::actor_cast<user_actor>(call.inbox);
            return on_start(self, call.who, r);
          },
          [&](const send_message& r) { return on_message(self, call.who, r); },
          [&](const close_conversation& r) {
            return on_close(self, call.who, r);
          },
          [&](const send_typing& r) { return on_typing(self, call.who, r); },
          [&](const send_whisper& r) { return on_whisper(self, call.who, r); },
          [&](const conversation_history& r) {
            return on_history(self, call.who, r);
          },
          [&](const explain_conversation& r) {
            return on_explain(self, call.who, r);
          },
          [&](const request_transfer& r) { return on_transfer(self, call, r); },
          [&](const unassign_conversation& r) {
            return on_unassign(self, call, r);
          },
          [&](const answer_consent& r) {
            return on_consent(self, call.who, r);
          },
          [&](const leave_conversation& r) {
            return on_leave(self, call.who, r);
          },
          [&](const take_over& r) { return on_takeover(self, call, r); },
          [&](const assign_conversation& r) {
            return on_assign(self, call, r);
          },
          [&](const monitor_conversation& r) {
            return on_monitor(self, call, r);
          },
          [&](const resume_conversation& r) {
            return on_resume(self, call.who, r);
          },
          [&](const hand_off& r) { return on_handoff(self, call.who, r); },
          [&](const request_other& r) {
            return on_request_other(self, call.who, r);
          },
          [](const auto&) {
            return reply::error(errc::bad_request,
                                "not a conversation request");
          },
        },
        call.what);
      auto rp = self->make_response_promise<reply>();
      when_durable(self, [rp, out = std::move(out)]() mutable {
        rp.deliver(std::move(out));
      });
      return rp;
    },
    [=](const journal_committed& c) { on_committed(self, c.seq); },
    [=](restore_conversation& r) { on_restore(self, r); },
    [=](const summary_query&) { return summary_of(self->state); },
    [=](const config_changed&) { on_config_changed(self); },
    [=](const queue_moved& m) { on_queue_moved(self, m); },
    [=](const members_moved& m) { on_members_moved(self, m); },
    [=](offer_to& r) {
      if (from_current_queue(self))
        on_offer_to(self, r);
    },
    [=](const reserve_result& r) { on_reserve_result(self, r); },
    [=](claim& r) -> caf::result<claim_result> {
      auto rp = self->make_response_promise<claim_result>();
      if (r.again)
        answer_again(self, r.agent, r.handle, r.offer, rp);
      else if (!refused_from_an_old_actor(self, r, rp)
               && !claim_refused_while_store_behind(self, r.handle, r.offer,
                                                    rp))
        assign(self, r.offer, r.agent, r.handle, rp);
      return rp;
    },
    [=](const decline& r) { end_offer(self, r.offer, r.reason); },
    [=](pick& r) -> caf::result<claim_result> {
      auto rp = self->make_response_promise<claim_result>();
      if (r.again)
        answer_again(self, r.agent, r.handle, {}, rp);
      else if (!claim_refused_while_store_behind(self, r.handle, {}, rp))
        on_pick(self, r, rp);
      return rp;
    },
    [=](const waits_in& q) {
      auto& st = self->state;
      return answer_question(self, {}, st.waiting_in == q.queue);
    },
    [=](const takes_part& q) {
      return answer_question(self, {}, self->state.agents.count(q.agent) > 0);
    },
    [=](const offer_open& q) {
      const auto* open = self->state.conv.find_offer(q.offer);
      return answer_question(self, q.offer,
                             open != nullptr && open->agent == q.agent);
    },
    [=](const offer_timer& t) {
      auto& st = self->state;
      if (!st.round.current(t.round))
        return;
      auto d = engine::decide_offer_timeout(st.conv);
      if (!d.ok())
        return;
      carry_out(self, std::move(d.events));
      end_round(self);
    },
    [=](wait_timer& t) {
      if (!from_current_queue(self))
        return;
      auto& st = self->state;
      st.wait_over = engine::routing_explained{
        t.too_long ? engine::routing_decision::wait_too_long
                   : engine::routing_decision::wait_expired,
        st.waiting_in, std::move(t.why)};
      if (st.round.wait_ran_out(!st.conv.open_offers().empty()))
        expire(self);
    },
    [=](const line_position& p) {
      if (from_current_queue(self))
        tell_position(self, p.place);
    },
    [=](const consent_timer& t) { on_consent_timer(self, t); },
    [=](const choice_timer&) { on_choice_timer(self); },
    [=](const retire_timer&) { on_retire_timer(self); },
    [=](const idle_check&) { on_idle_check(self); },
    [=](const passivation_settled& s) { on_passivation_settled(self, s); },
    [=](sleeping_conversation& r) { on_wake(self, r); },
    [=](const leave_node&) -> caf::result<bool> {
      auto rp = self->make_response_promise<bool>();
      leave_when_stored(self, rp);
      return rp;
    },
  };
}

} // namespace
} // namespace baton::actors::conversation_impl

namespace baton::actors {

conversation_actor spawn_conversation(caf::local_actor* parent, std::string id,
                                      runtime_ptr rt, std::string queue_id,
                                      queue_actor queue, user_actor customer) {
  // Monitored, not linked: a link is an entry in the directory's own list
  // of attachables, which CAF searches from the start to remove one, so
  // linking every conversation makes each retirement cost the number in
  // memory. A monitor is an entry in the conversation's list.
  return parent->spawn<caf::monitored>(conversation_impl::conversation_behavior,
                                       std::move(id), std::move(rt),
                                       caf::actor_cast<directory_actor>(parent),
                                       std::move(queue_id), std::move(queue),
                                       std::move(customer));
}

} // namespace baton::actors
