// What durability costs: acknowledged messages per second and the ack
// latency (message.send submitted → `ok` back) with the journal on SQLite
// (durability fsync and os) and in memory, for several group-commit windows;
// then how long a start takes to bring back many open conversations.
//
//   bench_storage [--seconds 2] [--conversations 64] [--recovery 100000,...]
//
// The load is closed-loop: each of `conversations` conversations has one
// message in flight, and sends the next when the last is acknowledged, so
// a commit carries up to that many messages.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "caf/all.hpp"

#include "actors/api.hpp"
#include "actors/scheduler.hpp"
#include "engine/config/config.hpp"
#include "engine/conversation/decide.hpp"
#include "engine/storage/memory_store.hpp"
#include "engine/storage/sqlite_store.hpp"

namespace baton::bench {
namespace {

using clock_type = std::chrono::steady_clock;
using engine::config::durability_mode;

struct options {
  double seconds = 2;
  int conversations = 64;
  std::vector<std::int64_t> recovery{100000};
};

std::shared_ptr<const engine::config::config> make_config(int group_commit_ms) {
  std::string toml = R"(
[auth]
secret = "bench-secret-0123456789abcdef0123"
[storage]
group_commit_ms = )" + std::to_string(group_commit_ms)
                     + R"(
[routing]
default_queue = "q"
# Each conversation sends as fast as its acknowledgements come.
[limits]
messages_per_conversation = 1000000
[[queues]]
id = "q"
)";
  auto loaded = engine::config::load_string(
    toml, "bench.toml", [](std::string_view) { return std::nullopt; });
  if (!loaded.ok()) {
    std::fprintf(stderr, "bad bench config\n");
    std::exit(1);
  }
  return std::make_shared<const engine::config::config>(
    std::move(*loaded.value));
}

/// Scheduler threads: the machine has two cores (BATON_BENCH_THREADS to
/// change it); the policy is production's.
caf::actor_system_config caf_config() {
  caf::actor_system_config cfg;
  const char* threads = std::getenv("BATON_BENCH_THREADS");
  actors::configure_scheduler(
    cfg, static_cast<std::size_t>(threads != nullptr ? std::atoi(threads) : 2));
  return cfg;
}

