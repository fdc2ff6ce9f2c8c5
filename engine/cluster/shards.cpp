#include "engine/cluster/shards.hpp"

namespace baton::engine::cluster {

std::uint64_t id_hash(std::string_view more, std::uint64_t from) noexcept {
  for (unsigned char c : more) {
    from ^= c;
    from *= 1099511628211ULL;
  }
  return from;
}

std::uint64_t id_hash(std::string_view id) noexcept {
  return id_hash(id, 14695981039346656037ULL);
}

std::uint32_t shard_of(std::string_view id, std::uint32_t count) noexcept {
  return count == 0 ? 0 : static_cast<std::uint32_t>(id_hash(id) % count);
}

shard_set::shard_set(std::uint32_t count,
                     const std::vector<std::uint32_t>& held)
  : count_(count), held_(count, false) {
  for (auto shard : held)
    if (shard < count)
      held_[shard] = true;
}

bool shard_set::holds(std::string_view id) const noexcept {
  return count_ == 0 || held_[shard_of(id, count_)];
}

} // namespace baton::engine::cluster
