#include "gateway/codec/encode.hpp"

#include "engine/overloaded.hpp"
#include "gateway/codec/render.hpp"

namespace baton::gateway {
namespace {

namespace json = boost::json;
using namespace detail;

json::object reply_head(std::string_view type,
                        const std::optional<std::string>& re,
                        const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(6);
  o.emplace("type", type);
  if (re)
    o.emplace("re", *re);
  return o;
}

void add_events(json::object& o, std::string_view conversation,
                const std::vector<engine::event>& events, audience who,
                const json::storage_ptr& sp) {
  json::array a(sp);
  a.reserve(events.size());
  for (const auto& e : events)
    if (auto ev = event_json(conversation, e, who, sp))
      a.emplace_back(std::move(*ev));
  o.emplace("events", std::move(a));
}

template <class T, class F>
json::array
array_of(const std::vector<T>& items, F render, const json::storage_ptr& sp) {
  json::array a(sp);
  a.reserve(items.size());
  for (const auto& item : items)
    a.emplace_back(render(item, sp));
  return a;
}

/// The field a placed transfer's id goes out in.
std::string_view placement_field(actors::placement kind) {
  switch (kind) {
    case actors::placement::conference:
      return "conference";
    case actors::placement::assign:
      return "assign";
    case actors::placement::transfer:
      break;
  }
  return "transfer";
}

} // namespace

audience audience_of(engine::role r) noexcept {
  return r == engine::role::customer ? audience::customer : audience::agent;
}

std::string encode_error(const std::optional<std::string>& re,
                         engine::errc code, std::string_view message) {
  arena mem;
  auto sp = mem.storage();
  auto o = reply_head("error", re, sp);
  if (code == engine::errc::ok)
    code = engine::errc::internal;
  o.emplace("code", engine::code_name(code));
  o.emplace("message", message);
  return json::serialize(o);
}

std::string encode_error(const decode_error& e) {
  return encode_error(e.id, engine::errc::bad_request, e.message);
}

std::string encode_unsupported(const unsupported_verb& u) {
  std::string message = "not supported yet: ";
  message += u.what;
  return encode_error(u.id, engine::errc::bad_request, message);
}

std::string encode_ok(const std::optional<std::string>& re,
                      const actors::reply_body& body, audience who) {
  arena mem;
  auto sp = mem.storage();
  auto o = reply_head("ok", re, sp);
  auto more = [&](bool cut) {
    if (cut)
      o.emplace("more", true);
  };
  std::visit(
    engine::overloaded{
      [](const actors::acknowledged&) {},
      [&](const actors::opened& r) {
        o.emplace("conversation", r.conversation);
      },
      [&](const actors::appended& r) {
        o.emplace("seq", r.seq);
        o.emplace("conversation", r.conversation);
      },
      [&](const actors::waiting_list& r) {
        o.emplace("entries", array_of(r.entries, waiting_json, sp));
        more(r.more);
      },
      [&](const actors::conversation_list& r) {
        o.emplace("conversations", array_of(r.conversations, summary_json, sp));
        more(r.more);
      },
      [&](const actors::history_page& r) {
        add_events(o, r.conversation, r.events, who, sp);
        o.emplace("more", r.more);
      },
      [&](const actors::explanation& r) {
        o.emplace("conversation", r.conversation);
        o.emplace("steps", array_of(r.steps, step_json, sp));
        more(r.more);
      },
      [&](const actors::queue_list& r) {
        o.emplace("queues", array_of(r.queues, queue_json, sp));
        more(r.more);
      },
      [&](const actors::agent_list& r) {
        o.emplace("agents", array_of(r.agents, agent_json, sp));
        more(r.more);
      },
      [&](const actors::placed& r) {
        o.emplace("conversation", r.conversation);
        o.emplace(placement_field(r.kind), r.id);
      },
      [&](const actors::credited& r) {
        if (r.agent.empty())
          o.emplace("agent", nullptr);
        else
          o.emplace("agent", r.agent);
      },
      [&](const actors::welcome& r) {
        o.emplace("conversations", array_of(r.conversations, summary_json, sp));
      },
    },
    body);
  return json::serialize(o);
}

std::string encode_reply(const std::optional<std::string>& re,
                         const actors::reply& r, audience who) {
  if (!r.ok())
    return encode_error(re, r.code, r.message);
  return encode_ok(re, r.body, who);
}

std::string encode_refresh_ok(const std::optional<std::string>& re,
                              engine::time_ms expires_at) {
  arena mem;
  auto sp = mem.storage();
  auto o = reply_head("ok", re, sp);
  o.emplace("expires_at", expires_at);
  return json::serialize(o);
}

std::string encode_hello_ok(const std::optional<std::string>& re,
                            std::string_view session_id, engine::role role,
                            std::string_view user, const actors::welcome& w,
                            const std::optional<std::string>& resume_token) {
  arena mem;
  auto sp = mem.storage();
  auto o = reply_head("ok", re, sp);
  o.emplace("session", session_id);
  o.emplace("role", engine::to_string(role));
  o.emplace("user", user);
  o.emplace("conversations", array_of(w.conversations, summary_json, sp));
  json::array offers(sp);
  if (role != engine::role::customer) {
    offers.reserve(w.offers.size());
    for (const auto& [conversation, offer] : w.offers)
      offers.emplace_back(offer_json(conversation, offer, sp));
  }
  o.emplace("offers", std::move(offers));
  if (resume_token)
    o.emplace("resume_token", *resume_token);
  return json::serialize(o);
}

bool visible_to(const actors::notification& n, audience who) noexcept {
  return std::visit(
    engine::overloaded{
      [&](const engine::event& e) { return event_visible(e, who); },
      [&](const actors::typing_notice&) { return true; },
      [&](const actors::user_notice&) { return true; },
      [&](const actors::position_notice&) { return true; },
      // Offers, the agent's own status and supervision events are staff
      // business.
      [&](const auto&) { return who == audience::agent; },
    },
    n.body);
}

std::optional<std::string> encode_event(const actors::notification& n,
                                        audience who) {
  if (!visible_to(n, who))
    return std::nullopt;
  arena mem;
  auto sp = mem.storage();
  json::object o(sp);
  o.reserve(4);
  std::visit(engine::overloaded{
               [&](const engine::event& e) {
                 o = *event_json(n.conversation, e, who, sp);
               },
               [&](const actors::offer_notice& offer) {
                 o = offer_json(n.conversation, offer, sp);
               },
               [&](const actors::offer_revoked_notice& r) {
                 o.emplace("type", "offer.revoked");
                 o.emplace("offer", r.offer);
                 o.emplace("conversation", n.conversation);
                 o.emplace("reason", revoke_reason(r.reason));
               },
               [&](const actors::agent_status_notice& s) {
                 // Tells every session of the agent its status.
                 o.emplace("type", "agent.status");
                 o.emplace("status", engine::to_string(s.status));
                 if (!s.reason.empty())
                   o.emplace("reason", s.reason);
               },
               [&](const actors::user_notice& u) {
                 o.emplace("type", "notice");
                 o.emplace("level",
                           u.severity == actors::user_notice::level::info
                             ? "info"
                             : "warning");
                 o.emplace("text", u.text);
                 if (!n.conversation.empty())
                   o.emplace("conversation", n.conversation);
               },
               [&](const actors::position_notice& p) {
                 o.emplace("type", "conversation.position");
                 o.emplace("conversation", n.conversation);
                 o.emplace("position", p.position);
                 if (p.estimated_wait_s >= 0)
                   o.emplace("estimated_wait_s", p.estimated_wait_s);
               },
               [&](const actors::typing_notice& t) {
                 o.emplace("type", "typing");
                 o.emplace("conversation", n.conversation);
                 o.emplace("from", participant_json(t.from, sp));
               },
               [&](const actors::queue_stats_notice& s) {
                 o.emplace("type", "queue.stats");
                 o.emplace("queues", array_of(s.queues, queue_json, sp));
               },
               [&](const actors::conversation_summary& s) {
                 o.emplace("type", "conversation.updated");
                 for (auto& [k, v] : summary_json(s, sp))
                   o.emplace(k, std::move(v));
               },
               [&](const actors::agent_row& a) {
                 o.emplace("type", "agent.updated");
                 for (auto& [k, v] : agent_json(a, sp))
                   o.emplace(k, std::move(v));
               },
             },
             n.body);
  return json::serialize(o);
}

const std::shared_ptr<const std::string>&
shared_event(const actors::notification& n, audience who) {
  static_assert(actors::rendered_frames::audiences == 2
                && std::size_t(audience::customer) == 0
                && std::size_t(audience::agent) == 1);
  auto agents = [&]() -> const actors::rendered_frames::frame& {
    return n.rendered.get(std::size_t(audience::agent), [&] {
      auto text = encode_event(n, audience::agent);
      return text ? std::make_shared<const std::string>(std::move(*text))
                  : actors::rendered_frames::frame{};
    });
  };
  if (who == audience::agent)
    return agents();
  return n.rendered.get(std::size_t(audience::customer), [&] {
    return visible_to(n, audience::customer) ? agents()
                                             : actors::rendered_frames::frame{};
  });
}

} // namespace baton::gateway
