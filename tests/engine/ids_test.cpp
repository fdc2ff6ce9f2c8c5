#include "engine/ids.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/cluster/shards.hpp"

namespace baton::engine {
namespace {

TEST(IdGeneratorTest, SecureIdsShareNothingButTheirTime) {
  // Two processes, or two restarts, starting at the same millisecond.
  id_generator one("c-"), two("c-");
  auto a = one.next(1'700'000'000'000);
  auto b = two.next(1'700'000'000'000);
  ASSERT_EQ(a.size(), 2u + 10 + 20);
  EXPECT_EQ(a.substr(0, 12), b.substr(0, 12));
  // 100 random bits: equal tails would be a broken generator.
  EXPECT_NE(a.substr(12), b.substr(12));
  // Successive ids of one generator are not one apart.
  auto c = one.next(1'700'000'000'000);
  std::size_t same = 0;
  for (std::size_t i = 12; i < a.size(); ++i)
    same += a[i] == c[i];
  EXPECT_LT(same, 10u) << a << " then " << c;
}

TEST(IdGeneratorTest, SeededIdsReplay) {
  id_generator one("o-", 42), two("o-", 42);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(one.next(5), two.next(5));
}

TEST(IdGeneratorTest, IdsSortByTime) {
  id_generator g("c-");
  auto early = g.next(1000);
  auto late = g.next(2000);
  EXPECT_LT(early, late);
}

TEST(IdGeneratorTest, AnIdMadeForAShardFallsInIt) {
  id_generator secure("c-"), seeded("c-", 7);
  for (std::uint32_t count : {2u, 12u, 256u, 4096u, 65536u}) {
    for (std::uint32_t shard : {0u, count / 3, count - 1}) {
      for (auto* g : {&secure, &seeded}) {
        auto id = g->next_in_shard(1'700'000'000'000, shard, count);
        EXPECT_EQ(cluster::shard_of(id, count), shard) << id;
        ASSERT_EQ(id.size(), 2u + 10 + 20) << "the same form as any other";
        EXPECT_EQ(id.find_first_not_of("c-0123456789ABCDEFGHJKMNPQRSTVWXYZ"),
                  std::string::npos)
          << id;
      }
    }
  }
}

TEST(IdGeneratorTest, IdsMadeForOneShardStayUniqueAndRandom) {
  id_generator seeded("c-", 7), secure("c-");
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    EXPECT_TRUE(seen.insert(seeded.next_in_shard(5, 3, 12)).second);
    EXPECT_TRUE(seen.insert(secure.next_in_shard(5, 3, 12)).second);
  }
  // 256 shards choose the last 3 digits: the 17 before stay random.
  auto a = secure.next_in_shard(5, 9, 256);
  auto b = secure.next_in_shard(5, 9, 256);
  EXPECT_NE(a.substr(12, 17), b.substr(12, 17));
}

TEST(IdGeneratorTest, EveryShardCanBeReached) {
  id_generator secure("c-");
  for (std::uint32_t count : {16u, 17u, 256u, 512u, 513u, 4096u})
    for (std::uint32_t shard = 0; shard < count; ++shard)
      ASSERT_EQ(cluster::shard_of(secure.next_in_shard(5, shard, count), count),
                shard)
        << shard << " of " << count;
}

TEST(IdGeneratorTest, PlainIdsAreAsTheyWere) {
  // Seeded ids replay across versions too: tests and traces name them.
  id_generator seeded("c-", 42);
  EXPECT_EQ(seeded.next(1'700'000'000'000), "c-01HF7YAT000000000C2MEZFNQEBRPP");
}

TEST(IdGeneratorTest, OneShardOrNoneIsAnyId) {
  id_generator seeded("c-", 7), again("c-", 7);
  EXPECT_EQ(seeded.next_in_shard(5, 0, 1), again.next(5));
  EXPECT_EQ(seeded.next_in_shard(5, 0, 0), again.next(5));
}

} // namespace
} // namespace baton::engine
