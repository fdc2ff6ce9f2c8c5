#include "bench/load/timeline.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace baton::bench {
namespace {

std::vector<std::string> columns(const std::string& row) {
  std::vector<std::string> out;
  std::istringstream in(row);
  for (std::string cell; std::getline(in, cell, '\t');)
    out.push_back(cell);
  return out;
}

TEST(TimelineTest, ARowIsThatIntervalsWorkNotTheRunsSoFar) {
  totals before;
  before.started = 100;
  before.routed = 90;
  for (int i = 0; i < 90; ++i)
    before.route_latency.record(500'000'000); // slow, and before the row
  totals now = before;
  now.started = 300;
  now.routed = 290;
  now.errors[0] = 2;
  for (int i = 0; i < 200; ++i)
    now.route_latency.record(2'000'000);

  auto row = columns(timeline_row(20, 10, before, now, 123.4, 0.75));
  auto names = columns(timeline_header());
  ASSERT_EQ(row.size(), names.size());
  auto cell = [&](const std::string& name) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name)
        return row[i];
    ADD_FAILURE() << "no column " << name;
    return std::string();
  };
  EXPECT_EQ(cell("t_s"), "20.0");
  EXPECT_EQ(cell("started_per_s"), "20.0");
  EXPECT_EQ(cell("routed_per_s"), "20.0");
  EXPECT_EQ(cell("errors"), "2");
  EXPECT_EQ(cell("route_samples"), "200");
  // 2 ms to the histogram's 1.6 %, not the 500 ms before the interval.
  EXPECT_NEAR(std::stod(cell("route_p99_ms")), 2.0, 0.04);
  EXPECT_EQ(cell("server_rss_mib"), "123.4");
  EXPECT_EQ(cell("server_cores"), "0.75");
}

TEST(TimelineTest, AServerNotSpawnedHasDashesForItsFigures) {
  totals t;
  auto row = columns(timeline_row(1, 1, t, t, std::nullopt, std::nullopt));
  ASSERT_GE(row.size(), 2u);
  EXPECT_EQ(row[row.size() - 2], "-");
  EXPECT_EQ(row.back(), "-");
}

} // namespace
} // namespace baton::bench
