#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "caf/fwd.hpp"

#include "engine/config/config.hpp"
#include "engine/storage/postgres_leases.hpp"

namespace baton::actors {
class routing_service;
struct cluster_metrics;
} // namespace baton::actors

namespace baton::gateway {
class server;
} // namespace baton::gateway

namespace baton::app {

/// While this node stands by, its gateway serves clients all the same: their
/// sessions and requests go to the routing core of the node that serves,
/// through CAF's middleman (docs/cluster.md, "Any node serves any client").
/// The load balancer then needs no stickiness and sends clients to every
/// node. From the main thread only.
class relay {
public:
  using config_ptr = std::shared_ptr<const engine::config::config>;

  /// `core_lost` is called, on an actor's thread, when the core this relay
  /// follows goes away (its node died or left); the relay then waits for
  /// the next `follow`.
  relay(caf::actor_system& system, config_ptr cfg,
        std::function<void()> core_lost,
        std::shared_ptr<actors::cluster_metrics> metrics);
  ~relay();
  relay(const relay&) = delete;
  relay& operator=(const relay&) = delete;

  /// Follows `serving`: connects to its core and opens the gateway. With
  /// none, another node, or a core that was lost, closes the gateway
  /// first: its sessions reconnect through the load balancer, to a node
  /// that serves or relays, and `resume` as after any restart. Called
  /// again while `should_retry()`, it tries the core again. Blocking.
  void follow(const std::optional<engine::storage::serving_node>& serving);

  /// A node serves, with an address, but this relay could not reach its
  /// core (or lost it): worth another `follow` a little later.
  bool should_retry() const noexcept {
    return following_ && !following_->address.empty() && !gateway_;
  }

  /// A reloaded configuration, for the gateway.
  void reload(config_ptr cfg);

  /// Closes the gateway and leaves the core: this node serves now, or stops.
  void stop();

  /// True while the gateway is open on a core.
  bool relaying() const noexcept {
    return gateway_ != nullptr;
  }

private:
  struct watch;

  caf::actor_system& system_;
  config_ptr cfg_;
  std::function<void()> core_lost_;
  std::shared_ptr<actors::cluster_metrics> metrics_;
  /// The incarnation followed now, or the last whose core was lost.
  std::optional<engine::storage::serving_node> following_;
  std::shared_ptr<std::atomic<bool>> lost_;
  /// Said already that the core followed cannot be reached.
  bool warned_ = false;
  /// The relay's listener would not open: said once until it does.
  bool listen_warned_ = false;
  std::unique_ptr<actors::routing_service> front_;
  std::unique_ptr<gateway::server> gateway_;
  std::shared_ptr<watch> watch_;
};

} // namespace baton::app
