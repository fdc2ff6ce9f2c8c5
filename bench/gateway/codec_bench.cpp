// The wire codec alone: a client frame decoded into a typed request, and
// replies and events written out, per verb. No sockets, no actors.
//
//   bench_gateway --benchmark_min_time=0.2

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <variant>

#include "actors/api.hpp"
#include "gateway/codec/decode.hpp"
#include "gateway/codec/encode.hpp"

namespace baton::gateway {
namespace {

struct sample {
  const char* verb;
  const char* text;
};

/// Typical frames, as an agent desktop or a widget sends them.
constexpr sample frames[] = {
  {"hello",
   R"({"type":"hello","id":"1","role":"agent","user":"alice","token":"1767225600.9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","name":"Alice"})"},
  {"conversation.start",
   R"({"type":"conversation.start","id":"s1","channel":"web","queue":"general","text":"My order is late","attributes":{"name":"Carol","order":"A-1009"}})"},
  {"message.send",
   R"({"type":"message.send","id":"m1","conversation":"c-01HZX3K9Q2","text":"Let me check that for you.","client_msg_id":"a-77"})"},
  {"whisper.send",
   R"({"type":"whisper.send","id":"w1","conversation":"c-01HZX3K9Q2","text":"VIP customer"})"},
  {"offer.accept", R"({"type":"offer.accept","id":"3","offer":"o-5Q2"})"},
  {"agent.status",
   R"({"type":"agent.status","id":"2","status":"not_ready","reason":"lunch"})"},
  {"typing", R"({"type":"typing","conversation":"c-01HZX3K9Q2"})"},
  {"conversation.close",
   R"({"type":"conversation.close","id":"c","conversation":"c-01HZX3K9Q2","wrap_up":"resolved"})"},
  {"conversation.history",
   R"({"type":"conversation.history","id":"hi","conversation":"c-01HZX3K9Q2","after_seq":0,"limit":50})"},
  {"queue.list", R"({"type":"queue.list","id":"q"})"},
};

void BM_decode(benchmark::State& state) {
  const auto& s = frames[state.range(0)];
  std::string text = s.text;
  frame_decoder decoder;
  for (auto _ : state) {
    auto r = decoder.decode(text);
    benchmark::DoNotOptimize(r);
  }
  if (!std::holds_alternative<client_frame>(decoder.decode(text)))
    state.SkipWithError("the sample frame does not decode");
  state.SetLabel(s.verb);
  state.SetBytesProcessed(state.iterations()
                          * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_decode)->DenseRange(0, std::size(frames) - 1);

engine::participant alice() {
  return {"alice", engine::role::agent, "Alice"};
}

actors::notification event_of(engine::event_body body) {
  actors::notification n;
  n.conversation = "c-01HZX3K9Q2";
  n.body = engine::event{12, 1767225600123, std::move(body)};
  return n;
}

/// The events every route and message produce, and the offer.
actors::notification event_sample(std::int64_t i) {
  switch (i) {
    case 0:
      return event_of(engine::message_posted{alice(),
                                             "Let me check that for you.",
                                             engine::visibility::all, "a-77"});
    case 1:
      return event_of(engine::conversation_assigned{"alice", "o-5Q2"});
    case 2:
      return event_of(engine::participant_joined{
        alice(), "Alice has joined the conversation"});
    case 3:
      return event_of(engine::conversation_queued{
        "general", 0, 1767225600000,
        "Thanks, an agent will be with you shortly.", "My order is late"});
    default: {
      actors::notification n;
      n.conversation = "c-01HZX3K9Q2";
      actors::offer_notice o;
      o.offer = "o-5Q2";
      o.queue = "general";
      o.customer = {"v-3kd8", engine::role::customer, "Carol"};
      o.content = "My order is late";
      o.expires_at = 1767225620000;
      n.body = std::move(o);
      return n;
    }
  }
}

constexpr const char* event_names[] = {"message", "conversation.assigned",
                                       "participant.joined",
                                       "conversation.queued", "offer"};

void BM_encode_event(benchmark::State& state) {
  auto n = event_sample(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto frame = encode_event(n, audience::agent);
    bytes += frame ? frame->size() : 0;
    benchmark::DoNotOptimize(frame);
  }
  state.SetLabel(event_names[state.range(0)]);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_encode_event)->DenseRange(0, std::size(event_names) - 1);

/// The ok replies of the hot verbs.
void BM_encode_reply(benchmark::State& state) {
  static const std::pair<const char*, actors::reply> replies[] = {
    {"conversation.start", actors::opened{"c-01HZX3K9Q2"}},
    {"message.send", actors::appended{"c-01HZX3K9Q2", 12}},
    {"offer.accept", actors::opened{"c-01HZX3K9Q2"}},
    {"agent.status", actors::acknowledged{}},
  };
  const auto& [verb, r] = replies[state.range(0)];
  std::optional<std::string> re = "r17";
  for (auto _ : state) {
    auto out = encode_reply(re, r, audience::agent);
    benchmark::DoNotOptimize(out);
  }
  state.SetLabel(verb);
}
BENCHMARK(BM_encode_reply)->DenseRange(0, 3);

void BM_encode_error(benchmark::State& state) {
  std::optional<std::string> re = "x1";
  for (auto _ : state) {
    auto out = encode_error(re, engine::errc::invalid_state,
                            "the conversation is closed");
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_encode_error);

} // namespace
} // namespace baton::gateway

BENCHMARK_MAIN();
