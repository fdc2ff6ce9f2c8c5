#include "app/relay.hpp"

#include <chrono>
#include <variant>

#include "caf/all.hpp"

#include "actors/api.hpp"
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

} // namespace

/// Watches the core followed: its node dying or leaving takes the actor
/// down, and with it the relay's sessions' inboxes.
struct relay::watch {
  caf::actor watcher;

  ~watch() {
    caf::anon_send_exit(watcher, caf::exit_reason::user_shutdown);
  }
};

relay::relay(caf::actor_system& system, config_ptr cfg,
             std::function<void()> core_lost,
             std::shared_ptr<actors::cluster_metrics> metrics)
  : system_(system),
    cfg_(std::move(cfg)),
    tls_(cfg_->cluster.tls()),
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
  auto found = core_locator::find_core(system_, serving->address, find_patience,
                                       tls_);
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
  auto core = std::get<caf::actor>(found);
  auto lost = lost_;
  auto tell = core_lost_;
  watch_ = std::make_shared<watch>();
  watch_->watcher = system_.spawn(
    [core, lost, tell](caf::event_based_actor* self) -> caf::behavior {
      self->monitor(core);
      self->set_down_handler([=](caf::down_msg&) {
        lost->store(true);
        tell();
        self->quit();
      });
      // Nothing to handle: it lives for the down message only.
      return {[](caf::unit_t) {}};
    });
  front_ = std::make_unique<actors::routing_service>(
    system_, cfg_, core, std::chrono::milliseconds{request_patience}, metrics_);
  gateway_ = std::make_unique<gateway::server>(cfg_, *front_);
  try {
    gateway_->start();
  } catch (const std::exception& e) {
    log::error("cluster: the relay cannot listen")
      .field("listen", cfg_->server.listen)
      .field("problem", e.what());
    gateway_.reset();
    front_.reset();
    watch_.reset();
    return;
  }
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
