#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

/// How conversations, queues and agents are spread over a cluster's nodes
/// (docs/cluster.md).
namespace baton::engine::cluster {

/// Which of `count` shards `id` belongs to. FNV-1a: the same on every
/// machine, build and version, since the answer is kept in the database
/// with each shard's owner.
std::uint32_t shard_of(std::string_view id, std::uint32_t count) noexcept;

/// The hash shard_of reduces, FNV-1a over `id`'s bytes, carried on from
/// `from` (another id's head's hash) when given: a search over an id's last
/// characters hashes its head once.
std::uint64_t id_hash(std::string_view id) noexcept;
std::uint64_t id_hash(std::string_view more, std::uint64_t from) noexcept;

/// The shards one holder (a directory) holds, of all `count`. Made with no
/// shards, it holds every id, as a node alone does.
class shard_set {
public:
  shard_set() = default;
  /// `held` lists shard numbers; those not below `count` are ignored.
  shard_set(std::uint32_t count, const std::vector<std::uint32_t>& held);

  bool holds(std::string_view id) const noexcept;
  bool holds_shard(std::uint32_t shard) const noexcept {
    return count_ == 0 || (shard < count_ && held_[shard]);
  }
  /// Holds `shard` from now on: it was another holder's (ignored when not
  /// below count()).
  void take(std::uint32_t shard) {
    if (shard < count_)
      held_[shard] = true;
  }
  /// Holds `shard` no more: it goes to another holder.
  void give(std::uint32_t shard) {
    if (shard < count_)
      held_[shard] = false;
  }
  /// Whether the shards are shared with other holders.
  bool spread() const noexcept {
    return count_ != 0;
  }
  std::uint32_t count() const noexcept {
    return count_;
  }

private:
  std::uint32_t count_ = 0;
  std::vector<bool> held_;
};

} // namespace baton::engine::cluster
