#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/storage/store.hpp"

namespace baton::engine::storage {

/// A write was refused because this node no longer holds a shard it wrote
/// to: another node took it over (docs/cluster.md, "Fencing").
struct fenced_error : store_error {
  using store_error::store_error;
};

/// One shard and the epoch it was claimed at.
struct held_shard {
  std::uint32_t shard = 0;
  std::uint64_t epoch = 0;

  bool operator==(const held_shard&) const = default;
};

/// What this node holds of the cluster's shards, as its lease keeper last
/// learned it from the database. The keeper writes it; the store reads it
/// to fence every write with the epochs held. Thread-safe.
class shard_fence {
public:
  using clock = std::chrono::steady_clock;

  shard_fence(std::string node, std::int64_t incarnation,
              std::uint32_t shard_count);

  const std::string& node() const noexcept {
    return node_;
  }
  /// Tells this process from an earlier one with the same node id.
  std::int64_t incarnation() const noexcept {
    return incarnation_;
  }
  std::uint32_t shard_count() const noexcept {
    return shard_count_;
  }

  void hold(std::span<const held_shard> claimed);
  /// Forgets these shards: a write to one of them is refused from now on.
  void release(std::span<const std::uint32_t> which);
  void release_all();
  /// The shards held, lowest first.
  std::vector<std::uint32_t> held_shards() const;
  /// The epoch `shard` is held at; nothing when it is not held.
  std::optional<std::uint64_t> epoch_of(std::uint32_t shard) const;
  /// Of `shards`, those not held.
  std::vector<std::uint32_t>
  not_held(std::span<const std::uint32_t> shards) const;
  /// Holds those of `owned` (as the database says this process owns them)
  /// not held yet: a claim it committed whose answer never arrived. One
  /// given up is held again only at a later epoch than it was given up
  /// at, i.e. claimed again: its writers stopped before it was given up.
  void learn(std::span<const held_shard> owned);
  std::size_t held() const;

  /// The last renewal: the lease is safe to serve on until `until`.
  void renewed(clock::time_point until);
  clock::time_point safe_until() const;

  /// Called once, with the reason, when the node must stop serving: its
  /// lease could not be renewed in time, or a write was fenced.
  void on_lost(std::function<void(const std::string&)> f);
  void lose(const std::string& why);

private:
  const std::string node_;
  const std::int64_t incarnation_;
  const std::uint32_t shard_count_;
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> epochs_;      ///< per shard; 0: not held
  std::vector<std::uint64_t> released_at_; ///< per shard: epoch given up at
  std::size_t held_ = 0;
  clock::time_point safe_until_{};
  std::function<void(const std::string&)> on_lost_;
  bool lost_ = false;
};

} // namespace baton::engine::storage