class temp_dir {
public:
  temp_dir() {
    auto pattern
      = (std::filesystem::temp_directory_path() / "baton-bench-XXXXXX")
          .string();
    if (mkdtemp(pattern.data()) == nullptr)
      std::exit(1);
    path = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string path;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

/// Blocks until `n` replies came; no sleeps.
class latch {
public:
  explicit latch(int n) : left_(n) {
  }
  void arrive() {
    std::lock_guard guard{m_};
    if (--left_ == 0)
      cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock{m_};
    cv_.wait(lock, [&] { return left_ <= 0; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  int left_;
};

/// One conversation sending messages one after the other.
struct sender {
  actors::routing_service* service = nullptr;
  actors::caller who;
  std::string conversation;
  clock_type::time_point deadline;
  std::vector<double> latencies_us;
  latch* finished = nullptr;
  int counter = 0;

  void send_next() {
    auto t0 = clock_type::now();
    actors::send_message m{
      conversation, "message " + std::to_string(++counter), {}};
    service->submit(who, std::move(m), [this, t0](const actors::reply& r) {
      auto now = clock_type::now();
      if (!r.ok()) {
        std::fprintf(stderr, "message refused: %s\n", r.message.c_str());
        std::exit(1);
      }
      latencies_us.push_back(
        std::chrono::duration<double, std::micro>(now - t0).count());
      if (now < deadline)
        send_next();
      else
        finished->arrive();
    });
  }
};

struct throughput_row {
  const char* store;
  int group_commit_ms;
  double per_second;
  double p50_us;
  double p99_us;
};

throughput_row measure(const char* name,
                       std::shared_ptr<engine::storage::store> store,
                       int group_commit_ms, const options& o) {
  auto cfg = caf_config();
  caf::actor_system system{cfg};
  actors::service_options so;
  so.store = std::move(store);
  std::vector<sender> senders(static_cast<std::size_t>(o.conversations));
  {
    actors::routing_service service(system, make_config(group_commit_ms),
                                    std::move(so));
    latch started(o.conversations);
    for (int i = 0; i < o.conversations; ++i) {
      auto& s = senders[static_cast<std::size_t>(i)];
      s.service = &service;
      s.who = {"customer-" + std::to_string(i), engine::role::customer, ""};
      service.submit(s.who, actors::start_conversation{{}, "q", {}, "hello"},
                     [&s, &started](const actors::reply& r) {
                       s.conversation = r.as<actors::opened>().conversation;
                       started.arrive();
                     });
    }
    started.wait();
    latch finished(o.conversations);
    auto t0 = clock_type::now();
    auto deadline = t0
                    + std::chrono::duration_cast<clock_type::duration>(
                      std::chrono::duration<double>(o.seconds));
    for (auto& s : senders) {
      s.deadline = deadline;
      s.finished = &finished;
      s.send_next();
    }
    finished.wait();
    double elapsed
      = std::chrono::duration<double>(clock_type::now() - t0).count();
    std::vector<double> all;
    for (auto& s : senders)
      all.insert(all.end(), s.latencies_us.begin(), s.latencies_us.end());
    service.shutdown();
    system.await_all_actors_done();
    auto count = static_cast<double>(all.size());
    return {name, group_commit_ms, count / elapsed, percentile(all, 0.50),
            percentile(all, 0.99)};
  }
}

void throughput(const options& o) {
  if (o.seconds <= 0)
    return;
  std::printf("| store | group_commit_ms | acknowledged msg/s | ack p50 (ms) | "
              "ack p99 (ms) |\n|---|---|---|---|---|\n");
  for (int gc : {0, 1, 2, 5}) {
    std::vector<throughput_row> rows;
    {
      temp_dir d;
      rows.push_back(measure("sqlite fsync",
                             std::make_shared<engine::storage::sqlite_store>(
                               d.path + "/b.db", durability_mode::fsync),
                             gc, o));
    }
    {
      temp_dir d;
      rows.push_back(measure("sqlite os",
                             std::make_shared<engine::storage::sqlite_store>(
                               d.path + "/b.db", durability_mode::os),
                             gc, o));
    }
    rows.push_back(measure(
      "memory", std::make_shared<engine::storage::memory_store>(), gc, o));
    for (const auto& r : rows)
      std::printf("| %s | %d | %.0f | %.2f | %.2f |\n", r.store,
                  r.group_commit_ms, r.per_second, r.p50_us / 1000,
                  r.p99_us / 1000);
    std::fflush(stdout);
  }
}

/// Writes `n` open conversations as a start makes them: created, queued,
/// the customer's first message.
void populate(engine::storage::store& store, std::int64_t n) {
  constexpr std::int64_t batch = 5000;
  std::vector<engine::storage::log_entry> entries;
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  for (std::int64_t i = 0; i < n; ++i) {
    auto id = "c-" + std::to_string(i);
    engine::conversation c(id);
    engine::start_request r;
    r.queue = "q";
    r.customer = {"customer-" + std::to_string(i), engine::role::customer,
                  "Customer"};
    r.first_text = "Where is my parcel?";
    r.welcome_text = "Please wait";
    auto d = engine::decide_start(c, r, now);
    for (auto& e : engine::commit(c, std::move(d.events), now))
      entries.push_back({id, std::move(e)});
    if (static_cast<std::int64_t>(entries.size()) >= batch || i + 1 == n) {
      store.append(entries);
      entries.clear();
    }
  }
}

long rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::atol(line.c_str() + 6) / 1024;
  return 0;
}

void recovery(const options& o) {
  std::printf("\n| open conversations | read from SQLite (s) | whole recovery "
              "(s) | RSS after (MB) |\n|---|---|---|---|\n");
  for (auto n : o.recovery) {
    temp_dir d;
    auto path = d.path + "/b.db";
    {
      engine::storage::sqlite_store s(path, durability_mode::os);
      populate(s, n);
    }
    double read_s = 0;
    {
      engine::storage::sqlite_store s(path, durability_mode::os);
      std::int64_t seen = 0;
      auto t0 = clock_type::now();
      s.load_open([&](engine::storage::conversation_log&&) { ++seen; });
      read_s = std::chrono::duration<double>(clock_type::now() - t0).count();
      if (seen != n)
        std::fprintf(stderr, "read %lld of %lld\n", (long long) seen,
                     (long long) n);
    }
    auto cfg = caf_config();
    caf::actor_system system{cfg};
    auto t0 = clock_type::now();
    actors::service_options so;
    so.store = std::make_shared<engine::storage::sqlite_store>(
      path, durability_mode::os);
    actors::routing_service service(system, make_config(2), std::move(so));
    double total_s
      = std::chrono::duration<double>(clock_type::now() - t0).count();
    std::printf("| %lld | %.2f | %.2f | %ld |\n", (long long) n, read_s,
                total_s, rss_mb());
    std::fflush(stdout);
    service.shutdown();
    system.await_all_actors_done();
  }
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--seconds")
      o.seconds = std::atof(value.c_str());
    else if (flag == "--conversations")
      o.conversations = std::atoi(value.c_str());
    else if (flag == "--recovery") {
      o.recovery.clear();
      std::stringstream in(value);
      for (std::string n; std::getline(in, n, ',');)
        o.recovery.push_back(std::atoll(n.c_str()));
    } else {
      std::fprintf(stderr, "unknown option %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return o;
}

} // namespace
} // namespace baton::bench

int main(int argc, char** argv) {
  auto o = baton::bench::parse(argc, argv);
  baton::bench::throughput(o);
  baton::bench::recovery(o);
}
