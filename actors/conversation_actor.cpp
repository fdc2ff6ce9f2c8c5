#include "actors/conversation_actor.hpp"

#include "caf/all.hpp"

#include "actors/conversation_state.hpp"
#include "actors/journal_actor.hpp"
#include "actors/recovery.hpp"
#include "actors/supervision_actor.hpp"
#include "engine/conversation/decide.hpp"
#include "engine/overloaded.hpp"

namespace baton::actors::conversation_impl {

using engine::conversation_state;
using engine::errc;
using engine::offer_end;
using text_key = engine::config::text_key;

engine::participant as_participant(const caller& who) {
  return {who.user, who.role, who.name.empty() ? who.user : who.name};
}

/// Sends each event, made once, to everyone allowed to see it: the customer
/// only what is customer-visible, the agents everything but routing internals.
/// The audience is taken now; the sends wait until the events are stored.
void publish(self_ptr self, const std::vector<engine::event>& events) {
  auto& st = self->state;
  std::vector<std::pair<caf::actor, deliver>> sends;
  for (const auto& e : events) {
    if (std::holds_alternative<engine::offer_made>(e.body)
        || std::holds_alternative<engine::offer_ended>(e.body))
      continue;
    auto n = std::make_shared<notification>(notification{st.conv.id(), e});
    if (st.customer && engine::customer_visible(e))
      sends.emplace_back(st.customer, deliver{n});
    for (const auto& [id, agent] : st.agents)
      sends.emplace_back(agent, deliver{n});
  }
  if (!sends.empty())
    when_durable(self, [self, sends = std::move(sends)] {
      for (const auto& [to, d] : sends)
        self->send(to, d);
    });
}

/// Claim results tell the agent's client it won: they wait for the log.
void settle(self_ptr self, const caf::actor& agent, claim_result r) {
  when_durable(self, [self, agent, r = std::move(r)] { self->send(agent, r); });
}

std::vector<engine::event> apply(self_ptr self,
                                 std::vector<engine::event_body> bodies) {
  auto& st = self->state;
  auto events = engine::commit(st.conv, std::move(bodies),
                               now_ms(self, *st.rt));
  st.history.insert(st.history.end(), events.begin(), events.end());
  journal(self, events);
  if (st.rt->supervision)
    report_to_supervision(self, st.rt->supervision, st.conv.customer().id,
                          events, [&st] { return summary_of(st); });
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
    count_offer_end(*st.rt->metrics, ended->reason);
    if (ended->reason != offer_end::rejected
        && ended->reason != offer_end::agent_offline
        && ended->reason != offer_end::agent_full)
      self->send(i->second, revoke{st.conv.id(), ended->offer, ended->reason});
    // A full agent did not refuse: it may be asked again once it has room.
    if (ended->reason == offer_end::timeout
        || ended->reason == offer_end::rejected
        || ended->reason == offer_end::agent_offline)
      st.tried.push_back(ended->agent);
    st.offered.erase(i);
  }
}

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
      return; // never shown to the agent
  }
}

void release_agents(self_ptr self) {
  auto& st = self->state;
  for (const auto& [id, agent] : st.agents)
    self->send(agent, released{st.conv.id()});
  st.agents.clear();
}

