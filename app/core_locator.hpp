#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <variant>

#include "caf/fwd.hpp"

namespace baton::app {

/// What a node of a cluster publishes on `cluster.listen` through CAF's
/// middleman: an actor that tells the other nodes where the routing core
/// this node runs can be reached (its directory), or that it runs none
/// (standing by). The other nodes' relays (relay.hpp) ask it.
class core_locator {
public:
  /// Publishes on `listen` (host:port; port 0: any free one); `tls`:
  /// through CAF's OpenSSL module (cluster_tls.hpp), which the system must
  /// have loaded. Throws std::runtime_error when it cannot.
  core_locator(caf::actor_system& system, const std::string& listen, bool tls);
  ~core_locator();
  core_locator(const core_locator&) = delete;
  core_locator& operator=(const core_locator&) = delete;

  /// host:port as published, the port bound.
  const std::string& address() const noexcept {
    return address_;
  }

  /// From now on this node's core is `directory`.
  void serve(const caf::actor& directory);

  /// The directory of the core the node at `address` runs, asked within
  /// `patience` (over TLS with `tls`); or why not (unreachable, refused,
  /// or it runs none).
  static std::variant<caf::actor, std::string>
  find_core(caf::actor_system& system, const std::string& address,
            std::chrono::milliseconds patience, bool tls);

private:
  struct state;
  std::shared_ptr<state> state_;
  caf::actor_system& system_;
  std::string address_;
  bool tls_;
};

} // namespace baton::app
