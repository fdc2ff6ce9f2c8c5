// libFuzzer target for gateway::frame_decoder (run it with fuzz/run.sh).
//
// Beyond "no crash, no sanitizer report", it checks the decoder against an
// independent JSON parser (Boost.JSON):
// - a frame the decoder accepts is valid JSON, an object, and the fields it
//   decoded hold the same strings Boost.JSON reads;
// - a frame Boost.JSON reads as a shallow object is never called "not JSON";
// - every result respects the protocol's rules (ids, limit, seq bounds).
// The encoder is not linked: engine/conversation/events.cpp needs aggregate
// CTAD for engine::overloaded, which clang 14 lacks.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <type_traits>

// Boost.JSON's sources, as baton_json's json/boost_json.cpp does; only this
// target's own sources are linked here.
#include <boost/json/src.hpp>

#include "fuzz/check.hpp"
#include "gateway/codec/decode.hpp"

namespace {

namespace json = boost::json;
using namespace baton;
using namespace baton::gateway;

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool id_ok(const std::string& id) {
  return engine::is_valid_id(id);
}
bool id_or_empty(const std::string& id) {
  return id.empty() || engine::is_valid_id(id);
}

/// Boost.JSON's reading of the frame, or null when it is not valid JSON.
json::value reference(std::string_view text, bool& valid) {
  json::parse_options opt;
  opt.max_depth = 100000;
  json::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec,
                              {}, opt);
  valid = !ec;
  return v;
}

std::string_view field(const json::object& o, std::string_view key) {
  auto it = o.find(json::string_view(key.data(), key.size()));
  if (it == o.end() || !it->value().is_string())
    return {};
  const auto& s = it->value().get_string();
  return {s.data(), s.size()};
}

int depth_of(const json::value& v) {
  if (v.is_object()) {
    int d = 0;
    for (const auto& kv : v.get_object())
      d = std::max(d, depth_of(kv.value()));
    return d + 1;
  }
  if (v.is_array()) {
    int d = 0;
    for (const auto& x : v.get_array())
      d = std::max(d, depth_of(x));
    return d + 1;
  }
  return 0;
}

void check_request(const actors::request& req, const json::object& ref,
                   std::string_view in) {
  std::visit(
    [&](const auto& r) {
      using T = std::decay_t<decltype(r)>;
      if constexpr (std::is_same_v<T, actors::start_conversation>) {
        CHECK(id_or_empty(r.queue) && id_or_empty(r.topic), in);
        CHECK(r.text == field(ref, "text"), in);
      } else if constexpr (std::is_same_v<T, actors::send_message>) {
        CHECK(id_ok(r.conversation) && !r.text.empty(), in);
        CHECK(id_or_empty(r.client_msg_id), in);
        CHECK(r.conversation == field(ref, "conversation"), in);
        CHECK(r.text == field(ref, "text"), in);
      } else if constexpr (std::is_same_v<T, actors::close_conversation>) {
        CHECK(id_ok(r.conversation) && id_or_empty(r.wrap_up), in);
      } else if constexpr (std::is_same_v<T, actors::set_agent_status>) {
        CHECK(r.reason.size() <= limits::max_short_text_bytes, in);
      } else if constexpr (
        std::is_same_v<
          T, actors::accept_offer> || std::is_same_v<T, actors::reject_offer>) {
        CHECK(id_ok(r.offer), in);
      } else if constexpr (
        std::is_same_v<
          T, actors::list_waiting> || std::is_same_v<T, actors::list_agents>) {
        CHECK(id_or_empty(r.queue), in);
        CHECK(r.limit >= 1 && r.limit <= 500, in);
      } else if constexpr (
        std::is_same_v<
          T, actors::pick_waiting> || std::is_same_v<T, actors::send_typing>) {
        CHECK(id_ok(r.conversation), in);
      } else if constexpr (std::is_same_v<T, actors::explain_conversation>) {
        CHECK(id_ok(r.conversation), in);
      } else if constexpr (std::is_same_v<T, actors::conversation_history>) {
        CHECK(id_ok(r.conversation), in);
        CHECK(r.limit >= 1 && r.limit <= 500, in);
        CHECK(!(r.after_seq && r.before_seq), in);
      }
    },
    req);
}

void check_error(const decode_error& e, std::string_view in) {
  CHECK(!e.message.empty(), in);
  CHECK(!e.id || utf8_length(*e.id) <= 64, in);
}

/// The decoder's messages for a frame that is not a JSON object at all; the
/// others (depth, numbers, escapes, fields) start differently.
bool called_not_json(const std::string& message) {
  for (std::string_view prefix :
       {"frame is not valid", "empty frame", "frame must be a JSON object",
        "unexpected data after"})
    if (message.rfind(prefix, 0) == 0)
      return true;
  return false;
}

void check(const decode_result& r, std::string_view in) {
  bool valid = false;
  json::value ref = reference(in, valid);
  if (const auto* f = std::get_if<client_frame>(&r)) {
    CHECK(valid && ref.is_object(), in);
    const auto& o = ref.get_object();
    CHECK(f->type == field(o, "type"), in);
    CHECK(!f->id || *f->id == field(o, "id"), in);
    CHECK(!f->id || utf8_length(*f->id) <= 64, in);
    if (const auto* req = std::get_if<actors::request>(&f->body))
      check_request(*req, o, in);
    else if (const auto* q = std::get_if<refresh_request>(&f->body))
      CHECK(!q->token.empty() && q->token == field(o, "token"), in);
    else
      CHECK(std::get<hello_request>(f->body).user.empty()
              == std::get<hello_request>(f->body).token.empty(),
            in);
    return;
  }
  if (const auto* u = std::get_if<unsupported_verb>(&r)) {
    CHECK(valid && ref.is_object(), in);
    CHECK(u->type == field(ref.get_object(), "type"), in);
    CHECK(!u->what.empty(), in);
    return;
  }
  const auto& e = std::get<decode_error>(r);
  check_error(e, in);
  // Valid, shallow JSON objects are never refused as "not JSON". (Boost.JSON
  // reads 1e400 and lone surrogates that the decoder refuses with other
  // messages; those are allowed.)
  if (valid && ref.is_object() && depth_of(ref) <= limits::max_nesting
      && called_not_json(e.message))
    fail(("refused valid JSON: " + e.message).c_str(), in);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  // One decoder for the whole run, as one session reuses its own.
  static frame_decoder decoder;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = decoder.decode(text);
  check(r, text);

  // The in-place path: same input followed by padding that is not zero.
  // simdjson may word an error differently then (it peeks at the padding on
  // some malformed input), but must accept and refuse the same frames.
  std::string padded(text);
  padded.append(frame_decoder::padding, '}');
  auto in_place = decoder.decode(std::string_view(padded.data(), size),
                                 padded.size());
  CHECK(in_place.index() == r.index(), text);
  return 0;
}
