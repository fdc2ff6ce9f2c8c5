#include "bench/load/roster.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

// Who baton-load plays against a running centre, and the defaults that
// centre can serve.
namespace baton::bench {
namespace {

namespace fs = std::filesystem;

class RosterTest : public ::testing::Test {
protected:
  RosterTest()
    : dir_(fs::temp_directory_path()
           / ("baton-roster-test-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_ / "data");
  }
  ~RosterTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string write(const std::string& name, const std::string& text) {
    std::ofstream{dir_ / name} << text;
    return (dir_ / name).string();
  }

  fs::path dir_;
};

constexpr const char* demo = R"(
[auth]
secret_file = "data/baton.secret"
[[queues]]
id = "sales"
[[queues]]
id = "support"
strategy = "ring_all"
[[queues]]
id = "returns"
mode = "pull"
[[queues]]
id = "empty"
[routing]
default_queue = "sales"
[[agents]]
id = "alice"
queues = ["sales", "support"]
capacity = 3
[[agents]]
id = "carol"
queues = ["support", "returns"]
capacity = 4
[[agents]]
id = "dave"
queues = ["returns"]
[[agents]]
id = "erin"
roles = ["supervisor"]
)";

TEST_F(RosterTest, ReadsTheSecretFileBesideTheConfiguration) {
  write("data/baton.secret", std::string(64, 'a') + "\n");
  auto r = roster_from_config(write("baton.toml", demo));
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.value.secret, std::string(64, 'a'));
}

TEST_F(RosterTest, AMissingSecretFileSaysToStartTheServerFirst) {
  auto r = roster_from_config(write("baton.toml", demo));
  EXPECT_NE(r.error.find("cannot read"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("start it first"), std::string::npos) << r.error;
}

TEST_F(RosterTest, LeavesOutPullQueuesAndQueuesNobodyServes) {
  write("data/baton.secret", std::string(64, 'a') + "\n");
  auto r = roster_from_config(write("baton.toml", demo));
  ASSERT_TRUE(r.error.empty()) << r.error;
  const auto& c = r.value;
  EXPECT_EQ(c.queues, (std::vector<std::string>{"sales", "support"}));
  ASSERT_EQ(c.skipped_queues.size(), 2u);
  EXPECT_EQ(c.skipped_queues[0].rfind("returns (pull", 0), 0u);
  EXPECT_EQ(c.skipped_queues[1], "empty (no agent in it)");
  EXPECT_EQ(c.ring_all_queues, std::vector<std::string>{"support"});
  // dave takes only from the pull queue: no offer ever reaches him.
  EXPECT_EQ(c.agents, (std::vector<std::string>{"alice", "carol"}));
  EXPECT_EQ(c.supervisors, std::vector<std::string>{"erin"});
  EXPECT_EQ(c.slots, 7);
  EXPECT_EQ(c.max_capacity, 4);
  EXPECT_EQ(c.max_requests_per_second, 50);
}

TEST_F(RosterTest, ReadsAClustersConfigurationWithoutANodesEnvironment) {
  write("data/baton.secret", std::string(64, 'a') + "\n");
  auto r = roster_from_config(write("baton.toml", std::string(demo) + R"(
[storage]
backend = "postgres"
url = "postgresql://db/baton"
[cluster]
spread = true
)"));
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.value.agents, (std::vector<std::string>{"alice", "carol"}));
}

roster demo_centre() {
  roster r;
  r.source = "baton.toml";
  r.agents = {"alice", "carol"};
  r.queues = {"sales"};
  r.slots = 7;
  r.max_capacity = 4;
  r.max_requests_per_second = 50;
  return r;
}

TEST(FitToCentreTest, DefaultsBecomeWhatTheCentreServes) {
  scenario s;
  s.url = "ws://127.0.0.1:8080/v1/ws";
  auto notes = fit_to_centre(s, demo_centre());
  EXPECT_EQ(s.concurrency, 7);
  // Four conversations at one answer each per 160 ms: 25 a second, half
  // of the limit of 50.
  EXPECT_EQ(s.reply_think.count(), 160);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].rfind("concurrency 7: the agents' slots", 0), 0u);
  EXPECT_EQ(notes[1].rfind("agents answer after 160 ms", 0), 0u);
}

TEST(FitToCentreTest, WhatWasGivenStays) {
  scenario s;
  s.url = "ws://127.0.0.1:8080/v1/ws";
  s.concurrency = 100;
  s.given = {"load.concurrency", "agents.reply_think_ms"};
  EXPECT_TRUE(fit_to_centre(s, demo_centre()).empty());
  EXPECT_EQ(s.concurrency, 100);
  EXPECT_EQ(s.reply_think.count(), 0);
}

TEST(FitToCentreTest, AnOpenLoopOrALiftedLimitKeepsItsValues) {
  scenario s;
  s.url = "ws://127.0.0.1:8080/v1/ws";
  s.rate = 20;
  auto centre = demo_centre();
  centre.max_requests_per_second = 1000000;
  EXPECT_TRUE(fit_to_centre(s, centre).empty());
  EXPECT_EQ(s.concurrency, 100);
  EXPECT_EQ(s.reply_think.count(), 0);
}

TEST(FitToCentreTest, ASpawnedServerIsNotFitted) {
  scenario s;
  s.spawn = true;
  EXPECT_TRUE(fit_to_centre(s, demo_centre()).empty());
  EXPECT_EQ(s.concurrency, 100);
}

} // namespace
} // namespace baton::bench
