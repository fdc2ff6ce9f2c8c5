#include "engine/storage/event_codec.hpp"

#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "engine/overloaded.hpp"

namespace baton::engine::storage {
namespace {

namespace json = boost::json;

// -- names ------------------------------------------------------------------

/// The stored name of each event type: fixed, unlike `event_name`, which may
/// depend on the content (a conference is a kind of transfer request).
constexpr std::string_view stored_name(const conversation_created&) {
  return "conversation_created";
}
constexpr std::string_view stored_name(const conversation_queued&) {
  return "conversation_queued";
}
constexpr std::string_view stored_name(const offer_made&) {
  return "offer_made";
}
constexpr std::string_view stored_name(const offer_ended&) {
  return "offer_ended";
}
constexpr std::string_view stored_name(const conversation_assigned&) {
  return "conversation_assigned";
}
constexpr std::string_view stored_name(const participant_joined&) {
  return "participant_joined";
}
constexpr std::string_view stored_name(const participant_left&) {
  return "participant_left";
}
constexpr std::string_view stored_name(const message_posted&) {
  return "message_posted";
}
constexpr std::string_view stored_name(const no_agents&) {
  return "no_agents";
}
constexpr std::string_view stored_name(const conversation_closed&) {
  return "conversation_closed";
}
constexpr std::string_view stored_name(const transfer_requested&) {
  return "transfer_requested";
}
constexpr std::string_view stored_name(const consent_requested&) {
  return "consent_requested";
}
constexpr std::string_view stored_name(const consent_given&) {
  return "consent_given";
}
constexpr std::string_view stored_name(const transfer_ended&) {
  return "transfer_ended";
}
constexpr std::string_view stored_name(const agent_absent&) {
  return "agent_absent";
}
constexpr std::string_view stored_name(const handed_off&) {
  return "handed_off";
}
constexpr std::string_view stored_name(const returned_to_bot&) {
  return "returned_to_bot";
}
constexpr std::string_view stored_name(const conversation_reopened&) {
  return "conversation_reopened";
}
constexpr std::string_view stored_name(const routing_explained&) {
  return "routing_explained";
}

// -- encoding ---------------------------------------------------------------

json::object encode(const participant& p) {
  return {{"id", p.id}, {"role", to_string(p.role)}, {"name", p.name}};
}

json::object fields(const conversation_created& x) {
  return {{"channel", to_string(x.channel)},
          {"queue", x.queue},
          {"topic", x.topic},
          {"customer", encode(x.customer)},
          {"bot", x.bot},
          {"priority", x.priority}};
}

json::object fields(const conversation_queued& x) {
  return {{"queue", x.queue},
          {"priority", x.priority},
          {"enqueued_at", x.enqueued_at},
          {"text", x.text},
          {"content", x.content}};
}

json::object fields(const offer_made& x) {
  json::array targets;
  for (const auto& t : x.targets)
    targets.push_back(json::object{{"offer", t.offer}, {"agent", t.agent}});
  return {{"targets", std::move(targets)},
          {"kind", to_string(x.kind)},
          {"expires_at", x.expires_at}};
}

json::object fields(const offer_ended& x) {
  return {
    {"offer", x.offer}, {"agent", x.agent}, {"reason", to_string(x.reason)}};
}

json::object fields(const conversation_assigned& x) {
  return {{"agent", x.agent}, {"offer", x.offer}};
}

json::object fields(const participant_joined& x) {
  return {{"who", encode(x.who)}, {"text", x.text}};
}

json::object fields(const participant_left& x) {
  return {{"who", encode(x.who)}, {"reason", x.reason}, {"text", x.text}};
}

json::object fields(const message_posted& x) {
  return {{"from", encode(x.from)},
          {"text", x.text},
          {"visibility", to_string(x.visibility)},
          {"client_msg_id", x.client_msg_id}};
}

json::object fields(const no_agents& x) {
  return {{"text", x.text}};
}

json::object fields(const conversation_closed& x) {
  return {{"by", x.by}, {"reason", x.reason}};
}

json::object fields(const transfer_requested& x) {
  return {{"transfer", x.transfer},
          {"kind", to_string(x.kind)},
          {"mode", to_string(x.mode)},
          {"from", encode(x.from)},
          {"leaving", x.leaving},
          {"to_queue", x.to_queue},
          {"to_agent", x.to_agent},
          {"topic", x.topic},
          {"note", x.note},
          {"needs_consent", x.needs_consent}};
}

json::object fields(const consent_requested& x) {
  return {{"transfer", x.transfer}, {"text", x.text}};
}

json::object fields(const consent_given& x) {
  return {{"transfer", x.transfer}};
}

json::object fields(const transfer_ended& x) {
  return {{"transfer", x.transfer},   {"kind", to_string(x.kind)},
          {"requester", x.requester}, {"result", to_string(x.result)},
          {"reason", x.reason},       {"text", x.text}};
}

json::object fields(const agent_absent& x) {
  return {{"agent", encode(x.agent)}, {"text", x.text}};
}

json::object fields(const handed_off& x) {
  return {{"bot", x.bot}, {"topic", x.topic}, {"summary", x.summary}};
}

json::object fields(const returned_to_bot& x) {
  return {{"bot", x.bot}, {"by", x.by}};
}

json::object fields(const conversation_reopened& x) {
  return {{"by", encode(x.by)}};
}

json::object fields(const routing_explained& x) {
  return {{"decision", to_string(x.decision)},
          {"queue", x.queue},
          {"why", encode_reasons(x.why)}};
}

// -- decoding ---------------------------------------------------------------

[[noreturn]] void bad(std::string_view key, std::string_view why) {
  throw codec_error("stored event field \"" + std::string(key)
                    + "\": " + std::string(why));
}

void read(const json::object& o, std::string_view key, std::string& out) {
  if (const auto* v = o.if_contains(key)) {
    if (!v->is_string())
      bad(key, "expected a string");
    out = std::string(v->get_string());
  }
}

template <class Int>
void read_int(const json::object& o, std::string_view key, Int& out) {
  if (const auto* v = o.if_contains(key)) {
    if (v->is_int64())
      out = static_cast<Int>(v->get_int64());
    else if (v->is_uint64())
      out = static_cast<Int>(v->get_uint64());
    else
      bad(key, "expected an integer");
  }
}

template <class Enum, class Parse>
void read_enum(const json::object& o, std::string_view key, Enum& out,
               Parse parse) {
  std::string word;
  if (o.if_contains(key) == nullptr)
    return;
  read(o, key, word);
  auto e = parse(word);
  if (!e)
    bad(key, "unknown value \"" + word + "\"");
  out = *e;
}

const json::object* child(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr)
    return nullptr;
  if (!v->is_object())
    bad(key, "expected an object");
  return &v->get_object();
}

void read(const json::object& o, std::string_view key, participant& out) {
  const auto* p = child(o, key);
  if (p == nullptr)
    return;
  read(*p, "id", out.id);
  read_enum(*p, "role", out.role, parse_role);
  read(*p, "name", out.name);
}

void decode(const json::object& o, conversation_created& x) {
  read_enum(o, "channel", x.channel, parse_channel);
  read(o, "queue", x.queue);
  read(o, "topic", x.topic);
  read(o, "customer", x.customer);
  read(o, "bot", x.bot);
  read_int(o, "priority", x.priority);
}

void decode(const json::object& o, conversation_queued& x) {
  read(o, "queue", x.queue);
  read_int(o, "priority", x.priority);
  read_int(o, "enqueued_at", x.enqueued_at);
  read(o, "text", x.text);
  read(o, "content", x.content);
}

/// Calls `f` with each object of the array at `key`, if there is one.
template <class F>
void for_each_object(const json::object& o, std::string_view key, F f) {
  const auto* v = o.if_contains(key);
  if (v == nullptr)
    return;
  if (!v->is_array())
    bad(key, "expected an array");
  for (const auto& item : v->get_array()) {
    if (!item.is_object())
      bad(key, "expected objects");
    f(item.get_object());
  }
}

void decode(const json::object& o, offer_made& x) {
  for_each_object(o, "targets", [&x](const json::object& t) {
    offer_target target;
    read(t, "offer", target.offer);
    read(t, "agent", target.agent);
    x.targets.push_back(std::move(target));
  });
  read_enum(o, "kind", x.kind, parse_offer_kind);
  read_int(o, "expires_at", x.expires_at);
}

void decode(const json::object& o, offer_ended& x) {
  read(o, "offer", x.offer);
  read(o, "agent", x.agent);
  read_enum(o, "reason", x.reason, parse_offer_end);
}

void decode(const json::object& o, conversation_assigned& x) {
  read(o, "agent", x.agent);
  read(o, "offer", x.offer);
}

void decode(const json::object& o, participant_joined& x) {
  read(o, "who", x.who);
  read(o, "text", x.text);
}

void decode(const json::object& o, participant_left& x) {
  read(o, "who", x.who);
  read(o, "reason", x.reason);
  read(o, "text", x.text);
}

void decode(const json::object& o, message_posted& x) {
  read(o, "from", x.from);
  read(o, "text", x.text);
  read_enum(o, "visibility", x.visibility, parse_visibility);
  read(o, "client_msg_id", x.client_msg_id);
}

void decode(const json::object& o, no_agents& x) {
  read(o, "text", x.text);
}

void decode(const json::object& o, conversation_closed& x) {
  read(o, "by", x.by);
  read(o, "reason", x.reason);
}

void read(const json::object& o, std::string_view key, bool& out) {
  if (const auto* v = o.if_contains(key)) {
    if (!v->is_bool())
      bad(key, "expected true or false");
    out = v->get_bool();
  }
}

void decode(const json::object& o, transfer_requested& x) {
  read(o, "transfer", x.transfer);
  read_enum(o, "kind", x.kind, parse_offer_kind);
  read_enum(o, "mode", x.mode, parse_transfer_mode);
  read(o, "from", x.from);
  read(o, "leaving", x.leaving);
  read(o, "to_queue", x.to_queue);
  read(o, "to_agent", x.to_agent);
  read(o, "topic", x.topic);
  read(o, "note", x.note);
  read(o, "needs_consent", x.needs_consent);
}

void decode(const json::object& o, consent_requested& x) {
  read(o, "transfer", x.transfer);
  read(o, "text", x.text);
}

void decode(const json::object& o, consent_given& x) {
  read(o, "transfer", x.transfer);
}

void decode(const json::object& o, transfer_ended& x) {
  read(o, "transfer", x.transfer);
  read_enum(o, "kind", x.kind, parse_offer_kind);
  read(o, "requester", x.requester);
  read_enum(o, "result", x.result, parse_transfer_result);
  read(o, "reason", x.reason);
  read(o, "text", x.text);
}

void decode(const json::object& o, agent_absent& x) {
  read(o, "agent", x.agent);
  read(o, "text", x.text);
}

void decode(const json::object& o, handed_off& x) {
  read(o, "bot", x.bot);
  read(o, "topic", x.topic);
  read(o, "summary", x.summary);
}

void decode(const json::object& o, returned_to_bot& x) {
  read(o, "bot", x.bot);
  read(o, "by", x.by);
}

void decode(const json::object& o, conversation_reopened& x) {
  read(o, "by", x.by);
}

void decode(const json::object& o, routing_reasons& x) {
  read_enum(o, "strategy", x.strategy, parse_strategy);
  read(o, "topic", x.topic);
  read(o, "restricted", x.restricted);
  read_int(o, "eligible", x.eligible);
  for_each_object(o, "ranked", [&x](const json::object& r) {
    ranked_agent a;
    read(r, "agent", a.agent);
    read_int(r, "idle_since", a.idle_since);
    read_int(r, "load", a.load);
    read_int(r, "capacity", a.capacity);
    read(r, "topic_match", a.topic_match);
    x.ranked.push_back(std::move(a));
  });
  for_each_object(o, "passed", [&x](const json::object& p) {
    passed_agent a;
    read(p, "agent", a.agent);
    read_enum(p, "reason", a.reason, parse_pass_reason);
    x.passed.push_back(std::move(a));
  });
  if (const auto* counts = child(o, "passed_counts"))
    for (const auto& [key, value] : *counts) {
      auto reason = parse_pass_reason(key);
      if (!reason || !value.is_int64())
        bad("passed_counts", "expected counts by reason");
      x.passed_counts.push_back(
        {*reason, static_cast<std::int32_t>(value.get_int64())});
    }
}

void decode(const json::object& o, routing_explained& x) {
  read_enum(o, "decision", x.decision, parse_routing_decision);
  read(o, "queue", x.queue);
  if (const auto* why = child(o, "why"))
    decode(*why, x.why);
}

/// Tries each alternative of the variant in turn: the one whose name is
/// `type` is decoded. Every alternative needs a `decode` overload.
template <std::size_t I = 0>
event_body decode_as(std::string_view type, const json::object& o) {
  if constexpr (I == std::variant_size_v<event_body>) {
    throw codec_error("unknown stored event type \"" + std::string(type)
                      + "\"");
  } else {
    using alternative = std::variant_alternative_t<I, event_body>;
    alternative x;
    if (stored_name(x) == type) {
      decode(o, x);
      return event_body{std::in_place_index<I>, std::move(x)};
    }
    return decode_as<I + 1>(type, o);
  }
}

} // namespace

