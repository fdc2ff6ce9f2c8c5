#pragma once

#include <cstdint>
#include <optional>
#include <span>
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
  /// Where it takes the other nodes' calls (cluster.listen); empty: nowhere.
  std::string address;
  /// Its clock less the database's, as its last renewal said; none before
  /// one did.
  std::optional<duration_ms> clock_offset_ms;
  /// The node that voted it down (vote_down); empty: none did.
  std::string downed_by;
};

/// A node cut off from another, as its vote says (vote_down).
struct cluster_cut {
  std::string voter;
  std::string target;
  /// Since the vote was first cast, cast again all along since.
  duration_ms lasted_ms = 0;

  friend bool operator==(const cluster_cut&, const cluster_cut&) = default;
};

/// A renewed lease: how long it runs now, by the database's clock, how
/// many shards this incarnation still owns, how many nodes are live, and
/// the database's clock when it renewed (Unix milliseconds).
struct renewal {
  duration_ms lease_left_ms = 0;
  std::size_t shards_held = 0;
  std::size_t live_nodes = 0;
  time_ms database_now_ms = 0;
};

/// The node that serves, on a live lease, and where it takes other nodes'
/// calls (empty: it takes none).
struct serving_node {
  std::string node;
  std::int64_t incarnation = 0;
  std::string address;

  bool operator==(const serving_node&) const = default;
};

/// A shard, its owner (empty when free) and the epoch of its last claim.
struct shard_owner {
  std::uint32_t shard = 0;
  std::string owner;
  std::int64_t incarnation = 0;
  std::uint64_t epoch = 0;
  bool owner_live = false;
  /// Where the owner takes other nodes' calls; empty: nowhere, or no live
  /// owner.
  std::string address;
};

/// The cluster's membership and shard ownership in PostgreSQL
/// (docs/cluster.md): each node's lease, each shard's owner and epoch, and
/// the fence every journal write passes. Times are the database's, so the
/// nodes' clocks need not agree. Blocking; one thread at a time.
class postgres_leases {
public:
  enum class access { make_tables, tables_exist };

  /// Connects and, with `make_tables`, creates the tables and functions;
  /// throws store_error. `tables_exist` (`baton cluster status`, a
  /// release) creates nothing.
  explicit postgres_leases(const std::string& url,
                           access a = access::make_tables);
  ~postgres_leases();
  postgres_leases(const postgres_leases&) = delete;
  postgres_leases& operator=(const postgres_leases&) = delete;

  /// Every statement from now on gives up after `limit` (a claim waiting
  /// on a lock, a server that stopped answering), on this connection and
  /// on each one it makes again.
  void limit_statements(duration_ms limit);

  /// Makes the `shards` rows the first time; throws store_error when the
  /// cluster was made with another number.
  void prepare(std::uint32_t shards);

  /// Takes `node` for this incarnation with a lease of `expiry`, taking
  /// other nodes' calls at `address` (empty: none); false while another
  /// process holds it on a live lease.
  bool join(const std::string& node, std::int64_t incarnation,
            duration_ms expiry, const std::string& address = {});
  /// The node that holds the shards on a live lease, if any.
  std::optional<serving_node> serving();

  /// Extends the lease to `expiry` from now, noting the node's clock offset
  /// when known (for `baton cluster status`); nothing when it had already
  /// run out or another incarnation took the node id: the lease is lost.
  std::optional<renewal>
  renew(const std::string& node, std::int64_t incarnation, duration_ms expiry,
        std::optional<duration_ms> clock_offset_ms = std::nullopt);

  /// `node` (this incarnation) is cut off from the process at `address`
  /// (of `other_incarnation`) while both leases live, and votes so; once
  /// more than half the other live nodes not voted down have voted so
  /// within `lasting`, that process renews no more, so it stops and its
  /// shards move as a dead node's (docs/cluster.md, "Partitions"). A node
  /// cut off votes again each round, and a vote older than `lasting`
  /// counts no more. Cuts no majority settles: once the votes lasted
  /// `3 × lasting` both ways, of two nodes cut off from each other only
  /// the one voted against first goes down, and a node cut off from some
  /// of many, each of them cut off from it only, goes. Votes are taken one
  /// at a time, none while a claim holds the cluster's lock (false: cast
  /// it again later), and only from a live node not voted down itself.
  /// Whether it was voted down now.
  bool vote_down(const std::string& node, std::int64_t incarnation,
                 const std::string& address, std::int64_t other_incarnation,
                 duration_ms lasting);

  /// The votes of live nodes against live nodes cast again within
  /// `lasting` (the cuts between them now), by voter, then target.
  std::vector<cluster_cut> cuts(duration_ms lasting);

  /// Claims every shard, each with its epoch one higher, once no other node
  /// holds any on a live lease; waits for renewals, for another claim and
  /// for the writes under way of the owners it takes from, each for `wait`
  /// at most: a lock not taken by then, and it claims nothing now. Returns
  /// every shard this incarnation holds (an earlier claim's too, whose
  /// answer may have been lost); empty when another node serves, or when
  /// this node's own lease has run out.
  std::vector<held_shard> claim_all(const std::string& node,
                                    std::int64_t incarnation, duration_ms wait);

  /// Claims this node's fair share, `ceil(shards / live nodes)`, from the
  /// shards that are free or whose owner's lease ran out, with the same
  /// waits as `claim_all`; takes nothing from a live owner. Returns every
  /// shard this incarnation holds; empty when its own lease has run out.
  std::vector<held_shard> claim_share(const std::string& node,
                                      std::int64_t incarnation,
                                      duration_ms wait);

  /// Frees these of this incarnation's shards, after its writes to them
  /// under way; it stays in the cluster with the rest.
  void release_shards(const std::string& node, std::int64_t incarnation,
                      std::span<const std::uint32_t> which);

  /// Frees this incarnation's shards and leaves the cluster.
  void release(const std::string& node, std::int64_t incarnation);

  std::vector<cluster_member> members();
  std::vector<shard_owner> shards();

private:
  pg_conn* connection();
  std::vector<held_shard> claim(const char* function, const std::string& node,
                                std::int64_t incarnation, duration_ms wait);

  void set_statement_limit(duration_ms limit);

  std::string url_;
  pg_conn* conn_ = nullptr;
  std::optional<duration_ms> statement_limit_;
};

} // namespace baton::engine::storage
