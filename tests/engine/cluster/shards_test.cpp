#include "engine/cluster/shards.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace baton::engine::cluster {
namespace {

TEST(ShardOfTest, NeverChangesForAnId) {
  // Owners are kept in the database by shard: these must hold in every
  // version (FNV-1a, 64 bits, modulo the count).
  EXPECT_EQ(shard_of("c-01M92N8VRMC2HS0ZH2PP20VNEXXZ1V", 256), 237u);
  EXPECT_EQ(shard_of("c-01M92N8VRMC2HS0ZH2PP20VNEXXZ1V", 16), 13u);
  EXPECT_EQ(shard_of("general", 256), 11u);
  EXPECT_EQ(shard_of("alice", 256), 7u);
  EXPECT_EQ(shard_of("", 256), 37u);
}

TEST(ShardOfTest, SpreadsIdsEvenly) {
  std::vector<int> seen(16, 0);
  for (int i = 0; i < 1600; ++i)
    ++seen[shard_of("conv-" + std::to_string(i), 16)];
  for (int n : seen)
    EXPECT_GT(n, 50); // about 100 each
}

TEST(ShardSetTest, AloneItHoldsEveryId) {
  shard_set alone;
  EXPECT_FALSE(alone.spread());
  EXPECT_TRUE(alone.holds("general"));
  EXPECT_TRUE(alone.holds(""));
}

TEST(ShardSetTest, SpreadItHoldsTheIdsOfItsShardsOnly) {
  shard_set some{256, {7, 11, 999}};
  EXPECT_TRUE(some.spread());
  EXPECT_TRUE(some.holds("alice"));   // shard 7
  EXPECT_TRUE(some.holds("general")); // shard 11
  EXPECT_FALSE(some.holds(""));       // shard 37
  shard_set none{256, {}};
  EXPECT_FALSE(none.holds("alice"));
}

} // namespace
} // namespace baton::engine::cluster
