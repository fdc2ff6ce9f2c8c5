#include "engine/conversation/workflows.hpp"
#include "engine/routing/eligibility.hpp"

#include <algorithm>

namespace baton::engine {
namespace {

using state = conversation_state;
using text_key = config::text_key;
using config::permission;

decision accept(std::vector<event_body> events) {
  return decision{errc::ok, std::move(events), 0};
}

const participant* find_agent(const conversation& c, std::string_view id) {
  const auto& agents = c.agents();
  auto i = std::find_if(agents.begin(), agents.end(),
                        [&](const participant& p) { return p.id == id; });
  return i == agents.end() ? nullptr : &*i;
}

std::string queue_name(const config::config& cfg, const std::string& id) {
  const auto* q = cfg.find_queue(id);
  return q == nullptr ? id : q->name;
}

std::string agent_name(const config::config& cfg, const std::string& id) {
  const auto* a = cfg.find_agent(id);
  return a == nullptr ? id : a->name;
}

/// Offers out are called off: the conversation goes elsewhere.
void cancel_offers(const conversation& c, std::vector<event_body>& events) {
  for (const auto& o : c.open_offers())
    events.emplace_back(offer_ended{o.offer, o.agent, offer_end::cancelled});
}

participant_left left(const participant& who, std::string reason,
                      const config::config& cfg) {
  return {who, std::move(reason),
          cfg.texts.format(text_key::participant_left, {{"name", who.name}})};
}

/// Routing to the target starts. A cold transfer hands over now: the agent
/// leaves and the customer is told where the conversation goes. A warm
/// transfer, a conference and an assignment change nothing yet.
void start_routing(const conversation& c, const transfer_requested& t,
                   const config::config& cfg, std::string content,
                   std::vector<event_body>& events) {
  if (t.kind != offer_kind::transfer || t.mode != transfer_mode::cold)
    return;
  if (const auto* leaving = find_agent(c, t.leaving))
    events.emplace_back(left(*leaving, "transferred", cfg));
  auto target = t.to_queue.empty() ? agent_name(cfg, t.to_agent)
                                   : queue_name(cfg, t.to_queue);
  auto queue = t.to_queue.empty() ? c.queue() : t.to_queue;
  auto boosted = c.priority()
                 + static_cast<std::int32_t>(cfg.transfer.priority_boost);
  // The conversation keeps its original age in the next waiting list.
  auto age = c.enqueued_at() != 0 ? c.enqueued_at() : c.created_at();
  events.emplace_back(conversation_queued{
    std::move(queue), boosted, age,
    cfg.texts.format(text_key::transfer_queued, {{"queue", target}}),
    std::move(content)});
}

transfer_ended ended(const pending_transfer& p, transfer_result result,
                     std::string reason, std::string text) {
  return {p.request.transfer, p.request.kind, p.request.from.id, result,
          std::move(reason),  std::move(text)};
}

errc check_target(const transfer_ask& r, const conversation& c,
                  const config::config& cfg) {
  if (r.to_queue.empty() == r.to_agent.empty())
    return errc::bad_request;
  if (!r.to_queue.empty() && cfg.find_queue(r.to_queue) == nullptr)
    return errc::not_found;
  if (!r.to_agent.empty()) {
    if (cfg.find_agent(r.to_agent) == nullptr)
      return errc::not_found;
    if (c.has_agent(r.to_agent))
      return errc::invalid_state;
  }
  bool reason_required = r.kind == offer_kind::transfer
                         && (r.unassign || cfg.transfer.require_reason);
  if (r.topic.empty() && reason_required)
    return errc::bad_request;
  const auto* topic = r.topic.empty() ? nullptr : cfg.find_topic(r.topic);
  if (!r.topic.empty() && topic == nullptr)
    return errc::not_found;
  // A restricted reason for one agent who may not take it: it could only
  // fail, so it is refused at once.
  if (topic != nullptr && !r.to_agent.empty()
      && !may_take_topic(topic->restricted, topic->id,
                         cfg.find_agent(r.to_agent)->topics))
    return errc::forbidden;
  return errc::ok;
}

errc check_requester(const transfer_ask& r, const conversation& c,
                     const config::config& cfg) {
  if (r.unassign)
    return may_supervise(cfg, r.from) ? errc::ok : errc::forbidden;
  if (r.from.role != role::agent && r.from.role != role::supervisor)
    return errc::forbidden;
  auto needed = r.kind == offer_kind::conference ? permission::conference
                                                 : permission::transfer;
  if (!has_permission(cfg, r.from, needed) || !c.has_agent(r.from.id))
    return errc::forbidden;
  return errc::ok;
}

} // namespace

bool has_permission(const config::config& cfg, const participant& who,
                    config::permission p) {
  if (who.role != role::agent && who.role != role::supervisor)
    return false;
  const auto* member = cfg.find_agent(who.id);
  return member != nullptr && member->has_permission(p);
}

bool may_supervise(const config::config& cfg, const participant& who) {
  return who.role == role::supervisor
         || has_permission(cfg, who, permission::supervise);
}

std::string welcome_text(const config::config& cfg, const std::string& queue) {
  const auto* q = cfg.find_queue(queue);
  return q != nullptr && !q->welcome_text.empty()
           ? q->welcome_text
           : cfg.texts.get(text_key::queued);
}

decision decide_transfer(const conversation& c, const transfer_ask& r,
                         const config::config& cfg) {
  if (c.state() == state::closed)
    return decision::refuse(errc::invalid_state);
  if (auto e = check_requester(r, c, cfg); e != errc::ok)
    return decision::refuse(e);
  if (c.state() != state::assigned || c.assignee().empty() || c.pending())
    return decision::refuse(errc::invalid_state);
  // A cold hand-over from a conference would queue a conversation others
  // are still in: whoever goes should leave instead.
  bool cold = r.unassign
              || (r.kind == offer_kind::transfer
                  && r.mode == transfer_mode::cold);
  if (cold && c.agents().size() > 1)
    return decision::refuse(errc::invalid_state);
  if (auto e = check_target(r, c, cfg); e != errc::ok)
    return decision::refuse(e);
  transfer_requested t;
  t.transfer = r.transfer;
  t.kind = r.kind;
  t.mode = r.unassign || r.kind == offer_kind::conference ? transfer_mode::cold
                                                          : r.mode;
  t.from = r.from;
  if (r.kind == offer_kind::transfer)
    t.leaving = r.unassign ? c.assignee() : r.from.id;
  t.to_queue = r.to_queue;
  t.to_agent = r.to_agent;
  t.topic = r.topic;
  t.note = r.note;
  t.needs_consent = r.kind == offer_kind::transfer && !r.unassign
                    && cfg.transfer.require_consent;
  std::vector<event_body> events;
  events.emplace_back(t);
  if (t.needs_consent)
    events.emplace_back(
      consent_requested{t.transfer, cfg.texts.get(text_key::consent_request)});
  else
    start_routing(c, t, cfg, r.content, events);
  return accept(std::move(events));
}

decision decide_consent(const conversation& c, const participant& customer,
                        const std::string& transfer, bool accepted,
                        const config::config& cfg, std::string content) {
  if (customer.role != role::customer || c.customer().id != customer.id)
    return decision::refuse(errc::forbidden);
  const auto& p = c.pending();
  if (!p || p->request.transfer != transfer)
    return decision::refuse(errc::not_found);
  if (p->at != pending_transfer::stage::awaiting_consent)
    return decision::refuse(errc::invalid_state);
  std::vector<event_body> events;
  if (!accepted) {
    events.emplace_back(ended(*p, transfer_result::declined, "customer",
                              cfg.texts.get(text_key::transfer_declined)));
    return accept(std::move(events));
  }
  events.emplace_back(consent_given{transfer});
  start_routing(c, p->request, cfg, std::move(content), events);
  return accept(std::move(events));
}

decision decide_consent_timeout(const conversation& c,
                                const std::string& transfer,
                                const config::config& cfg) {
  const auto& p = c.pending();
  if (!p || p->request.transfer != transfer
      || p->at != pending_transfer::stage::awaiting_consent)
    return decision::refuse(errc::conflict);
  return accept({ended(*p, transfer_result::declined, "timeout",
                       cfg.texts.get(text_key::transfer_declined))});
}

namespace {

/// The requester's text for a failed transfer, conference or assignment.
std::string failure_text(const transfer_requested& r, offer_end cause,
                         const config::config& cfg) {
  if (!r.to_agent.empty()) {
    auto name = agent_name(cfg, r.to_agent);
    switch (cause) {
      case offer_end::agent_offline:
        return cfg.texts.format(text_key::target_offline, {{"name", name}});
      case offer_end::agent_not_ready:
        return cfg.texts.format(text_key::target_not_ready, {{"name", name}});
      case offer_end::agent_full:
        return cfg.texts.format(text_key::target_full, {{"name", name}});
      default:
        break;
    }
  }
  return cfg.texts.get(
    r.kind == offer_kind::conference ? text_key::conference_failed
    : r.kind == offer_kind::assign   ? text_key::assign_failed
                                     : text_key::transfer_failed);
}

} // namespace

decision decide_transfer_failed(const conversation& c,
                                const std::string& reason,
                                const config::config& cfg, offer_end cause) {
  if (!c.routing_transfer())
    return decision::refuse(errc::conflict);
  const auto& p = *c.pending();
  auto text = failure_text(p.request, cause, cfg);
  std::vector<event_body> events;
  cancel_offers(c, events);
  events.emplace_back(ended(p, transfer_result::failed, reason, text));
  return accept(std::move(events));
}

decision decide_leave(const conversation& c, const participant& agent,
                      const config::config& cfg) {
  // By id and role: a bot or another role carrying an agent's id is not
  // that agent.
  const auto& agents = c.agents();
  auto me = std::ranges::find_if(agents, [&](const participant& p) {
    return p.id == agent.id && p.role == agent.role;
  });
  if (me == agents.end() || !is_staff(agent.role))
    return decision::refuse(errc::forbidden);
  if (c.state() != state::assigned || c.agents().size() < 2)
    return decision::refuse(errc::invalid_state);
  return accept({left(*me, "left", cfg)});
}

decision decide_takeover(const conversation& c, const participant& by,
                         std::string text, const config::config& cfg) {
  if (!has_permission(cfg, by, permission::takeover))
    return decision::refuse(errc::forbidden);
  if (c.state() == state::closed || c.state() == state::bot
      || c.assignee() == by.id)
    return decision::refuse(errc::invalid_state);
  std::vector<event_body> events;
  cancel_offers(c, events);
  if (const auto& p = c.pending())
    events.emplace_back(
      ended(*p, transfer_result::cancelled, "taken_over", {}));
  if (const auto* before = find_agent(c, c.assignee()))
    events.emplace_back(left(*before, "taken_over", cfg));
  if (!c.has_agent(by.id))
    events.emplace_back(participant_joined{
      by, cfg.texts.format(text_key::participant_joined, {{"name", by.name}})});
  events.emplace_back(conversation_assigned{by.id, {}});
  if (!text.empty())
    events.emplace_back(
      message_posted{by, std::move(text), visibility::all, {}});
  return accept(std::move(events));
}

reach assign_reach(const config::config& cfg, const participant& by) {
  return has_permission(cfg, by, permission::assign_over_capacity)
           ? reach::over_capacity
           : reach::any_status;
}

decision decide_assign(const conversation& c, const participant& by,
                       const std::string& assign, const std::string& agent,
                       const config::config& cfg) {
  if (!may_supervise(cfg, by))
    return decision::refuse(errc::forbidden);
  if (cfg.find_agent(agent) == nullptr)
    return decision::refuse(errc::not_found);
  bool waiting = c.state() == state::queued || c.state() == state::offered;
  if (!waiting || c.pending())
    return decision::refuse(errc::invalid_state);
  std::vector<event_body> events;
  cancel_offers(c, events);
  transfer_requested t;
  t.transfer = assign;
  t.kind = offer_kind::assign;
  t.from = by;
  t.to_agent = agent;
  events.emplace_back(std::move(t));
  return accept(std::move(events));
}

decision decide_handoff(const conversation& c, const participant& bot,
                        const std::string& queue, const std::string& topic,
                        std::string summary, const config::config& cfg,
                        time_ms now, std::string content) {
  if (bot.role != role::bot || c.bot() != bot.id)
    return decision::refuse(errc::forbidden);
  if (c.state() != state::bot)
    return decision::refuse(errc::invalid_state);
  if (cfg.find_queue(queue) == nullptr
      || (!topic.empty() && cfg.find_topic(topic) == nullptr))
    return decision::refuse(errc::not_found);
  return accept(
    {handed_off{bot.id, topic, std::move(summary)},
     conversation_queued{queue, c.priority(), now, welcome_text(cfg, queue),
                         std::move(content)}});
}

decision decide_absent(const conversation& c, const config::config& cfg) {
  if (c.direct_agent().empty() || c.awaiting_other()
      || c.state() == state::closed || c.state() == state::assigned)
    return decision::refuse(errc::invalid_state);
  const auto& id = c.direct_agent();
  auto name = agent_name(cfg, id);
  std::vector<event_body> events;
  cancel_offers(c, events);
  events.emplace_back(
    agent_absent{{id, role::agent, name},
                 cfg.texts.format(text_key::agent_absent, {{"member", name}})});
  return accept(std::move(events));
}

decision decide_request_other(const conversation& c,
                              const participant& customer,
                              const config::config& cfg, time_ms now) {
  if (customer.role != role::customer || c.customer().id != customer.id)
    return decision::refuse(errc::forbidden);
  return decide_choice_timeout(c, cfg, now);
}

decision decide_choice_timeout(const conversation& c, const config::config& cfg,
                               time_ms now) {
  // Still nobody's: a supervisor may have taken it over or assigned it
  // meanwhile, which does not end the wait for a choice.
  if (!c.awaiting_other() || c.state() != state::queued || !c.agents().empty()
      || c.pending())
    return decision::refuse(errc::invalid_state);
  auto member = agent_name(cfg, c.direct_agent());
  return accept({conversation_queued{
    c.queue(), c.priority(), now, welcome_text(cfg, c.queue()),
    cfg.texts.format(text_key::request_other_content, {{"member", member}})}});
}

decision decide_resume(const conversation& c, const participant& customer,
                       const config::config& cfg, time_ms now) {
  if (customer.role != role::customer || c.customer().id != customer.id)
    return decision::refuse(errc::forbidden);
  if (c.state() != state::closed)
    return decision::refuse(errc::invalid_state);
  // Routed to its queue even when it came from a bot: the customer asked
  // for a person.
  return accept(
    {conversation_reopened{customer},
     conversation_queued{
       c.queue(), c.priority(), now, welcome_text(cfg, c.queue()), {}}});
}

} // namespace baton::engine
