#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/storage/shard_fence.hpp"
#include "engine/types.hpp"

struct pg_conn;

namespace baton::engine::storage {

/// A node as the cluster's tables know it.
struct cluster_member {
  std::string node;
  std::int64_t incarnation = 0;
  /// How long its lease still runs, by the database's clock; zero or less
  /// once it has run out.
  duration_ms lease_left_ms = 0;
};

/// A shard, its owner (empty when free) and the epoch of its last claim.
struct shard_owner {
  std::uint32_t shard = 0;
  std::string owner;
  std::int64_t incarnation = 0;
  std::uint64_t epoch = 0;
  bool owner_live = false;
};

/// The cluster's membership and shard ownership in PostgreSQL
/// (docs/cluster.md): each node's lease, each shard's owner and epoch, and
/// the fence every journal write passes. Times are the database's, so the
/// nodes' clocks need not agree. Blocking; one thread at a time.
class postgres_leases {
public:
  enum class access { keep, read_only };

  /// Connects and, to keep leases, creates the tables and functions;
  /// throws store_error. `read_only` (`baton cluster status`) creates
  /// nothing.
  explicit postgres_leases(const std::string& url, access a = access::keep);
  ~postgres_leases();
  postgres_leases(const postgres_leases&) = delete;
  postgres_leases& operator=(const postgres_leases&) = delete;

  /// Makes the `shards` rows the first time; throws store_error when the
  /// cluster was made with another number.
  void prepare(std::uint32_t shards);

  /// Takes `node` for this incarnation with a lease of `expiry`; false while
  /// another process holds it on a live lease.
  bool join(const std::string& node, std::int64_t incarnation,
            duration_ms expiry);

  /// Extends the lease to `expiry` from now; nothing when it had already run
  /// out or another incarnation took the node id: the lease is lost.
  std::optional<duration_ms>
  renew(const std::string& node, std::int64_t incarnation, duration_ms expiry);

  /// Claims every shard, each with its epoch one higher, once no other node
  /// holds any on a live lease; waits for the writes under way of the
  /// owners it takes from. Empty when another node serves, or when this
  /// node's own lease has run out.
  std::vector<held_shard> claim_all(const std::string& node,
                                    std::int64_t incarnation);

  /// Frees this incarnation's shards and leaves the cluster.
  void release(const std::string& node, std::int64_t incarnation);

  std::vector<cluster_member> members();
  std::vector<shard_owner> shards();

private:
  pg_conn* connection();

  std::string url_;
  pg_conn* conn_ = nullptr;
};

} // namespace baton::engine::storage
