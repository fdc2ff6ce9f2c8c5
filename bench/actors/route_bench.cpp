// Routing end to end on a real actor system, and a raw CAF round trip as the
// baseline.
//
//   bench_actors --benchmark_min_time=0.2
//
// A route: a customer's start_conversation goes in through routing_service;
// the queue offers it to an agent; that agent's sink accepts at once (it only
// submits, which is an anon_send); the customer's sink sees
// conversation.assigned. Latency is start submitted → assigned seen, taken
// with steady_clock in the benchmark; `window` caps the routes in flight.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "caf/all.hpp"

#include "actors/api.hpp"
#include "actors/scheduler.hpp"
#include "engine/config/config.hpp"
#include "engine/storage/memory_store.hpp"
#include "engine/storage/store.hpp"

namespace baton::actors {
namespace {

using clock_type = std::chrono::steady_clock;

/// Scheduler threads: the machine has two cores.
constexpr std::size_t scheduler_threads = 2;

double micros_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::micro>(clock_type::now() - t0)
    .count();
}

/// Counts arrivals down to zero and wakes the waiting thread: no sleeps.
class countdown {
public:
  void reset(std::int64_t n) {
    left_.store(n, std::memory_order_release);
  }
  void arrive() {
    if (left_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> guard(mutex_);
      cv_.notify_all();
    }
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock,
             [this] { return left_.load(std::memory_order_acquire) <= 0; });
  }

private:
  std::atomic<std::int64_t> left_{0};
  std::mutex mutex_;
  std::condition_variable cv_;
};

/// CPU time of the whole process (every worker, the benchmark's thread and
/// the kernel on their behalf), in microseconds. Routes per second on two
/// cores swing by half between runs with how the workers happen to share
/// the work; CPU per route is the steadier measure of what a route costs.
double process_cpu_us() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto micros = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
  };
  return micros(usage.ru_utime) + micros(usage.ru_stime);
}

/// Adds up process CPU over the timed parts of a benchmark only.
class cpu_meter {
public:
  void start() {
    since_ = process_cpu_us();
  }
  void stop() {
    total_us_ += process_cpu_us() - since_;
  }
  /// Reports `name` as CPU microseconds per item.
  void report(benchmark::State& state, const char* name,
              std::int64_t items) const {
    state.counters[name] = items > 0 ? total_us_ / static_cast<double>(items)
                                     : 0;
  }

private:
  double since_ = 0;
  double total_us_ = 0;
};

/// Percentile of samples already sorted.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty())
    return 0;
  auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size()));
  return sorted[std::min(i, sorted.size() - 1)];
}

void report_latency(benchmark::State& state, std::vector<double>& samples) {
  std::sort(samples.begin(), samples.end());
  state.counters["p50_us"] = percentile(samples, 0.50);
  state.counters["p99_us"] = percentile(samples, 0.99);
  state.counters["max_us"] = samples.empty() ? 0 : samples.back();
}

/// `spin`: workers poll without sleeping (a diagnostic, not production's
/// setting), to see how much of a route's latency is waking idle workers.
caf::actor_system_config make_caf_config(bool spin = false) {
  caf::actor_system_config cfg;
  actors::configure_scheduler(cfg, scheduler_threads);
  if (spin)
    cfg.set("work-stealing.aggressive-poll-attempts", std::size_t{1} << 40);
  return cfg;
}

// -- routing end to end
// --------------------------------------------------------

/// What the sinks and the benchmark loop share for one run.
struct route_run {
  explicit route_run(std::size_t customers, std::ptrdiff_t window)
    : started(customers),
      latency_us(customers),
      conversations(customers),
      window(window) {
  }

  /// Per customer: when its start was submitted, and how long it took.
  std::vector<clock_type::time_point> started;
  std::vector<double> latency_us;
  /// Written by the start reply, which comes before the assignment.
  std::vector<std::string> conversations;
  std::counting_semaphore<1 << 30> window;
  countdown ready;
  countdown routed;
  countdown accepted;
  countdown closed;
  std::atomic<std::int64_t> errors{0};

