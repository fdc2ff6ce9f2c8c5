#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "actors/metrics.hpp"
#include "engine/config/config.hpp"
#include "engine/storage/shard_fence.hpp"

namespace baton::engine::storage {
class postgres_leases;
struct serving_node;
struct holder_table;
} // namespace baton::engine::storage

namespace baton::app {

/// Keeps this node's lease in the cluster's database (docs/cluster.md), on
/// a thread of its own: joins, renews every `lease_renew_ms`, and while the
/// node stands by claims the shards as soon as no other node holds them. A
/// second thread watches the lease: a node whose last successful renewal
/// was asked `lease_expiry_ms - lease_renew_ms / 2` ago is told to stop
/// (the fence's `on_lost`), before the database could let another node
/// take over; so is one whose shards another node holds.
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
  /// this node holds every shard. `address`: where this node takes other
  /// nodes' calls (cluster.listen, its port bound), written with its lease.
  /// `serving_changed`, if any, is called on the keeper's thread while this
  /// node stands by, whenever the node that serves (or its incarnation)
  /// changes; `serving()` says which.
  void start(std::function<void()> activated, std::string address = {},
             std::function<void()> serving_changed = {});

  /// Asks this node's directory to give shards up, held at these epochs;
  /// the last argument hears whether it did, on any thread.
  using give_up_fn
    = std::function<void(std::vector<std::uint32_t>, std::vector<std::uint64_t>,
                         std::function<void(bool)>)>;

  /// With cluster.spread: the node serves from its join on (`joined`),
  /// claims its fair share of the shards (when the cluster comes up, with
  /// no live owner, once cluster.expected_nodes are live or
  /// bring_up_patience after it joined), and claims again each look from
  /// the shards whose owner is gone. `table_changed`
  /// hears each table of holders the database gives, newer than the last,
  /// once it names a live owner for every shard; both on the keeper's
  /// thread. Holding more than its share (a node joined), it has its
  /// directory give the excess up (`give_up`), then frees it for the
  /// others to claim.
  void
  start_spread(std::function<void()> joined, std::string address,
               std::function<void(engine::storage::holder_table)> table_changed,
               give_up_fn give_up);

  /// Spread: where the keeper learns, each round, of the processes this
  /// node is cut off from (address, incarnation): it votes each down
  /// again (postgres_leases::vote_down), so that once most live nodes say
  /// so it renews no more and its shards move. Set before start_spread.
  using process = std::pair<std::string, std::int64_t>;
  using cut_offs_fn = std::function<std::vector<process>()>;
  void take_cut_offs_from(cut_offs_fn source) {
    cut_offs_ = std::move(source);
  }

  /// Spread: claims no more shards and tells no more tables (the node
  /// drains: what it claimed now would have no directory to run it).
  void stop_claiming() noexcept {
    claiming_ = false;
  }

  bool active() const noexcept {
    return active_.load();
  }

  /// The node that serves, as this standby last read it; none while nobody
  /// does (or before the first look).
  std::optional<engine::storage::serving_node> serving() const;

  /// Stops the threads, then frees the shards and leaves the cluster, so
  /// a standby takes over at once. Only once this node writes no more.
  void leave();

private:
  using clock = std::chrono::steady_clock;

  void keep();
  void watch();
  /// Stops the keeper and the watchdog and waits for them.
  void stop_threads();
  /// Joins, or renews the lease, in the round asked at `asked`.
  void renew(engine::storage::postgres_leases& leases, clock::time_point asked);
  void note_clock_offset(std::chrono::system_clock::time_point sent,
                         std::chrono::system_clock::time_point received,
                         engine::time_ms database_now_ms);
  void claim(engine::storage::postgres_leases& leases);
  /// The node serves from now on: the watchdog watches its lease.
  void serve_now();
  /// Spread: claims what is due, and tells a newer table of holders.
  void spread_round(engine::storage::postgres_leases& leases);
  /// Spread: what evening the cluster out did this round.
  enum class evening {
    nothing,
    released, ///< shards freed: the owners read before are stale
  };
  /// Spread: asks the directory to give up what this node holds past its
  /// share, and frees it once the directory did.
  evening even_out(engine::storage::postgres_leases& leases, bool coming_up);
  /// Spread: the fence holds `held` (every shard this node holds).
  void hold(std::span<const engine::storage::held_shard> held);
  /// Spread: votes down each process this node is cut off from, again
  /// each round while it stays so.
  void cast_votes(engine::storage::postgres_leases& leases);
  /// A standby reads who serves, and says so when it changed.
  void look_who_serves(engine::storage::postgres_leases& leases);
  /// Until when a lease renewed at `asked` is safe to serve on.
  clock::time_point safe_until(clock::time_point asked) const;
  bool wait_until(clock::time_point t);
  std::chrono::milliseconds round_length() const;
  /// How long a claim waits on each lock it needs.
  std::chrono::milliseconds claim_wait() const;

  engine::config::cluster_settings settings_;
  std::string url_;
  std::shared_ptr<engine::storage::shard_fence> fence_;
  std::shared_ptr<actors::cluster_metrics> metrics_;
  std::function<void()> activated_;
  std::string address_;
  std::function<void()> serving_changed_;
  std::function<void(engine::storage::holder_table)> table_changed_;
  /// Spread: when it joined, how many nodes were live at the last renewal,
  /// and the version of the last table told.
  clock::time_point joined_at_{};
  std::size_t live_nodes_ = 0;
  std::atomic<bool> claiming_{true};
  std::uint64_t table_told_ = 0;
  /// Spread: the shards being given up, and the directory's answer (shared
  /// with the callback, which may run after the keeper is gone).
  give_up_fn give_up_;
  std::vector<std::uint32_t> giving_;
  std::shared_ptr<std::atomic<int>> giving_answer_;
  /// Guarded by mutex_: an incomplete type here, so held by pointer.
  std::shared_ptr<const engine::storage::serving_node> serving_;
  std::atomic<bool> active_{false};
  bool joined_ = false;
  /// The clock's offset from the database's is past the warning.
  bool clock_warned_ = false;
  /// The offset at the last renewal, for the database at the next.
  std::optional<engine::duration_ms> clock_offset_ms_;
  cut_offs_fn cut_offs_;
  /// Spread: the processes voted on, each logged once.
  std::set<process> voted_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread keeper_;
  std::thread watchdog_;
};

} // namespace baton::app
