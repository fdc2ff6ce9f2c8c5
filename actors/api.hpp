#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "actors/api/notifications.hpp"
#include "actors/api/replies.hpp"
#include "actors/api/requests.hpp"

namespace caf {
class actor;
class actor_system;
} // namespace caf

namespace baton::engine::config {
struct config;
} // namespace baton::engine::config

namespace baton::engine::storage {
class store;
} // namespace baton::engine::storage

/// The in-process API of the routing core: what the gateway calls. Typed
/// requests go in (actors/api/requests.hpp), exactly one reply comes back
/// per request (actors/api/replies.hpp), and events reach each connected
/// user through its sinks (actors/api/notifications.hpp). CAF only by name
/// in this header.
namespace baton::actors {

struct cluster_metrics;
struct routing_metrics;

/// Options that tests and benchmarks set; operators use the config.
struct service_options {
  /// Seeds the id generators and `random` strategy: fixed in tests. 0 (the
  /// default): ids come from the system's CSPRNG (unguessable).
  std::uint64_t seed = 0;
  /// Where conversations are kept across restarts; null: nowhere. The open
  /// ones in it are back before the service's constructor returns.
  std::shared_ptr<engine::storage::store> store;
  /// How many hubs carry the sessions' requests (and events from other
  /// nodes), each user's always through the same one. 0 (the default): one
  /// per scheduler worker, so no single actor caps the node.
  std::size_t hubs = 0;
  /// A node of a cluster: what its lease keeper counts, for /metrics.
  std::shared_ptr<const cluster_metrics> cluster;
  /// A node of a cluster that spreads the shards (cluster.spread): how
  /// many there are. Its directory starts holding none and takes those
  /// each table of holders gives it (tell_holders), bringing their open
  /// conversations back from the store then, not at the start; its hubs
  /// answer a request that another node leaves unanswered `unavailable`.
  std::uint32_t shared_shards = 0;
  /// A node of a cluster: whether its lease still holds by its own clock
  /// (runtime::lease_holds). Empty: always.
  std::function<bool()> lease_holds;
};

/// The routing core running in an actor system: one actor per conversation,
/// agent and queue, behind a directory. Or the front of one on another node:
/// the same calls, answered there.
class routing_service {
public:
  routing_service(caf::actor_system& system,
                  std::shared_ptr<const engine::config::config> cfg,
                  service_options options = {});
  /// The front of the routing core whose directory is `core` (another
  /// node's, through CAF's middleman): this process's sessions connect and
  /// submit here, the core answers and sends them their events. A request
  /// unanswered after `patience` is answered `unavailable`: a node that dies
  /// takes its requests with it. Reload and recovery are the core's. With
  /// `cluster`, /metrics shows the node's cluster figures, and each
  /// request's time to its answer is observed there.
  routing_service(caf::actor_system& system,
                  std::shared_ptr<const engine::config::config> cfg,
                  const caf::actor& core, std::chrono::milliseconds patience,
                  std::shared_ptr<cluster_metrics> cluster = nullptr);
  ~routing_service();

  routing_service(const routing_service&) = delete;
  routing_service& operator=(const routing_service&) = delete;

  /// A session of `who` opened: its events go to `sink` from now on. The
  /// reply (for `hello`) lists the user's open conversations and, for an
  /// agent, its open offers.
  void connect(const caller& who, sink_ptr sink, reply_fn done = {});
  /// The session closed. An agent with no session left goes offline after
  /// `routing.agent_disconnect_grace_ms`.
  void disconnect(const caller& who, const sink_ptr& sink);

  void submit(const caller& who, request r, reply_fn done);

  /// Applies a reloaded configuration (SIGHUP), already validated: topics,
  /// queues, agents, texts and timeouts, without dropping a session, an
  /// offer or a conversation. Returns at once; the actors switch over in
  /// message order.
  void reload(std::shared_ptr<const engine::config::config> cfg);

  /// Stops every actor of the service. A front returns once its hubs are
  /// done: no session is called back after.
  void shutdown();

  /// How many open conversations came back from the store at start.
  std::size_t recovered() const noexcept;

  /// What the routing core counts, for `/metrics`.
  const routing_metrics& metrics() const noexcept;

  /// The directory: the actor every request and session goes to. A node
  /// publishes it for another node's sessions (docs/architecture.md).
  caf::actor directory() const;

  /// True for the front of a core on another node.
  bool remote() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Tells `directory` (a routing core sharing the shards) the table of
/// holders as of `version`: by shard, the directory holding it, found on
/// its node (docs/cluster.md, "Joining"). An older table than the one it
/// has changes nothing.
void tell_holders(const caf::actor& directory,
                  const std::vector<caf::actor>& holders, std::uint64_t version,
                  std::vector<std::uint64_t> epochs);

/// Asks `directory` (a routing core sharing the shards) to give `shards`
/// up, held at `epochs`, to even the cluster out (docs/cluster.md,
/// "Evening out"); `done` hears, on a CAF worker, whether it did: true once
/// their conversations left memory with all they wrote stored and their
/// queues, agents and inboxes stopped; false on a refusal or after
/// `patience`.
void ask_to_give_up(caf::actor_system& system, const caf::actor& directory,
                    std::vector<std::uint32_t> shards,
                    std::vector<std::uint64_t> epochs,
                    std::chrono::milliseconds patience,
                    std::function<void(bool)> done);

} // namespace baton::actors
