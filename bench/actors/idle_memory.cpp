// Memory of idle conversations: RSS of the process before and after
// starting N conversations that then sit in a queue with no agent (state
// queued, nothing happening), through routing_service on a real CAF system.
//
//   bench_idle_memory 100000 1000000
//   bench_idle_memory --one-customer 100000
//   bench_idle_memory --passivate-after-ms 200 100000 1000000
//   bench_idle_memory --bot --passivate-after-ms 200 100000
//
// Each conversation has its own customer, so a conversation actor, a user
// actor and a waiting-list entry are counted, as in production
// (--one-customer: all conversations of one customer, to tell the user
// actor's share from the conversation's; --passivate-after-ms: the
// conversations leave memory once quiet that long, as
// routing.passivate_after_ms says, and are weighed once all sleep; --bot:
// one bot starts every conversation for its customer and hands it to the
// queue, so the bot's inbox lists them all). Starts are submitted with at
// most 1 000 in flight, so that mailboxes stay short and the figure is what
// idle conversations keep, not a burst's high water.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "caf/all.hpp"

#include "actors/api.hpp"
#include "actors/metrics.hpp"
#include "actors/scheduler.hpp"
#include "engine/config/config.hpp"

namespace {

using namespace baton;

std::uint64_t rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stoull(line.substr(6));
  return 0;
}

std::shared_ptr<const engine::config::config>
idle_config(std::int64_t passivate_after_ms) {
  // No agents: every conversation waits; the wait timeout is far away.
  auto loaded = engine::config::load_string(R"(
[auth]
secret = "bench-secret-0123456789abcdef0123"
[routing]
default_queue = "q"
passivate_after_ms = )" + std::to_string(passivate_after_ms)
                                              + R"(
[[queues]]
id = "q"
wait_timeout_ms = 86400000
)",
                                            "idle.toml", [](std::string_view) {
                                              return std::nullopt;
                                            });
  if (!loaded.value)
    return nullptr;
  return std::make_shared<const engine::config::config>(
    std::move(*loaded.value));
}

/// Caps the starts in flight and waits for the last reply.
class window {
public:
  explicit window(std::int64_t size) : free_(size) {
  }
  void acquire() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void release() {
    std::lock_guard lock(mutex_);
    ++free_;
    cv_.notify_all();
  }
  void drain(std::int64_t size) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return free_ == size; });
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::int64_t free_;
};

/// Waits until `n` conversations sleep; false after a minute without one
/// more falling asleep.
bool all_asleep(const actors::routing_service& service, std::int64_t n) {
  auto asleep = [&] { return service.metrics().conversations_asleep.get(); };
  auto last = asleep();
  auto moved = std::chrono::steady_clock::now();
  while (last < n) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto now = asleep();
    if (now != last)
      moved = std::chrono::steady_clock::now();
    else if (std::chrono::steady_clock::now() - moved > std::chrono::minutes(1))
      return false;
    last = now;
  }
  return true;
}

struct options {
  bool one_customer = false;
  bool by_bot = false;
  std::int64_t passivate_ms = 0;
};

