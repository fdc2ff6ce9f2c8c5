#include "engine/conversation/decide.hpp"

#include <algorithm>

namespace baton::engine {
namespace {

using state = conversation_state;

bool waiting(const conversation& c) {
  return c.state() == state::queued || c.state() == state::offered;
}

bool is_participant(const conversation& c, const participant& p) {
  if (p.role == role::customer)
    return c.customer().id == p.id;
  // A bot speaks while it holds the conversation, not after its handoff.
  if (p.role == role::bot)
    return c.bot() == p.id && c.state() == state::bot;
  // Staff by id and role: a token of another role carrying an agent's id
  // is not that agent.
  if (!is_staff(p.role))
    return false;
  return std::ranges::any_of(c.agents(), [&](const participant& a) {
    return a.id == p.id && a.role == p.role;
  });
}

decision accept(std::vector<event_body> events) {
  return decision{errc::ok, std::move(events), 0};
}

/// The one agent who may take the conversation now, if only one may: the
/// target of a transfer or assignment to an agent, the member of a direct
/// conversation not yet queued.
const std::string* reserved_for(const conversation& c) {
  if (c.routing_transfer() && !c.pending()->request.to_agent.empty())
    return &c.pending()->request.to_agent;
  if (!c.direct_agent().empty() && !c.awaiting_other() && c.enqueued_at() == 0)
    return &c.direct_agent();
  return nullptr;
}

/// Nobody takes a conversation already theirs, nor one meant for another.
errc may_take(const conversation& c, const std::string& agent) {
  if (c.has_agent(agent))
    return errc::invalid_state;
  if (const auto* only = reserved_for(c); only != nullptr && *only != agent)
    return errc::forbidden;
  return errc::ok;
}

transfer_ended settle(const pending_transfer& p, transfer_result result,
                      std::string reason, std::string text = {}) {
  return {p.request.transfer, p.request.kind, p.request.from.id, result,
          std::move(reason),  std::move(text)};
}

/// The winner of an offer or a pick joins. A new conversation, a transfer
/// and an assignment get a new assignee; a conference only a new member.
void join(const conversation& c, const participant& agent,
          const std::string& offer, std::string joined_text,
          std::string handover_text, std::vector<event_body>& events) {
  const auto* pending = c.routing_transfer() ? &*c.pending() : nullptr;
  bool conference = pending != nullptr
                    && pending->request.kind == offer_kind::conference;
  if (!conference)
    events.emplace_back(conversation_assigned{agent.id, offer});
  events.emplace_back(participant_joined{agent, std::move(joined_text)});
  if (pending == nullptr)
    return;
  const auto& t = pending->request;
  if (t.mode == transfer_mode::warm && !t.leaving.empty()) {
    for (const auto& p : c.agents())
      if (p.id == t.leaving) {
        events.emplace_back(
          participant_left{p, "transferred", std::move(handover_text)});
        break;
      }
  }
  events.emplace_back(settle(*pending, transfer_result::completed, {}));
}

} // namespace

decision decide_start(const conversation& c, const start_request& r,
                      time_ms now) {
  if (c.last_seq() != 0)
    return decision::refuse(errc::invalid_state);
  if (r.queue.empty() || r.customer.id.empty())
    return decision::refuse(errc::bad_request);
  std::vector<event_body> events;
  events.emplace_back(conversation_created{r.channel, r.queue, r.topic,
                                           r.customer, r.bot, r.priority,
                                           r.direct_agent});
  if (!r.first_text.empty())
    events.emplace_back(message_posted{
      r.bot.empty() ? r.customer
                    : participant{r.bot, role::bot,
                                  r.bot_name.empty() ? r.bot : r.bot_name},
      r.first_text,
      visibility::all,
      {}});
  // A bot holds its conversation; a direct one is offered to its member.
  if (r.bot.empty() && r.direct_agent.empty())
    events.emplace_back(conversation_queued{r.queue, r.priority, now,
                                            r.welcome_text, r.first_text});
  return accept(std::move(events));
}

decision decide_offer(const conversation& c, std::vector<offer_target> targets,
                      offer_kind kind, time_ms expires_at) {
  // A warm transfer or conference is offered while its assignee stays.
  bool routing = c.state() == state::queued
                 || (c.routing_transfer() && c.state() == state::assigned
                     && c.open_offers().empty());
  if (!routing)
    return decision::refuse(errc::invalid_state);
  if (targets.empty())
    return decision::refuse(errc::bad_request);
  for (const auto& t : targets)
    if (auto e = may_take(c, t.agent); e != errc::ok)
      return decision::refuse(e);
  return accept({offer_made{std::move(targets), kind, expires_at}});
}

decision decide_offer_end(const conversation& c, const std::string& offer,
                          offer_end reason) {
  const auto* target = c.find_offer(offer);
  if (target == nullptr)
    return decision::refuse(errc::conflict);
  return accept({offer_ended{offer, target->agent, reason}});
}

decision decide_claim(const conversation& c, const std::string& offer,
                      const participant& agent, std::string joined_text,
                      std::string handover_text) {
  const auto* target = c.find_offer(offer);
  if (c.state() == state::closed)
    return decision::refuse(errc::conflict);
  if (target == nullptr || target->agent != agent.id)
    return decision::refuse(errc::conflict);
  // The other offers of a ring_all round end here, taken by the winner.
  std::vector<event_body> events;
  for (const auto& other : c.open_offers())
    if (other.offer != offer)
      events.emplace_back(
        offer_ended{other.offer, other.agent, offer_end::taken});
  join(c, agent, offer, std::move(joined_text), std::move(handover_text),
       events);
  return accept(std::move(events));
}

decision decide_pick(const conversation& c, const participant& agent,
                     std::string joined_text, std::string handover_text) {
  // Only a conversation nobody is being offered can be picked: the one
  // holding an offer is already someone's to win.
  bool pickable = c.state() == state::queued
                  || (c.routing_transfer() && c.state() == state::assigned
                      && c.open_offers().empty());
  if (!pickable)
    return decision::refuse(errc::conflict);
  if (auto e = may_take(c, agent.id); e != errc::ok)
    return decision::refuse(e);
  std::vector<event_body> events;
  join(c, agent, {}, std::move(joined_text), std::move(handover_text), events);
  return accept(std::move(events));
}

decision decide_message(const conversation& c, const participant& from,
                        std::string text, visibility vis,
                        std::string client_msg_id) {
  if (!is_participant(c, from))
    return decision::refuse(errc::forbidden);
  if (c.state() == state::closed)
    return decision::refuse(errc::invalid_state);
  if (text.empty())
    return decision::refuse(errc::bad_request);
  if (vis == visibility::agents && from.role == role::customer)
    return decision::refuse(errc::forbidden);
  if (!client_msg_id.empty()) {
    if (auto seq = c.message_seq(from, client_msg_id)) {
      decision repeat;
      repeat.existing_seq = *seq;
      return repeat;
    }
  }
  return accept(
    {message_posted{from, std::move(text), vis, std::move(client_msg_id)}});
}

namespace {

/// A person ends a bot's conversation: the agents leave, the bot has it
/// again.
void return_to_bot(const conversation& c, const participant& by,
                   const config::texts& texts,
                   std::vector<event_body>& events) {
  for (const auto& a : c.agents())
    events.emplace_back(participant_left{
      a, "closed",
      texts.format(config::text_key::participant_left, {{"name", a.name}})});
  events.emplace_back(returned_to_bot{c.bot(), by.id});
}

} // namespace

decision decide_close(const conversation& c, const participant& by,
                      std::string reason, const config::texts& texts) {
  // No role closes what it does not take part in: the system's own closes
  // (no agents, wait expiry) are decisions of their own, not this one.
  if (!is_participant(c, by))
    return decision::refuse(errc::forbidden);
  if (c.state() == state::closed)
    return decision::refuse(errc::invalid_state);
  std::vector<event_body> events;
  for (const auto& target : c.open_offers())
    events.emplace_back(
      offer_ended{target.offer, target.agent, offer_end::abandoned});
  if (const auto& p = c.pending())
    events.emplace_back(settle(*p, transfer_result::cancelled, "closed"));
  bool by_person = is_staff(by.role);
  if (!c.bot().empty() && c.state() != state::bot && by_person)
    return_to_bot(c, by, texts, events);
  else
    events.emplace_back(conversation_closed{by.id, std::move(reason)});
  return accept(std::move(events));
}

decision decide_no_agents(const conversation& c, const config::texts& texts,
                          config::text_key text) {
  if (!waiting(c))
    return decision::refuse(errc::invalid_state);
  std::vector<event_body> events;
  for (const auto& target : c.open_offers())
    events.emplace_back(
      offer_ended{target.offer, target.agent, offer_end::cancelled});
  if (const auto& p = c.pending())
    events.emplace_back(settle(*p, transfer_result::failed, "no_agents",
                               texts.get(config::text_key::transfer_failed)));
  events.emplace_back(no_agents{texts.get(text)});
  if (!c.bot().empty())
    return_to_bot(c, {"system", role::service, "system"}, texts, events);
  else
    events.emplace_back(conversation_closed{"system", "no_agents"});
  return accept(std::move(events));
}

std::vector<event> commit(conversation& c, std::vector<event_body> bodies,
                          time_ms now) {
  std::vector<event> out;
  out.reserve(bodies.size());
  for (auto& body : bodies) {
    out.push_back(event{c.last_seq() + 1, now, std::move(body)});
    c.apply(out.back());
  }
  return out;
}

} // namespace baton::engine