  void on_assigned(std::size_t customer) {
    latency_us[customer] = micros_since(started[customer]);
    window.release();
    routed.arrive();
  }
};

/// A customer's session: counts conversation.assigned.
class customer_sink : public event_sink {
public:
  customer_sink(route_run& run, std::size_t index) : run_(run), index_(index) {
  }

  void deliver(const notification_ptr& n) override {
    const auto* e = std::get_if<engine::event>(&n->body);
    if (e != nullptr
        && std::holds_alternative<engine::conversation_assigned>(e->body))
      run_.on_assigned(index_);
  }

private:
  route_run& run_;
  std::size_t index_;
};

/// An agent's session that accepts every offer the moment it arrives. It
/// runs on the agent actor's thread and only submits (an anon_send).
class accepting_sink : public event_sink {
public:
  accepting_sink(route_run& run, routing_service& service, caller who)
    : run_(run), service_(service), who_(std::move(who)) {
  }

  void deliver(const notification_ptr& n) override {
    const auto* offer = std::get_if<offer_notice>(&n->body);
    if (offer == nullptr)
      return;
    auto* run = &run_;
    service_.submit(who_, accept_offer{offer->offer}, [run](const reply& r) {
      if (!r.ok())
        run->errors.fetch_add(1, std::memory_order_relaxed);
      run->accepted.arrive();
    });
  }

private:
  route_run& run_;
  routing_service& service_;
  caller who_;
};

std::string numbered(const char* prefix, std::int64_t i) {
  return prefix + std::to_string(100000 + i);
}

/// One push queue, longest_idle, and `agents` agents with the most capacity
/// the config allows, so that nobody fills up during a batch.
std::shared_ptr<const engine::config::config>
route_config(std::int64_t agents) {
  std::string toml = R"(
[auth]
secret = "bench-secret-0123456789abcdef0123"

[routing]
default_queue = "q"

[[queues]]
id = "q"
strategy = "longest_idle"
mode = "push"
)";
  for (std::int64_t i = 0; i < agents; ++i)
    toml += "\n[[agents]]\nid = \"" + numbered("agent-", i)
            + "\"\nqueues = [\"q\"]\ncapacity = 1000\n";
  auto loaded = engine::config::load_string(
    toml, "bench.toml", [](std::string_view) { return std::nullopt; });
  if (!loaded.ok())
    return nullptr;
  return std::make_shared<const engine::config::config>(
    std::move(*loaded.value));
}

/// Where the routes' events are kept: nowhere, or a journal into a memory
/// store or SQLite (fsync, group commit), as production runs.
enum class journal { none, memory, sqlite };

