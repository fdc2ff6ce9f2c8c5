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
  if (p.role == role::bot)
    return c.bot() == p.id;
  return c.has_agent(p.id);
}

decision accept(std::vector<event_body> events) {
  return decision{errc::ok, std::move(events), 0};
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
                                           r.customer, r.bot, r.priority});
  if (!r.first_text.empty())
    events.emplace_back(message_posted{
      r.bot.empty() ? r.customer : participant{r.bot, role::bot, r.bot},
      r.first_text,
      visibility::all,
      {}});
  if (r.bot.empty())
    events.emplace_back(
      conversation_queued{r.queue, r.priority, now, r.welcome_text});
  return accept(std::move(events));
}

decision decide_offer(const conversation& c, std::vector<offer_target> targets,
                      offer_kind kind, time_ms expires_at) {
  if (c.state() != state::queued)
    return decision::refuse(errc::invalid_state);
  if (targets.empty())
    return decision::refuse(errc::bad_request);
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
                      const participant& agent, std::string joined_text) {
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
  events.emplace_back(conversation_assigned{agent.id, offer});
  events.emplace_back(participant_joined{agent, std::move(joined_text)});
  return accept(std::move(events));
}

decision decide_pick(const conversation& c, const participant& agent,
                     std::string joined_text) {
  // Only a conversation nobody is being offered can be picked: the one
  // holding an offer is already someone's to win.
  if (c.state() != state::queued)
    return decision::refuse(errc::conflict);
  return accept({conversation_assigned{agent.id, {}},
                 participant_joined{agent, std::move(joined_text)}});
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
    if (auto seq = c.message_seq(client_msg_id)) {
      decision repeat;
      repeat.existing_seq = *seq;
      return repeat;
    }
  }
  return accept(
    {message_posted{from, std::move(text), vis, std::move(client_msg_id)}});
}

decision decide_close(const conversation& c, const participant& by,
                      std::string reason) {
  if (by.role != role::service && !is_participant(c, by))
    return decision::refuse(errc::forbidden);
  if (c.state() == state::closed)
    return decision::refuse(errc::invalid_state);
  std::vector<event_body> events;
  for (const auto& target : c.open_offers())
    events.emplace_back(
      offer_ended{target.offer, target.agent, offer_end::abandoned});
  events.emplace_back(conversation_closed{by.id, std::move(reason)});
  return accept(std::move(events));
}

decision decide_no_agents(const conversation& c, std::string text) {
  if (!waiting(c))
    return decision::refuse(errc::invalid_state);
  std::vector<event_body> events;
  for (const auto& target : c.open_offers())
    events.emplace_back(
      offer_ended{target.offer, target.agent, offer_end::cancelled});
  events.emplace_back(no_agents{std::move(text)});
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
