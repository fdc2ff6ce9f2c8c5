// Memory of idle conversations: RSS of the process before and after
// starting N conversations that then sit in a queue with no agent (state
// queued, nothing happening), through routing_service on a real CAF system.
//
//   bench_idle_memory 100000 1000000
//   bench_idle_memory --one-customer 100000
//
// Each conversation has its own customer, so a conversation actor, a user
// actor and a waiting-list entry are counted, as in production
// (--one-customer: all conversations of one customer, to tell the user
// actor's share from the conversation's). Starts are
// submitted with at most 1 000 in flight, so that mailboxes stay short and
// the figure is what idle conversations keep, not a burst's high water.

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

std::shared_ptr<const engine::config::config> idle_config() {
  // No agents: every conversation waits; the wait timeout is far away.
  auto loaded = engine::config::load_string(R"(
[auth]
secret = "bench-secret-0123456789abcdef0123"
[routing]
default_queue = "q"
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

int measure(std::int64_t n, bool one_customer, bool last) {
  caf::actor_system_config cfg;
  actors::configure_scheduler(cfg, 2);
  caf::actor_system system{cfg};
  auto config = idle_config();
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
  auto start = [&](std::int64_t i) {
    w.acquire();
    actors::caller who{"cust-" + std::to_string(one_customer ? 0 : i),
                       engine::role::customer, "Customer"};
    actors::start_conversation req;
    req.queue = "q";
    req.text = "Hello, I need help with my order";
    service.submit(who, std::move(req), [&](const actors::reply& r) {
      if (!r.ok())
        errors.fetch_add(1, std::memory_order_relaxed);
      w.release();
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
  // Let timers and mailboxes settle before weighing.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto after = rss_kib();
  double per = double(after - before) * 1024.0 / double(n);
  std::printf("{\"idle_conversations\":%lld,\"customers\":%lld,"
              "\"rss_before_mb\":%.1f,"
              "\"rss_after_mb\":%.1f,\"bytes_per_conversation\":%.0f,"
              "\"starts_per_sec\":%.0f,\"errors\":%lld}\n",
              static_cast<long long>(n),
              static_cast<long long>(one_customer ? 1 : n),
              double(before) / 1024.0, double(after) / 1024.0, per,
              double(n) / secs, static_cast<long long>(errors.load()));
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
  bool one_customer = false;
  if (argc > 1 && std::string(argv[1]) == "--one-customer") {
    one_customer = true;
    first = 2;
  }
  if (argc <= first) {
    std::fprintf(stderr,
                 "usage: bench_idle_memory [--one-customer] N [N...]\n");
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
    rc |= measure(n, one_customer, i + 1 == argc);
  }
  return rc;
}