namespace {

std::string agent_name(const runtime& rt, const std::string& id) {
  const auto* a = rt.cfg->find_agent(id);
  return a == nullptr ? id : a->name;
}

void close_for_no_agents(self_ptr self) {
  auto& st = self->state;
  auto d = engine::decide_no_agents(st.conv, st.rt->cfg->texts);
  if (!d.ok())
    return;
  auto events = apply(self, std::move(d.events));
  revoke_ended_offers(self, events);
  publish(self, events);
  self->send(st.queue, dequeue{st.conv.id()});
  release_agents(self);
  st.rt->metrics->conversations_active.add(-1);
}

/// Every offer of the round has ended without a winner.
void end_round(self_ptr self) {
  auto& st = self->state;
  ++st.round;
  if (st.wait_expired) {
    close_for_no_agents(self);
    return;
  }
  self->send(st.queue, offer_round_ended{st.conv.id(), round_outcome::failed,
                                         std::move(st.tried)});
  st.tried.clear();
}

void end_offer(self_ptr self, const std::string& offer, offer_end reason) {
  auto& st = self->state;
  auto d = engine::decide_offer_end(st.conv, offer, reason);
  if (!d.ok())
    return; // already over: a late decline or full after a timeout
  revoke_ended_offers(self, apply(self, std::move(d.events)));
  if (st.conv.open_offers().empty())
    end_round(self);
}

void assign(self_ptr self, const std::string& offer,
            const engine::participant& agent, const caf::actor& handle,
            reply_fn done) {
  auto& st = self->state;
  auto joined = st.rt->cfg->texts.format(text_key::participant_joined,
                                         {{"name", agent.name}});
  auto d = engine::decide_claim(st.conv, offer, agent, std::move(joined));
  if (!d.ok()) {
    settle(self, handle,
           claim_result{st.conv.id(), self, offer, d.error, std::move(done)});
    return;
  }
  auto events = apply(self, std::move(d.events));
  revoke_ended_offers(self, events);
  st.offered.erase(offer);
  st.agents.emplace(agent.id, handle);
  st.past_agents.insert(agent.id);
  ++st.round;
  auto& m = *st.rt->metrics;
  m.count_offer(offer_result::accepted);
  m.route_latency.observe(
    static_cast<double>(now_ms(self, *st.rt) - st.conv.enqueued_at()) / 1e3);
  publish(self, events);
  settle(self, handle,
         claim_result{st.conv.id(), self, offer, errc::ok, std::move(done)});
  self->send(st.queue,
             offer_round_ended{st.conv.id(), round_outcome::assigned, {}});
}

void on_offer_to(self_ptr self, offer_to& r) {
  auto& st = self->state;
  auto now = now_ms(self, *st.rt);
  std::vector<engine::offer_target> targets;
  for (const auto& t : r.targets)
    targets.push_back({t.offer, t.agent});
  auto d = engine::decide_offer(st.conv, std::move(targets), r.kind,
                                now + r.timeout_ms);
  if (!d.ok()) {
    self->send(st.queue,
               offer_round_ended{st.conv.id(), round_outcome::not_waiting, {}});
    return;
  }
  apply(self, std::move(d.events));
  ++st.round;
  st.assign_at_once = r.assign_at_once;
  const auto& c = st.conv;
  for (auto& t : r.targets) {
    offer_notice notice{t.offer,       r.kind,
                        c.queue(),     c.topic(),
                        c.channel(),   c.customer(),
                        st.first_text, now + r.timeout_ms};
    self->send(t.handle, reserve{c.id(), self, std::move(notice)});
    st.offered.emplace(t.offer, t.handle);
  }
  self->delayed_send(self, as_duration(r.timeout_ms), offer_timer{st.round});
}

void on_reserve_result(self_ptr self, const reserve_result& r) {
  auto& st = self->state;
  const auto* open = st.conv.find_offer(r.offer);
  if (open == nullptr) {
    // The round ended before the agent answered: it must let go again.
    auto i = st.offered.find(r.offer);
    if (r.reserved && i != st.offered.end()) {
      auto reason = st.conv.state() == conversation_state::closed
                      ? offer_end::abandoned
                      : offer_end::taken;
      self->send(i->second, revoke{st.conv.id(), r.offer, reason});
      st.offered.erase(i);
    }
    return;
  }
  if (!r.reserved) {
    end_offer(self, r.offer, offer_end::agent_full);
    return;
  }
  if (st.assign_at_once) {
    auto handle = st.offered.at(r.offer);
    engine::participant agent{r.agent, engine::role::agent,
                              agent_name(*st.rt, r.agent)};
    assign(self, r.offer, agent, handle, {});
  }
}

void on_pick(self_ptr self, pick& r) {
  auto& st = self->state;
  const auto& c = st.conv;
  auto refuse = [&](errc code) {
    settle(self, r.handle,
           claim_result{c.id(), self, {}, code, std::move(r.done)});
  };
  bool member = std::find(r.queues.begin(), r.queues.end(), c.queue())
                != r.queues.end();
  const auto* topic = st.rt->cfg->find_topic(c.topic());
  bool allowed = topic == nullptr || !topic->restricted
                 || std::find(r.topics.begin(), r.topics.end(), c.topic())
                      != r.topics.end();
  if (!member || !allowed)
    return refuse(errc::forbidden);
  auto joined = st.rt->cfg->texts.format(text_key::participant_joined,
                                         {{"name", r.agent.name}});
  auto d = engine::decide_pick(c, r.agent, std::move(joined));
  if (!d.ok())
    return refuse(d.error);
  st.agents.emplace(r.agent.id, r.handle);
  st.past_agents.insert(r.agent.id);
  publish(self, apply(self, std::move(d.events)));
  self->send(st.queue, dequeue{c.id()});
  settle(self, r.handle,
         claim_result{c.id(), self, {}, errc::ok, std::move(r.done)});
}

caf::behavior conversation_behavior(self_ptr self, std::string id,
                                    runtime_ptr rt, caf::actor queue,
                                    caf::actor customer) {
  auto& st = self->state;
  st.rt = std::move(rt);
  st.conv = engine::conversation(std::move(id));
  st.queue = std::move(queue);
  st.customer = std::move(customer);
  return {
    [=](api_call& call) {
      auto out = std::visit(
        engine::overloaded{
          [&](const start_conversation& r) {
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
          [](const auto&) {
            return reply::error(errc::bad_request,
                                "not a conversation request");
          },
        },
        call.what);
      when_durable(self, [done = std::move(call.done), out = std::move(out)] {
        done(out);
      });
    },
    [=](const journal_committed& c) { on_committed(self, c.seq); },
    [=](restore_conversation& r) { on_restore(self, r); },
    [=](const summary_query&) { return summary_of(self->state); },
    [=](offer_to& r) { on_offer_to(self, r); },
    [=](const reserve_result& r) { on_reserve_result(self, r); },
    [=](claim& r) {
      assign(self, r.offer, r.agent, r.handle, std::move(r.done));
    },
    [=](const decline& r) { end_offer(self, r.offer, r.reason); },
    [=](pick& r) { on_pick(self, r); },
    [=](const offer_timer& t) {
      auto& st = self->state;
      if (t.round != st.round || st.conv.state() != conversation_state::offered)
        return;
      std::vector<engine::event_body> ended;
      for (const auto& o : st.conv.open_offers())
        ended.emplace_back(
          engine::offer_ended{o.offer, o.agent, offer_end::timeout});
      revoke_ended_offers(self, apply(self, std::move(ended)));
      end_round(self);
    },
    [=](const wait_timer&) {
      auto& st = self->state;
      if (st.conv.state() == conversation_state::queued)
        close_for_no_agents(self);
      else if (st.conv.state() == conversation_state::offered)
        st.wait_expired = true; // the offer out runs its course first
    },
  };
}

} // namespace
} // namespace baton::actors::conversation_impl

namespace baton::actors {

caf::actor spawn_conversation(caf::event_based_actor* parent, std::string id,
                              runtime_ptr rt, caf::actor queue,
                              caf::actor customer) {
  return parent->spawn<caf::linked>(conversation_impl::conversation_behavior,
                                    std::move(id), std::move(rt),
                                    std::move(queue), std::move(customer));
}

} // namespace baton::actors
