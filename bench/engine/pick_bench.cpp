// The engine's hot paths, without actors: choosing an agent, keeping the
// waiting list, and deciding a conversation's events.
//
//   bench_engine --benchmark_min_time=0.2
//
// Every pick benchmark runs the loop a queue actor runs per offer: pick, then
// note_offer (the agent goes to the back), then the agent's own update comes
// back as an upsert. Agents have room to spare, so none drops out.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/conversation/decide.hpp"
#include "engine/routing/agent_pool.hpp"
#include "engine/routing/waiting_list.hpp"

namespace baton::engine {
namespace {

/// The topic half of the agents list: `skills` prefers them.
const std::string billing = "billing";

std::string agent_id(std::int64_t i) {
  return "agent-" + std::to_string(1000000 + i);
}

/// `n` ready agents with room for many conversations, idle since distinct
/// times so that the order is total.
agent_pool make_pool(strategy s, std::int64_t n) {
  agent_pool pool(s, 42);
  for (std::int64_t i = 0; i < n; ++i) {
    agent_view v;
    v.id = agent_id(i);
    v.status = agent_status::ready;
    v.connected = true;
    v.capacity = 1 << 30;
    v.idle_since = i;
    if (i % 2 == 0)
      v.topics = {billing};
    pool.upsert(std::move(v));
  }
  return pool;
}

/// The agent's update after an offer: it reports the view it now has.
void echo_update(agent_pool& pool, const std::string& agent) {
  agent_view v = *pool.find(agent);
  pool.upsert(std::move(v));
}

/// pick → note_offer → upsert, as the queue actor and the agent do per offer.
void BM_pick(benchmark::State& state, strategy s) {
  auto n = state.range(0);
  auto pool = make_pool(s, n);
  // As in the queue actor: a skip set per conversation, empty on a first try.
  std::unordered_set<std::string> tried;
  auto skip = [&tried](const std::string& a) { return tried.count(a) > 0; };
  const std::string& topic = s == strategy::skills ? billing : std::string{};
  time_ms now = n;
  for (auto _ : state) {
    auto id = pool.pick(topic, false, skip);
    if (!id) {
      state.SkipWithError("no agent picked");
      break;
    }
    pool.note_offer(*id, ++now);
    echo_update(pool, *id);
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["agents"] = static_cast<double>(n);
}

/// ring_all: every eligible agent best first, here at most `limit`, and each
/// one offered and updated.
void BM_ring_all(benchmark::State& state) {
  auto n = state.range(0);
  auto limit = static_cast<std::size_t>(state.range(1));
  auto pool = make_pool(strategy::ring_all, n);
  std::unordered_set<std::string> tried;
  auto skip = [&tried](const std::string& a) { return tried.count(a) > 0; };
  time_ms now = n;
  std::size_t offered = 0;
  for (auto _ : state) {
    auto ids = pool.pick_all({}, false, skip, limit);
    for (const auto& id : ids) {
      pool.note_offer(id, ++now);
      echo_update(pool, id);
    }
    offered += ids.size();
    benchmark::DoNotOptimize(ids);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["agents"] = static_cast<double>(n);
  state.counters["offers_per_round"]
    = static_cast<double>(offered) / static_cast<double>(state.iterations());
}

/// pick_all alone with no limit: what the queue actor calls for ring_all.
void BM_pick_all_unlimited(benchmark::State& state) {
  auto n = state.range(0);
  auto pool = make_pool(strategy::ring_all, n);
  for (auto _ : state) {
    auto ids = pool.pick_all({}, false);
    benchmark::DoNotOptimize(ids);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["agents"] = static_cast<double>(n);
}

/// longest_idle at 100k agents when the first `tried` agents in order have
/// already had their turn: a pick walks past each of them.
void BM_pick_with_tried(benchmark::State& state) {
  auto n = state.range(0);
  auto t = state.range(1);
  auto pool = make_pool(strategy::longest_idle, n);
  std::unordered_set<std::string> tried;
  for (std::int64_t i = 0; i < t; ++i)
    tried.insert(agent_id(i));
  auto skip = [&tried](const std::string& a) { return tried.count(a) > 0; };
  time_ms now = n;
  for (auto _ : state) {
    auto id = pool.pick({}, false, skip);
    pool.note_offer(*id, ++now);
    echo_update(pool, *id);
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["tried"] = static_cast<double>(t);
}

/// A steady waiting list of `n`: one conversation joins at the tail, the
/// oldest leaves, per iteration.
void BM_waiting_push_remove(benchmark::State& state) {
  auto n = state.range(0);
  std::vector<std::string> ids;
  ids.reserve(static_cast<std::size_t>(2 * n));
  for (std::int64_t i = 0; i < 2 * n; ++i)
    ids.push_back("c-01JDQ7ZK5T3M8A9B" + std::to_string(1000000 + i));
  waiting_list list;
  time_ms now = 0;
  for (std::int64_t i = 0; i < n; ++i)
    list.push({ids[static_cast<std::size_t>(i)], 0, ++now, {}});
  std::size_t head = 0;
  const auto ring = ids.size();
  for (auto _ : state) {
    list.push({ids[(head + static_cast<std::size_t>(n)) % ring],
               static_cast<std::int32_t>(head % 3),
               ++now,
               {}});
    benchmark::DoNotOptimize(list.remove(ids[head % ring]));
    ++head;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["entries"] = static_cast<double>(list.size());
}

/// One conversation's life through the deciders, as the conversation actor
/// drives it: start, offer, claim, one agent message, close.
void BM_conversation_lifecycle(benchmark::State& state) {
  start_request start;
  start.queue = "sales";
  start.customer = {"customer-1234", role::customer, "Carol"};
  start.first_text = "Hello, I have a question about my order.";
  start.welcome_text = "Thanks for waiting, an agent will be with you soon.";
  const participant agent{"agent-1000001", role::agent, "Alice"};
  const std::string offer = "o-01JDQ7ZK5T3M8A9B1000001";
  const config::texts texts;
  std::int64_t serial = 0;
  std::size_t events = 0;
  for (auto _ : state) {
    time_ms now = 1'700'000'000'000 + serial;
    conversation c("c-01JDQ7ZK5T3M8A9B" + std::to_string(++serial));
    auto d = decide_start(c, start, now);
    events += commit(c, std::move(d.events), now).size();
    d = decide_offer(c, {{offer, agent.id}}, offer_kind::new_, now + 20000);
    events += commit(c, std::move(d.events), now).size();
    d = decide_claim(c, offer, agent, "Alice has joined the conversation");
    events += commit(c, std::move(d.events), now).size();
    d = decide_message(c, agent, "Hi Carol, let me look that up.",
                       visibility::all, "m-1");
    events += commit(c, std::move(d.events), now).size();
    d = decide_close(c, start.customer, "resolved", texts);
    if (!d.ok()) {
      state.SkipWithError("close refused");
      break;
    }
    events += commit(c, std::move(d.events), now).size();
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["events_per_conv"] = static_cast<double>(events)
                                      / static_cast<double>(state.iterations());
}

/// The commonest request of an assigned conversation: a message with a
/// client id (kept for idempotency).
void BM_decide_message(benchmark::State& state) {
  start_request start;
  start.queue = "sales";
  start.customer = {"customer-1234", role::customer, "Carol"};
  const participant agent{"agent-1000001", role::agent, "Alice"};
  conversation c("c-01JDQ7ZK5T3M8A9B1000000");
  time_ms now = 1'700'000'000'000;
  commit(c, decide_start(c, start, now).events, now);
  commit(c, decide_offer(c, {{"o-1", agent.id}}, offer_kind::new_, now).events,
         now);
  commit(c, decide_claim(c, "o-1", agent, "joined").events, now);
  std::uint64_t n = 0;
  for (auto _ : state) {
    auto d = decide_message(c, start.customer, "Is it shipped yet?",
                            visibility::all, "m-" + std::to_string(++n));
    auto logged = commit(c, std::move(d.events), ++now);
    benchmark::DoNotOptimize(logged);
  }
  state.SetItemsProcessed(state.iterations());
}

void agent_counts(benchmark::internal::Benchmark* b) {
  b->ArgName("agents")->Arg(10)->Arg(1000)->Arg(100000);
}

BENCHMARK_CAPTURE(BM_pick, longest_idle, strategy::longest_idle)
  ->Apply(agent_counts);
BENCHMARK_CAPTURE(BM_pick, least_busy, strategy::least_busy)
  ->Apply(agent_counts);
BENCHMARK_CAPTURE(BM_pick, round_robin, strategy::round_robin)
  ->Apply(agent_counts);
BENCHMARK_CAPTURE(BM_pick, random, strategy::random)->Apply(agent_counts);
BENCHMARK_CAPTURE(BM_pick, skills, strategy::skills)->Apply(agent_counts);
BENCHMARK(BM_ring_all)
  ->ArgNames({"agents", "limit"})
  ->Args({10, 10})
  ->Args({1000, 10})
  ->Args({100000, 10});
BENCHMARK(BM_pick_all_unlimited)->Apply(agent_counts);
BENCHMARK(BM_pick_with_tried)
  ->ArgNames({"agents", "tried"})
  ->Args({100000, 0})
  ->Args({100000, 16})
  ->Args({100000, 1024});
BENCHMARK(BM_waiting_push_remove)->ArgName("entries")->Arg(1000)->Arg(100000);
BENCHMARK(BM_conversation_lifecycle);
BENCHMARK(BM_decide_message);

} // namespace
} // namespace baton::engine

BENCHMARK_MAIN();
