#include "engine/cluster/shards.hpp"

namespace baton::engine::cluster {

std::uint32_t shard_of(std::string_view id, std::uint32_t count) noexcept {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : id) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return count == 0 ? 0 : static_cast<std::uint32_t>(hash % count);
}

} // namespace baton::engine::cluster
