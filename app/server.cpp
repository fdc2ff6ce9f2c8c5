#include "app/server.hpp"

#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

#include <mimalloc.h>

#include "caf/all.hpp"

#include "actors/api.hpp"
#include "app/log.hpp"
#include "engine/storage/store.hpp"
#include "gateway/server/server.hpp"

namespace baton::app {
namespace {

std::size_t scheduler_threads(const engine::config::config& cfg) {
  if (cfg.server.threads > 0)
    return cfg.server.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

/// Blocks until SIGTERM or SIGINT. The signals are blocked in every thread
/// (set before any thread starts), so only this wait sees them.
int wait_for_stop(const sigset_t& stop) {
  int sig = 0;
  sigwait(&stop, &sig);
  return sig;
}

} // namespace

int serve(const engine::config::config& cfg) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  spdlog::info("baton {} starting, allocator mimalloc {}", BATON_VERSION,
               mi_version());

  caf::actor_system_config caf_cfg;
  caf_cfg.set("scheduler.max-threads", scheduler_threads(cfg));
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
    int sig = wait_for_stop(stop);
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
