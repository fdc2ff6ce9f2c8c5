#include "engine/ids.hpp"

#include <gtest/gtest.h>

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

} // namespace
} // namespace baton::engine
