#include "bench/load/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

// The summary opens with what ran and ends with why the figures look so.
namespace baton::bench {
namespace {

/// A run against the demo centre as fit_to_centre leaves it.
run_facts demo_facts() {
  run_facts f;
  f.url = "ws://127.0.0.1:8080/v1/ws";
  f.duration_s = 10.2;
  f.load_s = 10;
  f.centre.source = "config/baton.toml";
  f.centre.agents = {"alice", "bob", "carol"};
  f.centre.queues = {"sales", "support"};
  f.centre.ring_all_queues = {"support"};
  f.centre.skipped_queues = {"returns (pull)"};
  f.centre.slots = 9;
  f.centre.max_capacity = 4;
  f.centre.max_requests_per_second = 50;
  return f;
}

scenario demo_scenario() {
  scenario s;
  s.url = "ws://127.0.0.1:8080/v1/ws";
  s.config_path = "config/baton.toml";
  return s;
}

/// The summary wraps its lines: its words with single spaces.
std::string squeezed(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (space && !out.empty() && out.back() == ' ')
      continue;
    out += space ? ' ' : c;
  }
  return out;
}

bool has_line_with(const std::vector<std::string>& lines,
                   std::string_view text) {
  return std::ranges::any_of(lines, [&](const std::string& l) {
    return l.find(text) != std::string::npos;
  });
}

TEST(ReportTest, TheSummaryOpensWithWhatRan) {
  auto s = demo_scenario();
  s.concurrency = 9;
  s.scenario_file = "centre.toml";
  auto text = squeezed(human_summary(s, totals{}, demo_facts()));
  EXPECT_EQ(text.rfind("baton-load: conversations against "
                       "ws://127.0.0.1:8080/v1/ws ",
                       0),
            0u)
    << text;
  for (const char* part :
       {"config/baton.toml: 3 agents (9 slots) in 2 queues sales, support",
        "closed loop, 9 customers at once; 5 messages per conversation",
        "10 s asked, 10.00 s of load, 10.20 s with the drain",
        "centre.toml and flags", "1 thread, 4 source addresses"})
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  // What ran comes before the figures.
  EXPECT_LT(text.find("customers at once"), text.find("route latency"));
}

TEST(ReportTest, AnOpenLoopSaysItsRate) {
  auto s = demo_scenario();
  s.rate = 250;
  auto text = squeezed(human_summary(s, totals{}, demo_facts()));
  EXPECT_NE(text.find("open loop, 250 conversations/s, at most 100 under way"),
            std::string::npos)
    << text;
}

TEST(ReportTest, RatesAreOverTheLoadAndWhatWasCutOffIsCounted) {
  auto f = demo_facts();
  f.routed_in_load = 250;
  f.open_at_end = 3;
  totals t;
  t.routed = 300; // 50 more in the drain: not in the rate
  t.errors[static_cast<std::size_t>(error_kind::not_started)] = 4;
  auto s = demo_scenario();
  s.rate = 30;
  auto text = squeezed(human_summary(s, t, f));
  EXPECT_NE(text.find("routed 300, ended 0, open at the end 3 (25.0 routed/s "
                      "in the load)"),
            std::string::npos)
    << text;
  auto notes = explain(s, t, f);
  EXPECT_TRUE(has_line_with(notes, "not_started=4: arrivals waited for one "
                                   "of --concurrency slots until the end"))
    << ::testing::PrintToString(notes);
  EXPECT_TRUE(has_line_with(notes, "3 still under way when the drain ended"));
  auto line = json_line(s, t, f);
  for (const char* part :
       {",\"conversations_open_at_end\":3,", ",\"routed_per_sec\":25.0,",
        ",\"load_s\":10.000,\"duration_s\":10.200"})
    EXPECT_NE(line.find(part), std::string::npos) << part << "\n" << line;
}

TEST(ReportTest, ConflictsFromARingAllQueueAreExpected) {
  totals t;
  t.errors[static_cast<std::size_t>(error_kind::conflict)] = 29;
  auto notes = explain(demo_scenario(), t, demo_facts());
  EXPECT_TRUE(has_line_with(notes, "conflict=29: queue support rings every "
                                   "ready agent at once (ring_all)"));
  EXPECT_TRUE(has_line_with(notes, "expected, not a fault"));
}

TEST(ReportTest, RateLimitsAndTimeoutsNameTheirCause) {
  totals t;
  t.errors[static_cast<std::size_t>(error_kind::rate_limited)] = 9;
  t.errors[static_cast<std::size_t>(error_kind::timeout)] = 100;
  auto notes = explain(demo_scenario(), t, demo_facts());
  EXPECT_TRUE(has_line_with(notes, "rate_limited=9: a session sent more than "
                                   "server.max_requests_per_second (50 a "
                                   "second per session in config/baton.toml)"))
    << ::testing::PrintToString(notes);
  EXPECT_TRUE(has_line_with(notes, "--reply-think-ms"));
  EXPECT_TRUE(has_line_with(notes, "timeout=100: conversations without "
                                   "progress for 10000 ms"));
  EXPECT_TRUE(has_line_with(notes, "100 customers at once for 9 slots"));
  EXPECT_TRUE(has_line_with(notes, "no conversation started in queue returns"));
}

TEST(ReportTest, ACleanSpawnedRunHasNothingToExplain) {
  scenario s;
  s.spawn = true;
  run_facts f;
  f.url = "ws://127.0.0.1:4000/v1/ws";
  f.centre.slots = 200;
  EXPECT_TRUE(explain(s, totals{}, f).empty());
}

TEST(ReportTest, TheJsonLineOpensWithTheSetupAndEndsWithTheNotes) {
  auto f = demo_facts();
  f.fitted = {"concurrency 9: \"slots\""};
  auto s = demo_scenario();
  s.concurrency = 9;
  auto line = json_line(s, totals{}, f);
  EXPECT_EQ(line.rfind("{\"setup\":{\"url\":\"ws://127.0.0.1:8080/v1/ws\","
                       "\"spawn\":false,\"config\":\"config/baton.toml\","
                       "\"scenario\":\"\",\"mode\":\"conversations\","
                       "\"concurrency\":9,\"rate\":0,\"agents\":3,\"slots\":9,"
                       "\"queues\":[\"sales\",\"support\"],\"messages\":5,"
                       "\"duration_s\":10,\"ramp_up_s\":0,"
                       "\"reply_think_ms\":0},",
                       0),
            0u)
    << line;
  EXPECT_NE(line.find(",\"notes\":[\"concurrency 9: \\\"slots\\\"\","),
            std::string::npos)
    << line;
  EXPECT_EQ(line.back(), '}');
}

} // namespace
} // namespace baton::bench
