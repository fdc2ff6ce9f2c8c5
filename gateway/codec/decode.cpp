#include "gateway/codec/decode.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "gateway/codec/read.hpp"
#include "gateway/codec/scan.hpp"

namespace baton::gateway {
namespace {

using detail::field_reader;
using detail::key;

constexpr std::string_view roles = "customer, agent, supervisor, bot, service";
constexpr std::string_view channels
  = "web, whatsapp, facebook, sms, email, other";
constexpr std::string_view statuses = "ready, not_ready, offline";
constexpr std::string_view states = "bot, queued, offered, assigned, closed";

/// engine/types.hpp has no parse for states: the names come from to_string.
std::optional<engine::conversation_state>
parse_state(std::string_view s) noexcept {
  using engine::conversation_state;
  for (auto st : {conversation_state::bot, conversation_state::queued,
                  conversation_state::offered, conversation_state::assigned,
                  conversation_state::closed})
    if (engine::to_string(st) == s)
      return st;
  return std::nullopt;
}

// -- verbs
// ---------------------------------------------------------------------

void hello(field_reader& r, client_frame& f) {
  hello_request h;
  h.role = r.enumeration(key::role, engine::parse_role, roles, true)
             .value_or(engine::role::customer);
  h.user = r.optional_id(key::user);
  h.token = r.optional_text(key::token, limits::max_token_bytes);
  h.name = r.optional_text(key::name, limits::max_short_text_bytes);
  if (r.failed())
    return;
  // Only a customer may come without credentials (anonymous, when allowed);
  // the session decides whether it is allowed.
  if (h.user.empty() && h.role != engine::role::customer)
    r.fail("missing field 'user'");
  else if (h.user.empty() != h.token.empty())
    r.fail(h.user.empty() ? "'token' is given without 'user'"
                          : "missing field 'token'");
  f.body = std::move(h);
}

void refresh(field_reader& r, client_frame& f) {
  refresh_request q;
  q.token = r.text(key::token, limits::max_token_bytes);
  f.body = std::move(q);
}

void start(field_reader& r, client_frame& f) {
  actors::start_conversation s;
  s.channel = r.enumeration(key::channel, engine::parse_channel, channels,
                            false)
                .value_or(engine::channel::web);
  s.queue = r.optional_id(key::queue);
  s.topic = r.optional_id(key::topic);
  s.text = r.optional_text(key::text);
  s.customer_name = r.attributes_name(limits::max_short_text_bytes);
  f.display_name = s.customer_name;
  s.customer = r.optional_id(key::customer);
  s.agent = r.optional_id(key::agent);
  f.body = actors::request{std::move(s)};
}

void send(field_reader& r, client_frame& f) {
  actors::send_message m;
  m.conversation = r.id(key::conversation);
  m.text = r.text(key::text);
  m.client_msg_id = r.optional_id(key::client_msg_id);
  f.body = actors::request{std::move(m)};
}

void whisper(field_reader& r, client_frame& f) {
  actors::send_whisper w;
  w.conversation = r.id(key::conversation);
  w.text = r.text(key::text);
  f.body = actors::request{std::move(w)};
}

void close(field_reader& r, client_frame& f) {
  actors::close_conversation c;
  c.conversation = r.id(key::conversation);
  c.wrap_up = r.optional_id(key::wrap_up);
  f.body = actors::request{std::move(c)};
}

void status(field_reader& r, client_frame& f) {
  actors::set_agent_status s;
  s.status = r.enumeration(key::status, engine::parse_agent_status, statuses,
                           true)
               .value_or(engine::agent_status::ready);
  s.reason = r.optional_text(key::reason, limits::max_short_text_bytes);
  f.body = actors::request{std::move(s)};
}

void accept(field_reader& r, client_frame& f) {
  f.body = actors::request{actors::accept_offer{r.id(key::offer)}};
}

void reject(field_reader& r, client_frame& f) {
  actors::reject_offer o;
  o.offer = r.id(key::offer);
  o.reason = r.optional_text(key::reason, limits::max_short_text_bytes);
  f.body = actors::request{std::move(o)};
}

void waitlist(field_reader& r, client_frame& f) {
  actors::list_waiting w;
  w.queue = r.optional_id(key::queue);
  w.limit = r.bounded(key::limit, 1, limits::max_waitlist_limit,
                      limits::max_waitlist_limit);
  f.body = actors::request{std::move(w)};
}

void pick(field_reader& r, client_frame& f) {
  f.body = actors::request{actors::pick_waiting{r.id(key::conversation)}};
}

void typing(field_reader& r, client_frame& f) {
  f.body = actors::request{actors::send_typing{r.id(key::conversation)}};
}

void list(field_reader& r, client_frame& f) {
  actors::list_conversations l;
  l.state = r.enumeration(key::state, parse_state, states, false);
  f.body = actors::request{l};
}

void history(field_reader& r, client_frame& f) {
  actors::conversation_history h;
  h.conversation = r.id(key::conversation);
  h.after_seq = r.optional_seq(key::after_seq);
  h.before_seq = r.optional_seq(key::before_seq);
  h.limit = r.bounded(key::limit, 1, limits::max_history_limit,
                      limits::default_history_limit);
  if (h.after_seq && h.before_seq)
    r.fail("'after_seq' and 'before_seq' cannot be used together");
  f.body = actors::request{std::move(h)};
}

void explain(field_reader& r, client_frame& f) {
  actors::explain_conversation x;
  x.conversation = r.id(key::conversation);
  x.after_seq = r.optional_seq(key::after_seq);
  f.body = actors::request{std::move(x)};
}

void queues(field_reader&, client_frame& f) {
  f.body = actors::request{actors::list_queues{}};
}

void agents(field_reader& r, client_frame& f) {
  actors::list_agents a;
  a.queue = r.optional_id(key::queue);
  a.after_agent = r.optional_id(key::after_agent);
  a.limit = r.bounded(key::limit, 1, limits::max_agent_list_limit,
                      limits::max_agent_list_limit);
  f.body = actors::request{std::move(a)};
}

constexpr std::string_view modes = "cold, warm";

/// `to_queue` or `to_agent`: exactly one.
void target(field_reader& r, std::string& to_queue, std::string& to_agent) {
  to_queue = r.optional_id(key::to_queue);
  to_agent = r.optional_id(key::to_agent);
  if (!r.failed() && to_queue.empty() == to_agent.empty())
    r.fail("exactly one of 'to_queue' and 'to_agent' is needed");
}

void transfer(field_reader& r, client_frame& f) {
  actors::request_transfer t;
  t.conversation = r.id(key::conversation);
  target(r, t.to_queue, t.to_agent);
  t.topic = r.optional_id(key::topic);
  t.note = r.optional_text(key::note, limits::max_note_bytes);
  t.mode = r.enumeration(key::mode, engine::parse_transfer_mode, modes, false)
             .value_or(engine::transfer_mode::cold);
  f.body = actors::request{std::move(t)};
}

void conference(field_reader& r, client_frame& f) {
  actors::request_transfer t;
  t.kind = engine::offer_kind::conference;
  t.conversation = r.id(key::conversation);
  target(r, t.to_queue, t.to_agent);
  t.note = r.optional_text(key::note, limits::max_note_bytes);
  f.body = actors::request{std::move(t)};
}

void consent(field_reader& r, client_frame& f) {
  actors::answer_consent c;
  c.conversation = r.id(key::conversation);
  c.transfer = r.id(key::transfer);
  c.accept = r.flag(key::accept);
  f.body = actors::request{std::move(c)};
}

void leave(field_reader& r, client_frame& f) {
  f.body = actors::request{actors::leave_conversation{r.id(key::conversation)}};
}

void takeover(field_reader& r, client_frame& f) {
  actors::take_over t;
  t.conversation = r.id(key::conversation);
  t.text = r.optional_text(key::text);
  f.body = actors::request{std::move(t)};
}

void assign(field_reader& r, client_frame& f) {
  actors::assign_conversation a;
  a.conversation = r.id(key::conversation);
  a.agent = r.id(key::agent);
  f.body = actors::request{std::move(a)};
}

void unassign(field_reader& r, client_frame& f) {
  actors::unassign_conversation u;
  u.conversation = r.id(key::conversation);
  target(r, u.to_queue, u.to_agent);
  u.topic = r.id(key::topic);
  u.note = r.optional_text(key::note, limits::max_note_bytes);
  f.body = actors::request{std::move(u)};
}

void monitor(field_reader& r, client_frame& f) {
  f.body
    = actors::request{actors::monitor_conversation{r.id(key::conversation)}};
}

void resume(field_reader& r, client_frame& f) {
  f.body
    = actors::request{actors::resume_conversation{r.id(key::conversation)}};
}

void handoff(field_reader& r, client_frame& f) {
  actors::hand_off h;
  h.conversation = r.id(key::conversation);
  h.queue = r.optional_id(key::queue);
  h.topic = r.optional_id(key::topic);
  h.summary = r.optional_text(key::summary, limits::max_note_bytes);
  f.body = actors::request{std::move(h)};
}

void request_other(field_reader& r, client_frame& f) {
  f.body = actors::request{actors::request_other{r.id(key::conversation)}};
}

void subscribe(field_reader& r, client_frame& f) {
  f.body = actors::request{actors::supervise_subscribe{r.queue_ids()}};
}

/// Every verb of the protocol; those without a builder are not supported
/// yet (actors::request cannot express them).
struct verb {
  std::string_view name;
  void (*build)(field_reader&, client_frame&);
};

constexpr std::array verbs{
  verb{"hello", hello},
  verb{"auth.refresh", refresh},
  verb{"conversation.start", start},
  verb{"message.send", send},
  verb{"conversation.close", close},
  verb{"agent.status", status},
  verb{"offer.accept", accept},
  verb{"offer.reject", reject},
  verb{"waitlist.list", waitlist},
  verb{"waitlist.pick", pick},
  verb{"typing", typing},
  verb{"conversation.list", list},
  verb{"conversation.history", history},
  verb{"conversation.explain", explain},
  verb{"queue.list", queues},
  verb{"agent.list", agents},
  verb{"transfer.request", transfer},
  verb{"transfer.consent", consent},
  verb{"conference.request", conference},
  verb{"whisper.send", whisper},
  verb{"conversation.leave", leave},
  verb{"conversation.takeover", takeover},
  verb{"conversation.assign", assign},
  verb{"conversation.unassign", unassign},
  verb{"conversation.monitor", monitor},
  verb{"conversation.resume", resume},
  verb{"conversation.handoff", handoff},
  verb{"conversation.request_other", request_other},
  verb{"supervise.subscribe", subscribe},
};

const verb* find_verb(std::string_view name) noexcept {
  auto i = std::find_if(verbs.begin(), verbs.end(),
                        [&](const verb& v) { return v.name == name; });
  return i == verbs.end() ? nullptr : &*i;
}

/// Code points, not bytes: the frame is valid UTF-8 by now.
std::size_t utf8_length(std::string_view s) noexcept {
  return std::size_t(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

/// The request id, or why it is unusable (then no `re`).
struct request_id {
  std::optional<std::string> id;
  bool bad = false;
};

request_id read_id(const detail::slot& s) {
  using kind = detail::slot::kind;
  if (s.k == kind::absent || s.k == kind::null)
    return {};
  if (s.k != kind::string || utf8_length(s.str) > limits::max_request_id_chars)
    return {std::nullopt, true};
  return {std::string(s.str), false};
}

constexpr std::string_view bad_id_message
  = "'id' must be a string of at most 64 characters";

} // namespace

struct frame_decoder::impl {
  detail::scanner scanner;
  std::unique_ptr<char[]> buffer;
  std::size_t capacity = 0;

  decode_result run(const char* data, std::size_t size, std::size_t cap);
};

decode_result frame_decoder::impl::run(const char* data, std::size_t size,
                                       std::size_t cap) {
  // On the stack, not in the session: 1.5 KiB an idle session need not keep.
  detail::frame_fields fields;
  auto fault = scanner.scan(data, size, cap, fields);
  auto rid = read_id(fields[key::id]);
  if (fault)
    return decode_error{std::move(rid.id), std::move(*fault)};
  if (rid.bad)
    return decode_error{std::nullopt, std::string(bad_id_message)};

  const auto& type = fields[key::type];
  if (type.k == detail::slot::kind::absent)
    return decode_error{std::move(rid.id), "missing field 'type'"};
  if (type.k != detail::slot::kind::string)
    return decode_error{std::move(rid.id),
                        "'type' must be a string, not "
                          + std::string(detail::kind_name(type.k))};
  const verb* v = find_verb(type.str);
  if (v == nullptr)
    return decode_error{std::move(rid.id),
                        "unknown type " + detail::quoted(type.str)};
  if (v->build == nullptr)
    return unsupported_verb{std::move(rid.id), v->name, v->name};

  client_frame frame;
  frame.type = v->name;
  field_reader r{fields};
  v->build(r, frame);
  if (!r.unsupported().empty())
    return unsupported_verb{std::move(rid.id), v->name, r.unsupported()};
  if (r.failed())
    return decode_error{std::move(rid.id), std::move(r.error())};
  frame.id = std::move(rid.id);
  return frame;
}

frame_decoder::frame_decoder() : impl_(std::make_unique<impl>()) {
}
frame_decoder::~frame_decoder() = default;
frame_decoder::frame_decoder(frame_decoder&&) noexcept = default;
frame_decoder& frame_decoder::operator=(frame_decoder&&) noexcept = default;

decode_result frame_decoder::decode(std::string_view text) {
  auto& d = *impl_;
  std::size_t need = text.size() + padding;
  if (d.capacity < need) {
    std::size_t cap = std::max({need, 2 * d.capacity, std::size_t{1024}});
    d.buffer = std::make_unique<char[]>(cap);
    d.capacity = cap;
  }
  if (!text.empty())
    std::memcpy(d.buffer.get(), text.data(), text.size());
  std::memset(d.buffer.get() + text.size(), 0, padding);
  return d.run(d.buffer.get(), text.size(), d.capacity);
}

decode_result frame_decoder::decode(std::string_view text,
                                    std::size_t capacity) {
  if (capacity < text.size() || capacity - text.size() < padding)
    return decode(text);
  return impl_->run(text.data(), text.size(), capacity);
}

std::size_t frame_decoder::buffer_capacity() const noexcept {
  return impl_->capacity;
}

} // namespace baton::gateway
