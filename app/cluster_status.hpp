#pragma once

#include <span>
#include <string>

#include "engine/storage/postgres_leases.hpp"

namespace baton::app {

/// What `baton cluster status` prints: one line per node (serving,
/// standing by, or gone with shards still held), then the free shards.
///
///   16 shards
///   n1  serves 16 shards (epoch 3); lease 2.7 s left
///   n2  stands by; lease 2.9 s left
///
/// `spread` (cluster.spread): a live node with no shard "holds no shard"
/// rather than standing by, since it serves clients all the same. `cuts`:
/// each node's live votes, said as whom it is cut off from and for how
/// long ("; cut off from n2 (4.1 s)").
std::string
describe_cluster(std::span<const engine::storage::cluster_member>,
                 std::span<const engine::storage::shard_owner>,
                 bool spread = false,
                 std::span<const engine::storage::cluster_cut> cuts = {});

} // namespace baton::app
