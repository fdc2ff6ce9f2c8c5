#include "engine/storage/holder_table.hpp"

#include <gtest/gtest.h>

namespace baton::engine::storage {
namespace {

shard_owner row(std::uint32_t shard, const std::string& node,
                std::uint64_t epoch) {
  return {shard, node, node == "n1" ? 11 : 12, epoch, true, node + ":7100"};
}

std::vector<shard_owner> three_shards() {
  return {row(2, "n2", 4), row(0, "n1", 1), row(1, "n1", 2)};
}

TEST(HolderTableTest, EachShardNamesItsOwnersAddressAndTheEpochsAddUp) {
  auto table = holders_of(three_shards(), 3);
  ASSERT_TRUE(table);
  EXPECT_EQ(table->addresses,
            (std::vector<std::string>{"n1:7100", "n1:7100", "n2:7100"}));
  EXPECT_EQ(table->incarnations, (std::vector<std::int64_t>{11, 11, 12}));
  EXPECT_EQ(table->epochs, (std::vector<std::uint64_t>{1, 2, 4}))
    << "by shard, whatever the rows' order";
  EXPECT_EQ(table->version, 7u);
}

TEST(HolderTableTest, AClaimAfterwardsMakesALaterVersion) {
  auto before = holders_of(three_shards(), 3);
  auto shards = three_shards();
  shards[0] = row(2, "n3", 5); // n3 took shard 2 over from n2
  auto after = holders_of(shards, 3);
  ASSERT_TRUE(before && after);
  EXPECT_GT(after->version, before->version);
  EXPECT_EQ(after->addresses[2], "n3:7100");
}

TEST(HolderTableTest, NothingIsWholeWhileAShardHasNoLiveOwnerThatTakesCalls) {
  auto dead = three_shards();
  dead[0].owner_live = false;
  EXPECT_FALSE(holders_of(dead, 3)) << "its owner's lease ran out";

  auto deaf = three_shards();
  deaf[1].address.clear();
  EXPECT_FALSE(holders_of(deaf, 3)) << "its owner takes no calls";

  auto missing = three_shards();
  missing.pop_back();
  EXPECT_FALSE(holders_of(missing, 3)) << "a shard with no row";

  EXPECT_FALSE(holders_of(three_shards(), 2)) << "a shard past the count";
}

} // namespace
} // namespace baton::engine::storage
