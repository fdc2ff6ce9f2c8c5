#include "gateway/codec/render.hpp"

#include "engine/overloaded.hpp"
#include "engine/preview.hpp"
#include "engine/storage/event_codec.hpp"

namespace baton::gateway::detail {
namespace {

json::object customer_json(const engine::participant& p,
                           const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(2);
  o.emplace("id", p.id);
  o.emplace("name", p.name);
  return o;
}

/// The fields every conversation event starts with.
json::object event_head(std::string_view conversation, const engine::event& e,
                        const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(8);
  o.emplace("type", engine::event_name(e.body));
  o.emplace("conversation", conversation);
  o.emplace("seq", e.seq);
  o.emplace("ts", e.ts);
  return o;
}

/// A transfer's id goes by `conference` for a conference, as the protocol
/// names it, and by `transfer` otherwise.
std::string_view transfer_key(engine::offer_kind k) noexcept {
  switch (k) {
    case engine::offer_kind::conference:
      return "conference";
    case engine::offer_kind::assign:
      return "assign";
    default:
      return "transfer";
  }
}

/// A list of ids, as JSON.
json::array ids_json(const std::vector<std::string>& ids,
                     const json::storage_ptr& sp) {
  json::array out(sp);
  out.reserve(ids.size());
  for (const auto& id : ids)
    out.emplace_back(id);
  return out;
}

} // namespace

json::value id_or_null(std::string_view id, const json::storage_ptr& sp) {
  if (id.empty())
    return json::value(nullptr, sp);
  return json::value(json::string_view(id.data(), id.size()), sp);
}

json::object participant_json(const engine::participant& p,
                              const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(3);
  o.emplace("id", p.id);
  o.emplace("role", engine::to_string(p.role));
  o.emplace("name", p.name);
  return o;
}

json::object summary_json(const actors::conversation_summary& s,
                          const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(10);
  o.emplace("conversation", s.conversation);
  o.emplace("state", engine::to_string(s.state));
  o.emplace("channel", engine::to_string(s.channel));
  o.emplace("queue", id_or_null(s.queue, sp));
  o.emplace("topic", id_or_null(s.topic, sp));
  o.emplace("customer", customer_json(s.customer, sp));
  o.emplace("agents", ids_json(s.agents, sp));
  o.emplace("assignee", id_or_null(s.assignee, sp));
  o.emplace("last_seq", s.last_seq);
  o.emplace("created_at", s.created_at);
  if (s.position > 0) {
    o.emplace("position", s.position);
    if (s.estimated_wait_s >= 0)
      o.emplace("estimated_wait_s", s.estimated_wait_s);
  }
  return o;
}

json::object waiting_json(const actors::waiting_entry& w,
                          const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(7);
  o.emplace("conversation", w.conversation);
  o.emplace("queue", id_or_null(w.queue, sp));
  o.emplace("topic", id_or_null(w.topic, sp));
  o.emplace("channel", engine::to_string(w.channel));
  o.emplace("customer", customer_json(w.customer, sp));
  o.emplace("waited_ms", w.waited_ms);
  // A preview: the whole text is one conversation.history away.
  o.emplace("content", engine::preview(w.content, engine::preview_bytes));
  return o;
}

json::object queue_json(const actors::queue_row& q,
                        const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(8);
  o.emplace("queue", q.queue);
  o.emplace("name", q.name);
  o.emplace("agents_available", q.agents_available);
  o.emplace("agents_ready", q.agents_ready);
  o.emplace("agents_busy", q.agents_busy);
  o.emplace("waiting", q.waiting);
  o.emplace("longest_wait_ms", q.longest_wait_ms);
  if (q.estimated_wait_s >= 0)
    o.emplace("estimated_wait_s", q.estimated_wait_s);
  return o;
}

json::object step_json(const engine::routing_step& s,
                       const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(7);
  o.emplace("seq", s.seq);
  o.emplace("ts", s.ts);
  o.emplace("step", engine::to_string(s.kind));
  o.emplace("text", s.text);
  o.emplace("queue", id_or_null(s.queue, sp));
  o.emplace("agents", ids_json(s.agents, sp));
  if (s.why)
    o.emplace("why", json::value(engine::storage::encode_reasons(*s.why), sp));
  return o;
}

json::object agent_json(const actors::agent_row& a,
                        const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(6);
  o.emplace("agent", a.agent);
  o.emplace("name", a.name);
  o.emplace("status", engine::to_string(a.status));
  o.emplace("load", a.load);
  o.emplace("capacity", a.capacity);
  o.emplace("queues", ids_json(a.queues, sp));
  return o;
}

json::object offer_json(std::string_view conversation,
                        const actors::offer_notice& n,
                        const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(10);
  o.emplace("type", "offer");
  o.emplace("offer", n.offer);
  o.emplace("conversation", conversation);
  o.emplace("kind", engine::to_string(n.kind));
  o.emplace("queue", id_or_null(n.queue, sp));
  o.emplace("topic", id_or_null(n.topic, sp));
  o.emplace("channel", engine::to_string(n.channel));
  o.emplace("customer", customer_json(n.customer, sp));
  if (!n.from_agent.empty())
    o.emplace("from_agent", n.from_agent);
  if (!n.note.empty())
    o.emplace("note", n.note);
  o.emplace("content", n.content);
  o.emplace("expires_at", n.expires_at);
  return o;
}

bool event_visible(const engine::event& e, audience who) noexcept {
  if (engine::internal(e.body))
    return false;
  return who == audience::agent || engine::customer_visible(e);
}

std::optional<json::object> event_json(std::string_view conversation,
                                       const engine::event& e, audience who,
                                       const json::storage_ptr& sp) {
  if (!event_visible(e, who))
    return std::nullopt;
  auto o = event_head(conversation, e, sp);
  std::visit(engine::overloaded{
               [&](const engine::conversation_queued& q) {
                 o.emplace("queue", q.queue);
                 o.emplace("text", q.text);
               },
               [&](const engine::conversation_assigned& a) {
                 o.emplace("agent", a.agent);
               },
               [&](const engine::participant_joined& j) {
                 o.emplace("participant", participant_json(j.who, sp));
                 o.emplace("text", j.text);
               },
               [&](const engine::participant_left& l) {
                 o.emplace("participant", participant_json(l.who, sp));
                 o.emplace("reason", l.reason);
                 o.emplace("text", l.text);
               },
               [&](const engine::message_posted& m) {
                 o.emplace("from", participant_json(m.from, sp));
                 o.emplace("text", m.text);
                 o.emplace("visibility", engine::to_string(m.visibility));
                 if (!m.client_msg_id.empty())
                   o.emplace("client_msg_id", m.client_msg_id);
               },
               [&](const engine::no_agents& n) { o.emplace("text", n.text); },
               [&](const engine::conversation_closed& c) {
                 o.emplace("by", c.by);
                 o.emplace("reason", c.reason);
               },
               [&](const engine::transfer_requested& t) {
                 o.emplace(transfer_key(t.kind), t.transfer);
                 o.emplace("kind", engine::to_string(t.kind));
                 o.emplace("mode", engine::to_string(t.mode));
                 o.emplace("from", participant_json(t.from, sp));
                 o.emplace("to_queue", id_or_null(t.to_queue, sp));
                 o.emplace("to_agent", id_or_null(t.to_agent, sp));
                 o.emplace("topic", id_or_null(t.topic, sp));
                 o.emplace("note", t.note);
               },
               [&](const engine::consent_requested& c) {
                 o.emplace("transfer", c.transfer);
                 o.emplace("text", c.text);
                 o.emplace("options", json::array({"no", "yes"}, sp));
               },
               [&](const engine::transfer_ended& t) {
                 o.emplace(transfer_key(t.kind), t.transfer);
                 o.emplace("result", engine::to_string(t.result));
                 if (!t.reason.empty())
                   o.emplace("reason", t.reason);
                 if (!t.text.empty())
                   o.emplace("text", t.text);
               },
               [&](const engine::agent_absent& a) {
                 o.emplace("agent", a.agent.id);
                 o.emplace("text", a.text);
                 o.emplace("action", "conversation.request_other");
               },
               [&](const engine::returned_to_bot& r) {
                 o.emplace("agent", r.bot);
                 o.emplace("by", r.by);
               },
               // Internal: filtered out above.
               [](const engine::conversation_created&) {},
               [](const engine::offer_made&) {},
               [](const engine::offer_ended&) {},
               [](const engine::consent_given&) {},
               [](const engine::handed_off&) {},
               [](const engine::conversation_reopened&) {},
               [](const engine::routing_explained&) {},
             },
             e.body);
  return o;
}

std::string_view revoke_reason(engine::offer_end e) noexcept {
  switch (e) {
    case engine::offer_end::timeout:
      return "timeout";
    case engine::offer_end::taken:
      return "taken";
    case engine::offer_end::abandoned:
      return "abandoned";
    // The agent's own reject (seen by its other sessions), an agent gone
    // offline or full: the offer is simply off.
    case engine::offer_end::rejected:
    case engine::offer_end::cancelled:
    case engine::offer_end::agent_full:
    case engine::offer_end::agent_offline:
    case engine::offer_end::agent_not_ready:
      return "cancelled";
  }
  return "cancelled";
}

} // namespace baton::gateway::detail