/// This run's SQLite files: a directory of the process, removed at exit.
const std::filesystem::path& journal_dir() {
  static const auto dir = [] {
    auto d = std::filesystem::temp_directory_path()
             / ("baton-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] { std::filesystem::remove_all(journal_dir()); });
    return d;
  }();
  return dir;
}

/// The store for `j`: a fresh one for each benchmark.
std::shared_ptr<engine::storage::store> open_journal(journal j) {
  if (j == journal::memory)
    return std::make_shared<engine::storage::memory_store>();
  if (j != journal::sqlite)
    return nullptr;
  static int opened = 0;
  engine::config::storage_settings s;
  s.path
    = (journal_dir() / ("routes-" + std::to_string(++opened) + ".db")).string();
  return engine::storage::open_store(s);
}

/// Routes `batch` conversations per iteration through a fresh service, at
/// most `window` in flight; between batches (untimed) every conversation is
/// closed so that the agents' load starts from zero again.
void BM_route(benchmark::State& state, bool spin, std::size_t hubs,
              journal kept = journal::none) {
  const auto agents = state.range(0);
  const auto window = state.range(1);
  const auto batch = static_cast<std::size_t>(state.range(2));
  auto cfg = route_config(agents);
  if (cfg == nullptr) {
    state.SkipWithError("config refused");
    return;
  }
  route_run run(batch, static_cast<std::ptrdiff_t>(window));
  auto caf_cfg = make_caf_config(spin);
  caf::actor_system system{caf_cfg};
  service_options options{7};
  options.hubs = hubs;
  options.store = open_journal(kept);
  routing_service service(system, cfg, options);

  run.ready.reset(agents);
  for (std::int64_t i = 0; i < agents; ++i) {
    auto id = numbered("agent-", i);
    caller who{id, engine::role::agent, id};
    service.connect(who, std::make_shared<accepting_sink>(run, service, who));
    service.submit(who, set_agent_status{engine::agent_status::ready, {}},
                   [&run](const reply& r) {
                     if (!r.ok())
                       run.errors.fetch_add(1);
                     run.ready.arrive();
                   });
  }
  std::vector<caller> customers;
  for (std::size_t i = 0; i < batch; ++i) {
    auto id = numbered("customer-", static_cast<std::int64_t>(i));
    customers.push_back({id, engine::role::customer, id});
    // Attached before its start: the directory forwards both in order.
    service.connect(customers.back(), std::make_shared<customer_sink>(run, i));
  }
  run.ready.wait();

  std::vector<double> samples;
  samples.reserve(batch * 4);
  cpu_meter cpu;
  for (auto _ : state) {
    cpu.start();
    run.routed.reset(static_cast<std::int64_t>(batch));
    run.accepted.reset(static_cast<std::int64_t>(batch));
    for (std::size_t i = 0; i < batch; ++i) {
      run.window.acquire();
      run.started[i] = clock_type::now();
      service.submit(
        customers[i],
        start_conversation{
          engine::channel::web, "q", {}, "Hello, where is my order?"},
        [&run, i](const reply& r) {
          if (r.ok())
            run.conversations[i] = r.as<opened>().conversation;
          else
            run.errors.fetch_add(1);
        });
    }
    run.routed.wait();
    // The accepts still in flight belong to this batch's routes.
    run.accepted.wait();
    cpu.stop();

    state.PauseTiming();
    samples.insert(samples.end(), run.latency_us.begin(), run.latency_us.end());
    run.closed.reset(static_cast<std::int64_t>(batch));
    for (std::size_t i = 0; i < batch; ++i)
      service.submit(customers[i],
                     close_conversation{run.conversations[i], "done"},
                     [&run](const reply& r) {
                       if (!r.ok())
                         run.errors.fetch_add(1);
                       run.closed.arrive();
                     });
    run.closed.wait();
    state.ResumeTiming();
  }
  service.shutdown();

  if (auto errors = run.errors.load(); errors > 0)
    state.SkipWithError(
      ("requests refused: " + std::to_string(errors)).c_str());
  auto routes = state.iterations() * static_cast<std::int64_t>(batch);
  state.SetItemsProcessed(routes);
  report_latency(state, samples);
  cpu.report(state, "cpu_us_per_route", routes);
}

// -- the baseline: one CAF request/response --------------------------------

using ping_atom = caf::atom_constant<caf::atom("ping")>;

caf::behavior ponger() {
  return {
    [](ping_atom, std::int64_t x) { return x; },
  };
}

struct ping_run {
  std::int64_t total = 0;
  std::int64_t window = 1;
  std::vector<double> latency_us;
  countdown done;
  std::atomic<std::int64_t> errors{0};
};

struct pinger_state {
  caf::actor pong;
  ping_run* run = nullptr;
  std::int64_t sent = 0;
  std::int64_t received = 0;
};

using pinger_ptr = caf::stateful_actor<pinger_state>*;

void finish(pinger_ptr self) {
  self->state.run->done.arrive();
  self->quit();
}

/// One request; its answer sends the next, keeping `window` in flight.
void fire(pinger_ptr self) {
  auto& st = self->state;
  auto t0 = clock_type::now();
  self->request(st.pong, caf::infinite, ping_atom::value, st.sent++)
    .then(
      [=](std::int64_t) {
        auto& st = self->state;
        st.run->latency_us.push_back(micros_since(t0));
        if (++st.received == st.run->total)
          return finish(self);
        if (st.sent < st.run->total)
          fire(self);
      },
      [=](caf::error&) {
        self->state.run->errors.fetch_add(1);
        finish(self);
      });
}

caf::behavior pinger(pinger_ptr self, caf::actor pong, ping_run* run) {
  self->state.pong = std::move(pong);
  self->state.run = run;
  for (std::int64_t i = 0; i < run->window && i < run->total; ++i)
    fire(self);
  // Never sent to: a behaviour keeps the actor up between answers.
  return {
    [](ping_atom, std::int64_t) {},
  };
}

/// `batch` round trips per iteration between two event_based actors, at most
/// `window` in flight.
void BM_caf_request_response(benchmark::State& state) {
  const auto window = state.range(0);
  const auto batch = state.range(1);
  auto caf_cfg = make_caf_config();
  caf::actor_system system{caf_cfg};
  auto pong = system.spawn(ponger);
  ping_run run;
  run.total = batch;
  run.window = window;
  std::vector<double> samples;
  cpu_meter cpu;
  for (auto _ : state) {
    run.latency_us.clear();
    run.latency_us.reserve(static_cast<std::size_t>(batch));
    run.done.reset(1);
    cpu.start();
    system.spawn(pinger, pong, &run);
    run.done.wait();
    cpu.stop();
    state.PauseTiming();
    samples.insert(samples.end(), run.latency_us.begin(), run.latency_us.end());
    state.ResumeTiming();
  }
  caf::anon_send_exit(pong, caf::exit_reason::user_shutdown);
  if (run.errors.load() > 0)
    state.SkipWithError("request failed");
  state.SetItemsProcessed(state.iterations() * batch);
  report_latency(state, samples);
  cpu.report(state, "cpu_us_per_round_trip", state.iterations() * batch);
}

BENCHMARK(BM_caf_request_response)
  ->ArgNames({"window", "batch"})
  ->Args({1, 10000})
  ->Args({16, 10000})
  ->Args({256, 10000})
  ->UseRealTime()
  ->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(BM_route, sleep_when_idle, false, 0)
  ->ArgNames({"agents", "window", "batch"})
  ->Args({100, 1, 10000})
  ->Args({100, 16, 10000})
  ->Args({100, 256, 10000})
  ->Args({100, 1000, 1000})
  ->Args({100, 10000, 10000})
  ->UseRealTime()
  ->Unit(benchmark::kMillisecond);

// Diagnostic: the same routes with workers that never sleep.
BENCHMARK_CAPTURE(BM_route, spinning_workers, true, 0)
  ->ArgNames({"agents", "window", "batch"})
  ->Args({100, 1, 10000})
  ->Args({100, 16, 10000})
  ->UseRealTime()
  ->Unit(benchmark::kMillisecond);

// With a journal: every event committed before it is delivered.
BENCHMARK_CAPTURE(BM_route, journal_memory, false, 0, journal::memory)
  ->ArgNames({"agents", "window", "batch"})
  ->Args({100, 16, 10000})
  ->Args({100, 256, 10000})
  ->UseRealTime()
  ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_route, journal_sqlite, false, 0, journal::sqlite)
  ->ArgNames({"agents", "window", "batch"})
  ->Args({100, 16, 10000})
  ->Args({100, 256, 10000})
  ->UseRealTime()
  ->Unit(benchmark::kMillisecond);

// Diagnostic: every session through one hub (the default is one per
// scheduler worker).
BENCHMARK_CAPTURE(BM_route, one_hub, false, 1)
  ->ArgNames({"agents", "window", "batch"})
  ->Args({100, 256, 10000})
  ->UseRealTime()
  ->Unit(benchmark::kMillisecond);

} // namespace
} // namespace baton::actors

BENCHMARK_MAIN();
