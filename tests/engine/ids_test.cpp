#include "engine/ids.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

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

TEST(IdGeneratorTest, IdsOfOneMillisecondCountThoseBefore) {
  id_generator secure("c-", made_order::counted), seeded("c-", 42);
  for (auto* g : {&secure, &seeded}) {
    auto first = g->next(1000);
    auto second = g->next_in_shard(1000, 3, 256);
    auto later = g->next(1001);
    // The 3 digits after the time: 0, 1, then 0 again.
    EXPECT_EQ(first.substr(12, 3), "000") << first;
    EXPECT_EQ(second.substr(12, 3), "001") << second;
    EXPECT_EQ(later.substr(12, 3), "000") << later;
  }
}

TEST(IdGeneratorTest, IdOrderFollowsCreationAcrossMilliseconds) {
  id_generator g("c-", made_order::counted);
  std::vector<std::string> made;
  for (time_ms ms : {1'700'000'000'000, 1'700'000'000'001})
    for (int i = 0; i < 5; ++i)
      made.push_back(g.next(ms));
  for (std::size_t i = 1; i < made.size(); ++i)
    EXPECT_LT(id_order(made[i - 1]), id_order(made[i]))
      << made[i - 1] << " then " << made[i];
}

TEST(IdGeneratorTest, IdsOfAnotherShapeHaveNoOrder) {
  EXPECT_EQ(id_order("c-1"), 0u);
  EXPECT_EQ(id_order("conversation-of-carol-and-alice-1"), 0u);
  EXPECT_NE(id_order("c-01HF7YAT000000000C2MEZFNQEBRPP"), 0u);
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
  // Counted, the 14 between them and the count.
  id_generator counted("c-", made_order::counted);
  auto c = counted.next_in_shard(5, 9, 256);
  auto d = counted.next_in_shard(5, 9, 256);
  EXPECT_NE(c.substr(15, 14), d.substr(15, 14));
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
