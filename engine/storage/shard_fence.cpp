#include "engine/storage/shard_fence.hpp"

#include <utility>

namespace baton::engine::storage {

shard_fence::shard_fence(std::string node, std::int64_t incarnation,
                         std::uint32_t shard_count)
  : node_(std::move(node)),
    incarnation_(incarnation),
    shard_count_(shard_count),
    epochs_(shard_count, 0),
    released_at_(shard_count, 0) {
}

void shard_fence::hold(std::span<const held_shard> claimed) {
  std::lock_guard lock{mutex_};
  for (const auto& s : claimed) {
    if (s.shard >= shard_count_)
      continue;
    if (epochs_[s.shard] == 0)
      ++held_;
    epochs_[s.shard] = s.epoch;
  }
}

void shard_fence::release(std::span<const std::uint32_t> which) {
  std::lock_guard lock{mutex_};
  for (auto shard : which)
    if (shard < shard_count_ && epochs_[shard] != 0) {
      released_at_[shard] = epochs_[shard];
      epochs_[shard] = 0;
      --held_;
    }
}

std::vector<std::uint32_t> shard_fence::held_shards() const {
  std::lock_guard lock{mutex_};
  std::vector<std::uint32_t> out;
  out.reserve(held_);
  for (std::uint32_t shard = 0; shard < shard_count_; ++shard)
    if (epochs_[shard] != 0)
      out.push_back(shard);
  return out;
}

void shard_fence::release_all() {
  std::lock_guard lock{mutex_};
  for (std::uint32_t shard = 0; shard < shard_count_; ++shard)
    if (epochs_[shard] != 0)
      released_at_[shard] = std::exchange(epochs_[shard], 0);
  held_ = 0;
}

std::optional<std::uint64_t> shard_fence::epoch_of(std::uint32_t shard) const {
  std::lock_guard lock{mutex_};
  if (shard >= shard_count_ || epochs_[shard] == 0)
    return std::nullopt;
  return epochs_[shard];
}

std::vector<std::uint32_t>
shard_fence::not_held(std::span<const std::uint32_t> shards) const {
  std::lock_guard lock{mutex_};
  std::vector<std::uint32_t> out;
  for (auto shard : shards)
    if (shard < shard_count_ && epochs_[shard] == 0)
      out.push_back(shard);
  return out;
}

void shard_fence::learn(std::span<const held_shard> owned) {
  std::lock_guard lock{mutex_};
  for (const auto& s : owned)
    if (s.shard < shard_count_ && epochs_[s.shard] == 0
        && s.epoch > released_at_[s.shard]) {
      epochs_[s.shard] = s.epoch;
      ++held_;
    }
}

std::size_t shard_fence::held() const {
  std::lock_guard lock{mutex_};
  return held_;
}

void shard_fence::renewed(clock::time_point until) {
  std::lock_guard lock{mutex_};
  safe_until_ = std::max(safe_until_, until);
}

shard_fence::clock::time_point shard_fence::safe_until() const {
  std::lock_guard lock{mutex_};
  return safe_until_;
}

void shard_fence::on_lost(std::function<void(const std::string&)> f) {
  std::lock_guard lock{mutex_};
  on_lost_ = std::move(f);
}

void shard_fence::lose(const std::string& why) {
  std::function<void(const std::string&)> f;
  {
    std::lock_guard lock{mutex_};
    if (lost_)
      return;
    lost_ = true;
    f = on_lost_;
  }
  if (f)
    f(why);
}

} // namespace baton::engine::storage
