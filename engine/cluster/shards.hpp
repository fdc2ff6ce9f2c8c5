#pragma once

#include <cstdint>
#include <string_view>

/// How conversations, queues and agents are spread over a cluster's nodes
/// (docs/cluster.md).
namespace baton::engine::cluster {

/// Which of `count` shards `id` belongs to. FNV-1a: the same on every
/// machine, build and version, since the answer is kept in the database
/// with each shard's owner.
std::uint32_t shard_of(std::string_view id, std::uint32_t count) noexcept;

} // namespace baton::engine::cluster
