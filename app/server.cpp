#include "app/server.hpp"

#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

#include <mimalloc.h>

#include "caf/all.hpp"

#include "actors/api.hpp"
#include "actors/scheduler.hpp"
#include "app/log.hpp"
#include "engine/config/secret_file.hpp"
#include "engine/storage/store.hpp"
#include "gateway/server/server.hpp"

namespace baton::app {
namespace {

std::size_t scheduler_threads(const engine::config::config& cfg) {
  if (cfg.server.threads > 0)
    return cfg.server.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

/// Blocks until SIGTERM, SIGINT or SIGHUP. The signals are blocked in every
/// thread (set before any thread starts), so only this wait sees them.
int wait_for_signal(const sigset_t& signals) {
  int sig = 0;
  sigwait(&signals, &sig);
  return sig;
}

using config_ptr = std::shared_ptr<const engine::config::config>;

/// SIGHUP: reads and validates the file again. A file with any error changes
/// nothing. Listener and storage settings cannot change while running: the
/// running ones stay, and a change to them is logged as needing a restart.
config_ptr reload(const std::string& path, const config_ptr& running) {
  spdlog::info("SIGHUP: reloading {}", path);
  auto result = engine::config::load_file(path);
  for (const auto& w : result.warnings)
    spdlog::warn("{}", w.to_string());
  for (const auto& e : result.errors)
    spdlog::error("{}", e.to_string());
  if (!result.ok()) {
    spdlog::error("reload refused: {} error(s) in {}; the running "
                  "configuration stays",
                  result.errors.size(), path);
    return nullptr;
  }
  auto next = std::move(*result.value);
  if (auto problem = engine::config::resolve_secret_file(next, false);
      !problem.empty()) {
    spdlog::error("reload refused: {}; the running configuration stays",
                  problem);
    return nullptr;
  }
  const auto& now = *running;
  if (next.server.listen != now.server.listen
      || next.server.threads != now.server.threads)
    spdlog::warn("server.listen and server.threads take effect at the next "
                 "restart");
  if (!(next.storage == now.storage))
    spdlog::warn("[storage] takes effect at the next restart");
  next.server.listen = now.server.listen;
  next.server.threads = now.server.threads;
  next.storage = now.storage;
  return std::make_shared<const engine::config::config>(std::move(next));
}

} // namespace

int serve(const engine::config::config& cfg, const std::string& config_path) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  spdlog::info("baton {} starting, allocator mimalloc {}", BATON_VERSION,
               mi_version());

  caf::actor_system_config caf_cfg;
  actors::configure_scheduler(caf_cfg, scheduler_threads(cfg));
  caf::actor_system system{caf_cfg};
  std::shared_ptr<engine::storage::store> store;
  try {
    store = engine::storage::open_store(cfg.storage);
  } catch (const std::exception& e) {
    spdlog::error("storage: {}", e.what());
    return 1;
  }
  {
    auto shared = std::make_shared<const engine::config::config>(cfg);
    actors::service_options options;
    options.store = store;
    options.log_error = [](const std::string& m) { spdlog::error("{}", m); };
    // Open conversations come back before the gateway listens, so /readyz
    // is 200 only once they are all in place.
    auto recovery_start = std::chrono::steady_clock::now();
    std::optional<actors::routing_service> service;
    try {
      service.emplace(system, shared, std::move(options));
    } catch (const std::exception& e) {
      spdlog::error("storage: cannot recover: {}", e.what());
      return 1;
    }
    auto& routing = *service;
    spdlog::info("storage {}: {} open conversations recovered in {} ms",
                 engine::config::to_string(cfg.storage.backend),
                 routing.recovered(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - recovery_start)
                   .count());
    spdlog::info("routing {} queues, {} agents, {} topics on {} threads",
                 cfg.queues.size(), cfg.agents.size(), cfg.topics.size(),
                 scheduler_threads(cfg));
    gateway::server front(shared, routing);
    try {
      front.start();
    } catch (const std::exception& e) {
      spdlog::error("cannot listen on {}: {}", cfg.server.listen, e.what());
      routing.shutdown();
      system.await_all_actors_done();
      return 1;
    }
    front.set_ready();
    // Tests and scripts read this line to learn the port (listen = ":0").
    spdlog::info("listening on {} port {}", cfg.server.listen, front.port());
    auto running = shared;
    int sig = wait_for_signal(stop);
    for (; sig == SIGHUP; sig = wait_for_signal(stop)) {
      auto next = reload(config_path, running);
      if (!next)
        continue;
      routing.reload(next);
      front.reload(next);
      running = std::move(next);
      spdlog::info("configuration reloaded: {} queues, {} agents, {} topics",
                   running->queues.size(), running->agents.size(),
                   running->topics.size());
    }
    spdlog::info("signal {}: draining for up to {} ms", sig,
                 cfg.server.drain_timeout_ms);
    front.drain_and_stop();
    routing.shutdown();
    // Actors may still hold sessions (sinks, reply callbacks): they must be
    // done before the gateway and its io_context go.
    system.await_all_actors_done();
  }
  system.await_all_actors_done();
  spdlog::info("stopped");
  return 0;
}

} // namespace baton::app
