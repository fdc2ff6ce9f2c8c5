#include "engine/cluster/clock_offset.hpp"

#include <gtest/gtest.h>

namespace baton::engine::cluster {
namespace {

TEST(ClockOffsetTest, ANodeAheadOfTheDatabaseIsPositive) {
  // Sent at 1000, answered at 1010: the database read its clock at about
  // 1005 by this node's, and said 905.
  EXPECT_EQ(clock_offset_ms(1000, 1010, 905), 100);
}

TEST(ClockOffsetTest, ANodeBehindTheDatabaseIsNegative) {
  EXPECT_EQ(clock_offset_ms(1000, 1010, 1305), -300);
}

TEST(ClockOffsetTest, ClocksThatAgreeReadZeroAtTheMiddleOfTheRoundTrip) {
  EXPECT_EQ(clock_offset_ms(1'733'450'000'000, 1'733'450'000'040,
                            1'733'450'000'020),
            0);
}

} // namespace
} // namespace baton::engine::cluster
