#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "caf/fwd.hpp"

#include "engine/storage/holder_table.hpp"

namespace baton::app {

/// Tells this node's directory each table of holders its lease keeper
/// reads from the database (cluster.spread; docs/cluster.md, "Joining"),
/// every owner's address resolved to that node's directory through its
/// locator (core_locator::find_core), and found run by the process the
/// table names. On a thread of its own, since each look-up blocks. Only the
/// latest table matters: one that comes while another is being resolved
/// replaces it. A node that does not answer is asked again each `patience`
/// until it does or a newer table comes; and while a node the table names
/// is cut off, the table is told again each `patience`, which reaches it
/// again once the link is back.
class holders_teller {
public:
  /// `own_address`: this node's cluster.listen as published, whose
  /// directory is this node's own, run by `own_incarnation`.
  holders_teller(caf::actor_system& system, std::string own_address,
                 std::int64_t own_incarnation,
                 std::chrono::milliseconds patience);
  ~holders_teller();
  holders_teller(const holders_teller&) = delete;
  holders_teller& operator=(const holders_teller&) = delete;

  /// From now on tables go to `directory`, this node's routing core's;
  /// one told before waits until then.
  void serve(const caf::actor& directory);

  /// A newer table of holders, from the lease keeper.
  void tell(engine::storage::holder_table table);

  /// Asks the directory to give `shards` (held at `epochs`) up, to even the
  /// cluster out; `done` hears whether it did (any thread), false at once
  /// before the directory is served.
  void give_up(std::vector<std::uint32_t> shards,
               std::vector<std::uint64_t> epochs,
               std::function<void(bool)> done);

  /// The processes this node is cut off from, each as its address and
  /// incarnation: holders the last table told names whose link broke
  /// while their leases may live on (CAF does not link them again: they
  /// stay cut off until the table is told again over a new link, or a
  /// newer one is), for the lease keeper to vote down each round
  /// (docs/cluster.md, "Partitions"). Any thread.
  using process = std::pair<std::string, std::int64_t>;
  std::vector<process> cut_offs() const;

  /// Whether the directory was told a table: until then it answers every
  /// request "this node is starting".
  bool told() const noexcept {
    return told_once_.load();
  }

private:
  void run();
  /// The table resolved and told, or false when a node did not answer (or
  /// the thread is stopping).
  bool resolve_and_tell(const engine::storage::holder_table& table,
                        const caf::actor& own);

  caf::actor_system& system_;
  const std::string own_address_;
  const std::int64_t own_incarnation_;
  const std::chrono::milliseconds patience_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::unique_ptr<caf::actor> directory_;
  std::optional<engine::storage::holder_table> latest_;
  /// The last table told, told again while a holder it names is cut off.
  std::optional<engine::storage::holder_table> last_told_;
  /// Whether a holder of the table told is cut off; mutex_ held.
  bool cut_off_now() const;
  /// Whether a newer table waits to be told (or the thread stops).
  bool newer_waiting() const;
  /// Watches the holders of the table told, replacing the watcher of the
  /// one before.
  void watch(const engine::storage::holder_table& table,
             const std::vector<caf::actor>& holders);
  /// One per table told, shared with its watcher; guarded by mutex_.
  struct cut_off_set;
  std::shared_ptr<cut_off_set> cut_offs_;
  std::unique_ptr<caf::actor> watcher_;
  /// Counts the tables told: a newer one ends a pause before a retry.
  std::uint64_t told_count_ = 0;
  /// A table went to the directory at least once.
  std::atomic<bool> told_once_{false};
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace baton::app
