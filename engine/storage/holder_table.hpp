#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/storage/postgres_leases.hpp"

namespace baton::engine::storage {

/// Who holds each shard, as the cluster's database says: where each
/// shard's owner takes the other nodes' calls, and as the table's version
/// the sum of the shards' epochs. An epoch only grows and every claim
/// raises one, so of two tables read one after the other the later has the
/// larger version (docs/cluster.md, "Joining").
struct holder_table {
  std::uint64_t version = 0;
  /// By shard: its owner's address (cluster.listen), and the incarnation
  /// of the owner's process, to tell it from one that ran there before.
  std::vector<std::string> addresses;
  std::vector<std::int64_t> incarnations;
  /// By shard: the epoch its owner holds it at. A node that gave a shard up
  /// tells a table naming it from the old epoch (read before its release)
  /// from one after a claim of its own.
  std::vector<std::uint64_t> epochs;

  bool operator==(const holder_table&) const = default;
};

/// The table `shards` (every shard's row, any order) make; none while a
/// shard has no live owner that takes calls, or a row is missing: there is
/// nothing whole to tell the directories yet.
std::optional<holder_table> holders_of(std::span<const shard_owner> shards,
                                       std::uint32_t shard_count);

} // namespace baton::engine::storage
