#include "bench/load/server_process.hpp"

#include <gtest/gtest.h>

// The server's context switches between two samples of its threads.
namespace baton::bench {
namespace {

TEST(SwitchesBetweenTest, EachThreadsGrowthIsSummed) {
  thread_switches before{{10, {100, 5}}, {11, {40, 0}}};
  thread_switches after{{10, {130, 7}}, {11, {45, 1}}};
  auto d = switches_between(before, after);
  EXPECT_EQ(d.voluntary, 35u);
  EXPECT_EQ(d.involuntary, 3u);
}

TEST(SwitchesBetweenTest, AThreadStartedInBetweenCountsWhole) {
  thread_switches before{{10, {100, 5}}};
  thread_switches after{{10, {100, 5}}, {12, {8, 2}}};
  auto d = switches_between(before, after);
  EXPECT_EQ(d.voluntary, 8u);
  EXPECT_EQ(d.involuntary, 2u);
}

TEST(SwitchesBetweenTest, AThreadThatEndedNeitherCountsNorWrapsAround) {
  thread_switches before{{10, {100, 5}}, {11, {9000, 900}}};
  thread_switches after{{10, {110, 5}}};
  auto d = switches_between(before, after);
  EXPECT_EQ(d.voluntary, 10u);
  EXPECT_EQ(d.involuntary, 0u);
}

TEST(SwitchesBetweenTest, AReusedIdWithFewerSwitchesIsLeftOut) {
  thread_switches before{{10, {100, 5}}, {11, {9000, 900}}};
  thread_switches after{{10, {101, 5}}, {11, {3, 0}}};
  auto d = switches_between(before, after);
  EXPECT_EQ(d.voluntary, 1u);
  EXPECT_EQ(d.involuntary, 0u);
}

} // namespace
} // namespace baton::bench