int measure(std::int64_t n, const options& o, bool last) {
  const bool one_customer = o.one_customer;
  const std::int64_t passivate_ms = o.passivate_ms;
  caf::actor_system_config cfg;
  actors::configure_scheduler(cfg, 2);
  caf::actor_system system{cfg};
  auto config = idle_config(passivate_ms);
  if (!config) {
    std::fprintf(stderr, "bench_idle_memory: bad built-in configuration\n");
    return 1;
  }
  actors::routing_service service(system, config);
  constexpr std::int64_t in_flight = 1000;
  window w(in_flight);
  std::atomic<std::int64_t> errors{0};

  // Warm up: a few conversations, so that one-off allocations (the queue,
  // the directory's tables, CAF's scheduler) are not charged to the rest.
  const actors::caller bot{"helper-bot", engine::role::bot, "Helper"};
  auto counted = [&](const actors::reply& r) {
    if (!r.ok())
      errors.fetch_add(1, std::memory_order_relaxed);
    w.release();
  };
  auto start = [&](std::int64_t i) {
    w.acquire();
    auto customer = "cust-" + std::to_string(one_customer ? 0 : i);
    actors::start_conversation req;
    req.queue = "q";
    req.text = "Hello, I need help with my order";
    if (!o.by_bot) {
      service.submit({customer, engine::role::customer, "Customer"},
                     std::move(req), counted);
      return;
    }
    req.customer = customer;
    req.customer_name = "Customer";
    service.submit(bot, std::move(req), [&](const actors::reply& r) {
      if (!r.ok())
        return counted(r);
      service.submit(
        bot,
        actors::hand_off{
          r.as<actors::opened>().conversation, "q", {}, "Asks about an order"},
        counted);
    });
  };
  constexpr std::int64_t warm = 1000;
  for (std::int64_t i = 0; i < warm; ++i)
    start(i);
  w.drain(in_flight);
  auto before = rss_kib();
  auto t0 = std::chrono::steady_clock::now();
  for (std::int64_t i = warm; i < warm + n; ++i)
    start(i);
  w.drain(in_flight);
  double secs
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  if (passivate_ms > 0 && !all_asleep(service, warm + n)) {
    std::fprintf(
      stderr, "bench_idle_memory: only %lld of %lld asleep\n",
      static_cast<long long>(service.metrics().conversations_asleep.get()),
      static_cast<long long>(warm + n));
    errors.fetch_add(1);
  }
  // Let timers and mailboxes settle before weighing.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto after = rss_kib();
  double per = double(after - before) * 1024.0 / double(n);
  std::printf(
    "{\"idle_conversations\":%lld,\"customers\":%lld,\"by_bot\":%s,"
    "\"passivate_after_ms\":%lld,\"asleep\":%lld,"
    "\"rss_before_mb\":%.1f,"
    "\"rss_after_mb\":%.1f,\"bytes_per_conversation\":%.0f,"
    "\"starts_per_sec\":%.0f,\"errors\":%lld}\n",
    static_cast<long long>(n), static_cast<long long>(one_customer ? 1 : n),
    o.by_bot ? "true" : "false", static_cast<long long>(passivate_ms),
    static_cast<long long>(service.metrics().conversations_asleep.get()),
    double(before) / 1024.0, double(after) / 1024.0, per, double(n) / secs,
    static_cast<long long>(errors.load()));
  std::fflush(stdout);
  int rc = errors.load() == 0 ? 0 : 1;
  if (last) {
    // Stopping a million actors takes longer than starting them and
    // measures nothing: leave without it.
    std::_Exit(rc);
  }
  service.shutdown();
  return rc;
}

} // namespace

int main(int argc, char** argv) {
  int first = 1;
  options o;
  for (; first < argc; ++first) {
    std::string arg = argv[first];
    if (arg == "--one-customer")
      o.one_customer = true;
    else if (arg == "--bot")
      o.by_bot = true;
    else if (arg == "--passivate-after-ms" && first + 1 < argc)
      o.passivate_ms = std::atoll(argv[++first]);
    else
      break;
  }
  if (argc <= first || o.passivate_ms < 0) {
    std::fprintf(stderr, "usage: bench_idle_memory [--one-customer] [--bot] "
                         "[--passivate-after-ms MS] N [N...]\n");
    return 2;
  }
  int rc = 0;
  for (int i = first; i < argc; ++i) {
    char* end = nullptr;
    long long n = std::strtoll(argv[i], &end, 10);
    if (end == argv[i] || *end != '\0' || n <= 0) {
      std::fprintf(stderr, "bench_idle_memory: not a count: %s\n", argv[i]);
      return 2;
    }
    rc |= measure(n, o, i + 1 == argc);
  }
  return rc;
}
