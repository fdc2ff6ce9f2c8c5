#include "app/relay.hpp"

#include <chrono>
#include <functional>
#include <mutex>
#include <variant>

#include "caf/all.hpp"

#include "actors/api.hpp"
#include "actors/metrics.hpp"
#include "app/core_locator.hpp"
#include "gateway/server/server.hpp"
#include "log/log.hpp"

namespace baton::app {
namespace {

/// A core that does not answer a session's request in this time is taken
/// for gone: the session hears `unavailable` and may try again.
constexpr std::chrono::seconds request_patience{10};
/// How long finding the serving node's core may take.
constexpr std::chrono::seconds find_patience{3};

/// The watcher's turn to ask how the core's store fares.
using tick_atom = caf::atom_constant<caf::atom("tick")>;

} // namespace

/// How the followed core's store fares, as its locator last said: written
/// into the node's gauge only while this follow lasts, so an answer that
/// comes after stop() cannot leave a stale "failing".
struct core_health {
  explicit core_health(std::shared_ptr<actors::cluster_metrics> m)
    : metrics(std::move(m)) {
  }

  std::mutex mutex;
  bool active = true;
  std::shared_ptr<actors::cluster_metrics> metrics;

  void report(bool failing) {
    std::lock_guard lock{mutex};
    if (active)
      metrics->core_store_failing.set(failing ? 1 : 0);
  }
  void end() {
    std::lock_guard lock{mutex};
    active = false;
    metrics->core_store_failing.set(0);
  }
};

namespace {

caf::actor
spawn_watcher(caf::actor_system& system, const core_locator::found_core& found,
              std::shared_ptr<core_health> health,
              std::chrono::milliseconds every, std::function<void()> on_lost) {
  return system.spawn([found, health, every,
                       on_lost](caf::event_based_actor* self) -> caf::behavior {
    self->monitor(found.directory);
    self->set_down_handler([=](caf::down_msg&) {
      on_lost();
      self->quit();
    });
    // A monitor outlives the actor that placed it: taken back on exit, so
    // that a core that stays up does not keep every watcher of it.
    self->set_exit_handler([=](caf::exit_msg& m) {
      self->demonitor(found.directory);
      self->quit(m.reason);
    });
    self->send(self, tick_atom::value);
    return {
      [=](tick_atom) {
        core_locator::ask_store_failing(self, found.locator, every,
                                        [health](bool failing) {
                                          health->report(failing);
                                        });
        self->delayed_send(self, every, tick_atom::value);
      },
    };
  });
}

} // namespace

/// Watches the core followed: its node dying or leaving takes the actor
/// down, and with it the relay's sessions' inboxes. It also asks, each
/// `every`, whether the core's store fails: this relay's /readyz and
/// /metrics say what that store says, as a client sent here is served by
/// it.
struct relay::watch {
  watch(caf::actor_system& system, const core_locator::found_core& found,
        std::shared_ptr<actors::cluster_metrics> metrics,
        std::chrono::milliseconds every, std::function<void()> on_lost)
    : health(std::make_shared<core_health>(std::move(metrics))),
      watcher(spawn_watcher(system, found, health, every, std::move(on_lost))) {
  }
  ~watch() {
    health->end();
    caf::anon_send_exit(watcher, caf::exit_reason::user_shutdown);
  }

  std::shared_ptr<core_health> health;
  caf::actor watcher;
};

relay::relay(caf::actor_system& system, config_ptr cfg,
             std::function<void()> core_lost,
             std::shared_ptr<actors::cluster_metrics> metrics)
  : system_(system),
    cfg_(std::move(cfg)),
    core_lost_(std::move(core_lost)),
    metrics_(std::move(metrics)),
    lost_(std::make_shared<std::atomic<bool>>(false)) {
}

relay::~relay() {
  stop();
}

void relay::follow(
  const std::optional<engine::storage::serving_node>& serving) {
  bool same = serving && following_ && *serving == *following_;
  if (same && gateway_ && !lost_->load())
    return; // still on that core
  if (gateway_) {
    log::info("cluster: relay closes its sessions")
      .field("reason", lost_->load() ? "the serving node's core is gone"
                                     : "another node serves");
    stop();
  }
  if (!same)
    warned_ = false;
  following_ = serving;
  // A flag of this core's own: a late word from the watcher of the one
  // before must not close sessions on this one.
  lost_ = std::make_shared<std::atomic<bool>>(false);
  if (!serving || serving->address.empty())
    return;
  auto found = core_locator::find_core(system_, serving->address,
                                       find_patience);
  if (auto* why = std::get_if<std::string>(&found)) {
    // Once per core: it is tried again each renewal until it answers or
    // another node serves.
    if (!warned_) {
      log::warn("cluster: cannot reach the serving node's core; trying again")
        .field("node", serving->node)
        .field("address", serving->address)
        .field("problem", *why);
      warned_ = true;
    }
    return;
  }
  warned_ = false;
  const auto& core = std::get<core_locator::found_core>(found);
  watch_ = std::make_shared<watch>(
    system_, core, metrics_,
    std::chrono::milliseconds{cfg_->cluster.lease_renew_ms},
    [lost = lost_, tell = core_lost_] {
      lost->store(true);
      tell();
    });
  front_ = std::make_unique<actors::routing_service>(
    system_, cfg_, core.directory, std::chrono::milliseconds{request_patience},
    metrics_);
  gateway_ = std::make_unique<gateway::server>(cfg_, *front_);
  try {
    gateway_->start();
  } catch (const std::exception& e) {
    // Tried again each renewal (the port may come free): said once.
    if (!listen_warned_)
      log::error("cluster: the relay cannot listen; trying again")
        .field("listen", cfg_->server.listen)
        .field("problem", e.what());
    listen_warned_ = true;
    gateway_.reset();
    front_.reset();
    watch_.reset();
    return;
  }
  listen_warned_ = false;
  gateway_->set_ready();
  log::info("cluster: relaying to the serving node")
    .field("node", serving->node)
    .field("address", serving->address);
  // Tests and scripts read this line to learn the port (listen = ":0").
  log::always("listening")
    .field("address", cfg_->server.listen)
    .field("port", gateway_->port())
    .field("relay", true);
}

void relay::reload(config_ptr cfg) {
  cfg_ = std::move(cfg);
  if (gateway_)
    gateway_->reload(cfg_);
}

void relay::stop() {
  if (gateway_)
    gateway_->drain_and_stop(true);
  // The hubs call sessions back: gone before the sessions' io_contexts go.
  if (front_) {
    front_->shutdown();
    front_.reset();
  }
  gateway_.reset();
  watch_.reset();
}

} // namespace baton::app
