#include "engine/cluster/shards.hpp"
#include "engine/storage/store.hpp"

namespace baton::engine::storage {

std::function<void(conversation_log&&)>
only_in_shards(std::span<const std::uint32_t> shards, std::uint32_t shard_count,
               const std::function<void(conversation_log&&)>& each) {
  std::vector<bool> wanted(shard_count, false);
  for (auto shard : shards)
    if (shard < shard_count)
      wanted[shard] = true;
  return
    [wanted = std::move(wanted), shard_count, each](conversation_log&& log) {
      if (shard_count > 0 && wanted[cluster::shard_of(log.id, shard_count)])
        each(std::move(log));
    };
}

} // namespace baton::engine::storage
