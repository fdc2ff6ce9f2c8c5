#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/limits.hpp"
#include "engine/types.hpp"

/// What the routing core counts, for `/metrics` (docs/protocol.md,
/// "Metrics"). Lock-free: actors on any thread add, the scrape reads.
namespace baton::actors {

class gauge {
public:
  void add(std::int64_t n) noexcept {
    value_.fetch_add(n, std::memory_order_relaxed);
  }
  void set(std::int64_t n) noexcept {
    value_.store(n, std::memory_order_relaxed);
  }
  std::int64_t get() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<std::int64_t> value_{0};
};

/// A Prometheus histogram with fixed buckets, in seconds.
class histogram {
public:
  explicit histogram(std::vector<double> upper_bounds);

  void observe(double seconds) noexcept;

  struct snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative; ///< one per bound, then +Inf
    double sum = 0;
  };
  snapshot read() const;

private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_; ///< bounds + 1
  std::atomic<std::uint64_t> sum_micros_{0};
};

/// The label values of `baton_offers_total{result}`.
enum class offer_result : std::uint8_t {
  accepted,
  rejected,
  timeout,
  taken,
  cancelled,
  abandoned,
};
inline constexpr std::size_t offer_result_count = 6;
std::string_view to_string(offer_result r) noexcept;

/// A node of a cluster (docs/cluster.md), as its lease keeper sees it.
struct cluster_metrics {
  cluster_metrics();

  /// Shards this node owns: all of them while it serves, none standing by.
  gauge shards_held;
  /// Each renewal of the lease, from asking the database to its answer.
  histogram lease_renew_latency;
  /// Renewals that failed (the database did not answer or refused).
  gauge lease_renew_failures;
  /// This node's clock less the database's, in milliseconds, at the last
  /// renewal (taken at the middle of its round trip), and how many
  /// renewals read it: none, no offset is known.
  gauge clock_offset_ms;
  gauge clock_offsets_read;
  /// Times this node took the shards over, from a node whose lease ran out
  /// or that handed them over.
  gauge takeovers;
  /// Shards this node gave up to even the cluster out (cluster.spread: a
  /// node joined with fewer than its share).
  gauge shards_given_up;
  /// Spread: the nodes this node is cut off from now (their links broke
  /// while their leases lived), and those its vote took down
  /// (docs/cluster.md, "Partitions").
  gauge nodes_cut_off;
  gauge votes_down;
  /// Requests of this node's sessions answered by another node's core
  /// while it relays, from asking to the answer (or to giving up).
  histogram relayed_request_latency;
  /// 1 while this node relays to a core whose store fails, as that core
  /// said when last asked: /readyz answers 503 here too.
  gauge core_store_failing;
};

struct routing_metrics {
  /// Queue ids of the configuration, in order: the labels of `waiting`.
  explicit routing_metrics(const std::vector<std::string>& queue_ids);

  gauge conversations_active;
  /// Conversation actors in memory: the open ones, and closed ones not yet
  /// retired to the store.
  gauge conversation_actors;
  /// Open conversations out of memory but for the directory's record
  /// (passivated): they come back with the next message for them.
  gauge conversations_asleep;
  /// Inboxes of customers, supervisors and bots in memory: those with a
  /// session, an open conversation, or one in memory they take part in.
  gauge user_inboxes;
  /// Conversations' timers the timers actor holds, each until it runs out
  /// (offers, consent, retirement, idleness).
  gauge timers_pending;
  /// 1 while the store fails: the journal's last commit, or the reader's
  /// last read. `/readyz` answers 503 meanwhile.
  gauge store_write_failing;
  gauge store_read_failing;
  /// Events applied in memory and not yet committed. Past
  /// `storage.max_pending_events`, changes are refused (`unavailable`).
  gauge journal_pending;
  /// Client reads waiting for the reader (history, explain, resume,
  /// attribution). Past `storage.max_pending_reads`, they are refused.
  gauge store_reads_pending;
  /// This node's store fails, or (a relay) the core's it relays to.
  bool store_failing() const noexcept {
    return store_write_failing.get() != 0 || store_read_failing.get() != 0
           || (cluster && cluster->core_store_failing.get() != 0);
  }
  /// Refusals by the routing core's bounds (open conversations, messages).
  std::array<gauge, engine::limit_count> limit_refusals;
  void count_refusal(engine::limit l) noexcept {
    limit_refusals[static_cast<std::size_t>(l)].add(1);
  }
  std::map<std::string, gauge> conversations_waiting; ///< by queue
  std::array<gauge, 3> agents;                        ///< by agent_status
  std::array<gauge, offer_result_count> offers;
  std::array<gauge, 2> messages; ///< by visibility
  /// From entering a queue to an accepted offer.
  histogram route_latency;
  /// Set on a node of a cluster; null otherwise.
  std::shared_ptr<const cluster_metrics> cluster;

  void count_offer(offer_result r) noexcept {
    offers[static_cast<std::size_t>(r)].add(1);
  }

  /// Transfers, conferences and assignments, by how they ended.
  static constexpr std::size_t transfer_results = 4;
  std::array<gauge, 3 * transfer_results> transfers;

  /// The slot of a kind (transfer, conference, assign) and a result.
  static std::size_t transfer_slot(engine::offer_kind kind,
                                   engine::transfer_result result) noexcept {
    std::size_t k = kind == engine::offer_kind::conference ? 1
                    : kind == engine::offer_kind::assign   ? 2
                                                           : 0;
    return k * transfer_results + static_cast<std::size_t>(result);
  }
  void count_transfer(engine::offer_kind kind,
                      engine::transfer_result result) noexcept {
    transfers[transfer_slot(kind, result)].add(1);
  }
};

} // namespace baton::actors
