#include "engine/routing/wait_estimate.hpp"

#include <gtest/gtest.h>

namespace baton::engine {
namespace {

/// A line of `waiting` that loses one conversation every `every_ms`,
/// `departures` times, from t = 1000.
line_speed steady(int departures, duration_ms every_ms,
                  std::size_t waiting = 10) {
  line_speed s;
  time_ms now = 1000;
  s.observe(now, waiting);
  for (int i = 0; i < departures; ++i) {
    now += every_ms;
    s.observe(now, waiting);
    s.note_departure();
  }
  return s;
}

TEST(WaitEstimateTest, TooFewDeparturesAndTheSpeedIsUnknown) {
  EXPECT_EQ(steady(0, 1000).per_second(), std::nullopt);
  EXPECT_EQ(steady(4, 1000).per_second(), std::nullopt);
  EXPECT_EQ(estimated_wait_s(3, steady(4, 1000)), std::nullopt);
  EXPECT_TRUE(steady(6, 1000).per_second());
}

TEST(WaitEstimateTest, OneDepartureEveryTwoSecondsServesTheThirdInSix) {
  auto s = steady(30, 2000);
  ASSERT_TRUE(s.per_second());
  EXPECT_NEAR(*s.per_second(), 0.5, 0.01);
  EXPECT_EQ(estimated_wait_s(1, s), 2);
  EXPECT_EQ(estimated_wait_s(3, s), 6);
}

TEST(WaitEstimateTest, TimeWithNobodyWaitingDoesNotSlowTheLine) {
  auto s = steady(30, 2000);
  // An hour with an empty line, then one arrival served two seconds later.
  time_ms now = 1000 + 30 * 2000 + 3'600'000;
  s.observe(now, 0);
  s.observe(now + 2000, 1);
  s.note_departure();
  ASSERT_TRUE(s.per_second());
  EXPECT_NEAR(*s.per_second(), 0.5, 0.01);
}

TEST(WaitEstimateTest, RecentHistoryOutweighsOld) {
  // Slow for an hour (one every 60 s), then fast for 20 minutes (one every
  // 6 s): the estimate follows the recent pace.
  line_speed s;
  time_ms now = 1000;
  s.observe(now, 10);
  for (int i = 0; i < 60; ++i) {
    now += 60'000;
    s.observe(now, 10);
    s.note_departure();
  }
  for (int i = 0; i < 200; ++i) {
    now += 6'000;
    s.observe(now, 10);
    s.note_departure();
  }
  ASSERT_TRUE(s.per_second());
  EXPECT_GT(*s.per_second(), 0.1);
  EXPECT_LT(*s.per_second(), 1.0 / 6.0 + 0.01);
}

TEST(WaitEstimateTest, AClockThatStandsStillOrGoesBackChangesNothing) {
  auto s = steady(30, 2000);
  auto before = s.per_second();
  s.observe(5, 10);
  s.observe(1000 + 30 * 2000, 10);
  EXPECT_EQ(s.per_second(), before);
}

TEST(WaitEstimateTest, TheFirstPlaceIsAlwaysWorthTelling) {
  EXPECT_TRUE(worth_telling({}, {40, -1}));
}

TEST(WaitEstimateTest, NearTheHeadEveryStepIsTold) {
  EXPECT_TRUE(worth_telling({5, -1}, {4, -1}));
  EXPECT_TRUE(worth_telling({2, -1}, {1, -1}));
  EXPECT_FALSE(worth_telling({3, -1}, {3, -1}));
}

TEST(WaitEstimateTest, DeepInALongLineOnlyATenthIsWorthAMessage) {
  EXPECT_FALSE(worth_telling({200, -1}, {190, -1}));
  EXPECT_TRUE(worth_telling({200, -1}, {180, -1}));
  EXPECT_FALSE(worth_telling({50, -1}, {46, -1}));
  EXPECT_TRUE(worth_telling({50, -1}, {45, -1}));
}

TEST(WaitEstimateTest, AnEstimateIsToldWhenItAppearsOrMovesMuch) {
  EXPECT_TRUE(worth_telling({50, -1}, {50, 300}));
  EXPECT_TRUE(worth_telling({50, 300}, {50, -1}));
  EXPECT_FALSE(worth_telling({50, 300}, {50, 280}));
  EXPECT_FALSE(worth_telling({50, 300}, {50, 360})) << "30 s but not a quarter";
  EXPECT_TRUE(worth_telling({50, 300}, {50, 400}));
  EXPECT_FALSE(worth_telling({50, 20}, {50, 40})) << "a quarter but not 30 s";
}

} // namespace
} // namespace baton::engine
