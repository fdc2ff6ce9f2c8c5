#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "actors/metrics.hpp"
#include "engine/config/config.hpp"
#include "engine/storage/shard_fence.hpp"

namespace baton::engine::storage {
class postgres_leases;
}

namespace baton::app {

/// Keeps this node's lease in the cluster's database (docs/cluster.md), on
/// a thread of its own: joins, renews every `lease_renew_ms`, and while the
/// node stands by claims the shards as soon as no other node holds them. A
/// second thread watches the lease: a node that has not renewed it for
/// `lease_expiry_ms - lease_renew_ms` is told to stop (the fence's
/// `on_lost`), before the database could let another node take over.
class lease_keeper {
public:
  lease_keeper(const engine::config::cluster_settings& settings,
               std::string url,
               std::shared_ptr<engine::storage::shard_fence> fence,
               std::shared_ptr<actors::cluster_metrics> metrics);
  ~lease_keeper();
  lease_keeper(const lease_keeper&) = delete;
  lease_keeper& operator=(const lease_keeper&) = delete;

  /// Starts the threads; `activated` is called on the keeper's thread once
  /// this node holds every shard.
  void start(std::function<void()> activated);

  bool active() const noexcept {
    return active_.load();
  }

  /// Stops the threads, then frees the shards and leaves the cluster, so
  /// a standby takes over at once. Only once this node writes no more.
  void leave();

private:
  void keep();
  void watch();
  void renew(engine::storage::postgres_leases& leases);
  bool wait_for(std::chrono::milliseconds d);
  std::chrono::milliseconds next_round() const;

  engine::config::cluster_settings settings_;
  std::string url_;
  std::shared_ptr<engine::storage::shard_fence> fence_;
  std::shared_ptr<actors::cluster_metrics> metrics_;
  std::function<void()> activated_;
  std::atomic<bool> active_{false};
  bool joined_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread keeper_;
  std::thread watchdog_;
};

} // namespace baton::app
