// Where an arrival stands in a long line: told at once when it lands near
// the tail or the head, a lower bound elsewhere (the next position tick
// tells the rest).
#include "actors/queue/state.hpp"

#include <gtest/gtest.h>

#include <string>

namespace baton::actors::queue_impl {
namespace {

/// 1500 conversations of ages 10, 20, ... 15000: one a 10 ms step.
engine::waiting_list long_line() {
  engine::waiting_list line;
  for (int i = 1; i <= 1500; ++i)
    line.push({"c" + std::to_string(i), 0, i * 10, ""});
  return line;
}

TEST(ArrivalPositionTest, OneAtTheTailIsLast) {
  auto line = long_line();
  line.push({"new", 0, 20'000, ""});
  bool exact = false;
  EXPECT_EQ(arrival_position(line, "new", exact), 1501u);
  EXPECT_TRUE(exact);
}

TEST(ArrivalPositionTest, OneJustBeforeTheTailIsToldItsPlace) {
  // An age kept from an earlier queue, or a tie of one millisecond broken
  // by id: a few places from the end of a line past the head's walk.
  auto line = long_line();
  line.push({"new", 0, 14'975, ""});
  bool exact = false;
  EXPECT_EQ(arrival_position(line, "new", exact), 1498u);
  EXPECT_TRUE(exact);
}

TEST(ArrivalPositionTest, OneNearTheHeadIsToldItsPlace) {
  auto line = long_line();
  line.push({"new", 0, 25, ""});
  bool exact = false;
  EXPECT_EQ(arrival_position(line, "new", exact), 3u);
  EXPECT_TRUE(exact);
}

TEST(ArrivalPositionTest, OneInTheMiddleGetsALowerBound) {
  auto line = long_line();
  line.push({"new", 0, 12'005, ""});
  bool exact = true;
  EXPECT_EQ(arrival_position(line, "new", exact), 1001u);
  EXPECT_FALSE(exact);
}

} // namespace
} // namespace baton::actors::queue_impl
