#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"

namespace baton::app {

/// What a node of a cluster publishes on `cluster.listen` through CAF's
/// middleman: an actor that tells the other nodes where the routing core
/// this node runs can be reached (its directory), or that it runs none
/// (standing by). The other nodes' relays (relay.hpp) ask it.
class core_locator {
public:
  /// Publishes on `listen` (host:port; port 0: any free one). Throws
  /// std::runtime_error when it cannot.
  core_locator(caf::actor_system& system, const std::string& listen);
  ~core_locator();
  core_locator(const core_locator&) = delete;
  core_locator& operator=(const core_locator&) = delete;

  /// host:port as published, the port bound.
  const std::string& address() const noexcept {
    return address_;
  }

  /// From now on this node's core is `directory`, whose store fails while
  /// `store_failing` says so, run by this process's `incarnation` (its
  /// lease's); none (an invalid handle): it runs no core.
  void serve(const caf::actor& directory,
             std::function<bool()> store_failing = {},
             std::int64_t incarnation = 0);

  /// A core found: its directory, the locator that gave it out (which
  /// also says how its store fares) and the incarnation of the process
  /// that runs it, to tell it from one that ran there before.
  struct found_core {
    caf::actor locator;
    caf::actor directory;
    std::int64_t incarnation = 0;
  };

  /// The core the node at `address` runs, asked within `patience`; or why
  /// not (unreachable, or it runs none).
  static std::variant<found_core, std::string>
  find_core(caf::actor_system& system, const std::string& address,
            std::chrono::milliseconds patience);

  /// Asks `locator` (from `self`, within `patience`) whether its core's
  /// store fails; `answer` hears it. No answer (the core gone, or slow)
  /// calls nothing: the core's watcher sees it go.
  static void ask_store_failing(caf::event_based_actor* self,
                                const caf::actor& locator,
                                std::chrono::milliseconds patience,
                                std::function<void(bool)> answer);

private:
  struct state;
  std::shared_ptr<state> state_;
  caf::actor_system& system_;
  std::string address_;
};

} // namespace baton::app