json::object encode_reasons(const routing_reasons& x) {
  json::array ranked;
  for (const auto& a : x.ranked)
    ranked.push_back(json::object{{"agent", a.agent},
                                  {"idle_since", a.idle_since},
                                  {"load", a.load},
                                  {"capacity", a.capacity},
                                  {"topic_match", a.topic_match}});
  json::array passed;
  for (const auto& a : x.passed)
    passed.push_back(
      json::object{{"agent", a.agent}, {"reason", to_string(a.reason)}});
  json::object counts;
  for (const auto& c : x.passed_counts)
    counts[to_string(c.reason)] = c.count;
  return {{"strategy", to_string(x.strategy)}, {"topic", x.topic},
          {"restricted", x.restricted},        {"eligible", x.eligible},
          {"ranked", std::move(ranked)},       {"passed", std::move(passed)},
          {"passed_counts", std::move(counts)}};
}

std::string_view stored_type(const event_body& body) {
  return std::visit([](const auto& x) { return stored_name(x); }, body);
}

json::object encode_body(const event_body& body) {
  return std::visit([](const auto& x) { return fields(x); }, body);
}

event_body decode_body(std::string_view type, const json::object& o) {
  return decode_as(type, o);
}

std::string encode_body_text(const event_body& body) {
  return json::serialize(encode_body(body));
}

event_body decode_body_text(std::string_view type, std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object())
    throw codec_error("stored event of type \"" + std::string(type)
                      + "\" is not a JSON object");
  return decode_body(type, v.get_object());
}

json::object encode_event(const event& e) {
  json::object out;
  out["seq"] = e.seq;
  out["ts"] = e.ts;
  out["type"] = event_name(e.body);
  for (auto& [key, value] : encode_body(e.body))
    out[key] = value;
  return out;
}

} // namespace baton::engine::storage
