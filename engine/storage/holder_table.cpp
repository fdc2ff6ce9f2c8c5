#include "engine/storage/holder_table.hpp"

namespace baton::engine::storage {

std::optional<holder_table> holders_of(std::span<const shard_owner> shards,
                                       std::uint32_t shard_count) {
  holder_table table;
  table.addresses.resize(shard_count);
  table.incarnations.resize(shard_count);
  table.epochs.resize(shard_count);
  std::vector<bool> seen(shard_count, false);
  for (const auto& s : shards) {
    if (s.shard >= shard_count || !s.owner_live || s.address.empty())
      return std::nullopt;
    seen[s.shard] = true;
    table.addresses[s.shard] = s.address;
    table.incarnations[s.shard] = s.incarnation;
    table.epochs[s.shard] = s.epoch;
    table.version += s.epoch;
  }
  for (bool each : seen)
    if (!each)
      return std::nullopt;
  return table;
}

} // namespace baton::engine::storage
