#include "bench/load/scenario.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

namespace baton::bench {
namespace {

scenario_result from_flags(std::vector<const char*> args) {
  args.insert(args.begin(), "baton-load");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

TEST(ScenarioTest, FileSetsEverySection) {
  auto r = parse_scenario(R"(
[target]
spawn = true
[server]
agents = 200
agent_capacity = 3
queues = 2
supervisors = 2
[load]
rate = 500.5
messages = 7
duration_s = 30
ramp_up_s = 5
sources = 8
threads = 2
conversation_timeout_ms = 2000
[mix]
transfer = 0.1
conference = 0.05
whisper = 0.2
[agents]
accept_think_ms = 250
reply_think_ms = 1000
[customers]
think_ms = 3000
)",
                          "load.toml");
  ASSERT_TRUE(r.value) << (r.errors.empty() ? "" : r.errors.front());
  const auto& s = *r.value;
  EXPECT_TRUE(s.spawn);
  EXPECT_EQ(s.agents, 200);
  EXPECT_EQ(s.agent_capacity, 3);
  EXPECT_EQ(s.queues, 2);
  EXPECT_EQ(s.supervisors, 2);
  EXPECT_DOUBLE_EQ(s.rate, 500.5);
  EXPECT_EQ(s.messages, 7);
  EXPECT_DOUBLE_EQ(s.duration_s, 30);
  EXPECT_DOUBLE_EQ(s.ramp_up_s, 5);
  EXPECT_EQ(s.sources, 8);
  EXPECT_EQ(s.threads, 2);
  EXPECT_EQ(s.conversation_timeout.count(), 2000);
  EXPECT_DOUBLE_EQ(s.transfer_share, 0.1);
  EXPECT_DOUBLE_EQ(s.conference_share, 0.05);
  EXPECT_DOUBLE_EQ(s.whisper_share, 0.2);
  EXPECT_EQ(s.accept_think.count(), 250);
  EXPECT_EQ(s.reply_think.count(), 1000);
  EXPECT_EQ(s.customer_think.count(), 3000);
}

TEST(ScenarioTest, UnknownKeyNamesFileLineAndKey) {
  auto r = parse_scenario("[load]\nrate = 5\nrat = 6\n", "load.toml");
  ASSERT_FALSE(r.value);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "load.toml:3: load.rat: unknown key");
}

TEST(ScenarioTest, WrongTypeAndRangeAreRefusedEach) {
  auto r = parse_scenario(
    "[load]\nmessages = \"five\"\nsources = 300\n[mix]\nwhisper = 1.5\n",
    "s.toml");
  ASSERT_FALSE(r.value);
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0], "s.toml:2: load.messages: must be an integer");
  EXPECT_EQ(r.errors[1], "s.toml:3: load.sources: must be from 1 to 254");
  EXPECT_EQ(r.errors[2], "s.toml:5: mix.whisper: must be from 0 to 1");
}

TEST(ScenarioTest, StorageIsOneOfTheBackendsASpawnedServerCanUse) {
  auto ok = parse_scenario(
    "[server]\nstorage = \"sqlite\"\ndurability = \"fsync\"\n", "s.toml");
  ASSERT_TRUE(ok.value);
  EXPECT_EQ(ok.value->storage, "sqlite");
  EXPECT_EQ(ok.value->durability, "fsync");
  auto bad = parse_scenario("[server]\nstorage = \"postgres\"\n", "s.toml");
  ASSERT_FALSE(bad.value);
  EXPECT_EQ(bad.errors[0], "s.toml:2: server.storage: must be one of memory, "
                           "sqlite, not 'postgres'");
}

TEST(ScenarioTest, BrokenTomlNamesTheLine) {
  auto r = parse_scenario("[load]\nrate = \n", "bad.toml");
  ASSERT_FALSE(r.value);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("bad.toml:2: ", 0), 0u) << r.errors[0];
}

TEST(ScenarioTest, FlagsOverrideTheFileWhereverTheyStand) {
  auto r = from_flags({"--rate", "100", "--spawn", "--messages", "2", "--json",
                       "--no-progress", "--ramp-up", "1.5"});
  ASSERT_TRUE(r.value) << (r.errors.empty() ? "" : r.errors.front());
  EXPECT_DOUBLE_EQ(r.value->rate, 100);
  EXPECT_EQ(r.value->messages, 2);
  EXPECT_TRUE(r.value->json);
  EXPECT_FALSE(r.value->progress);
  EXPECT_DOUBLE_EQ(r.value->ramp_up_s, 1.5);
}

TEST(ScenarioTest, ModesFromFlags) {
  auto echo = from_flags({"--spawn", "--echo"});
  ASSERT_TRUE(echo.value);
  EXPECT_EQ(echo.value->mode, load_mode::echo);
  auto idle = from_flags({"--spawn", "--idle-sessions", "1000"});
  ASSERT_TRUE(idle.value);
  EXPECT_EQ(idle.value->mode, load_mode::idle_sessions);
  EXPECT_EQ(idle.value->idle_sessions, 1000);
}

TEST(ScenarioTest, TargetMustBeSpawnOrUrlWithConfig) {
  auto none = from_flags({"--rate", "5"});
  ASSERT_FALSE(none.value);
  EXPECT_NE(none.errors[0].find("--spawn"), std::string::npos);
  auto no_config = from_flags({"--url", "ws://127.0.0.1:8080/v1/ws"});
  ASSERT_FALSE(no_config.value);
  EXPECT_NE(no_config.errors[0].find("--config"), std::string::npos);
  auto ok = from_flags(
    {"--url", "ws://127.0.0.1:8080/v1/ws", "--config", "baton.toml"});
  EXPECT_TRUE(ok.value);
}

TEST(ScenarioTest, UnknownFlagAndMissingValueAreErrors) {
  auto r = from_flags({"--spawn", "--sauces", "4", "--rate"});
  ASSERT_FALSE(r.value);
  ASSERT_GE(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0], "unknown flag --sauces");
  EXPECT_EQ(r.errors.back(), "--rate: needs a value");
}

TEST(ScenarioTest, HistoryFloodFromFileAndFlags) {
  auto file = parse_scenario(
    "[load]\nhistory_flood = 20\nhistory_window = 8\nhistory_rate = 50\n",
    "s.toml");
  ASSERT_TRUE(file.value) << (file.errors.empty() ? "" : file.errors.front());
  EXPECT_EQ(file.value->history_flood, 20);
  EXPECT_EQ(file.value->history_window, 8);
  EXPECT_DOUBLE_EQ(file.value->history_rate, 50);
  auto flags
    = from_flags({"--spawn", "--history-flood", "3", "--history-rate", "12.5",
                  "--storage", "sqlite", "--durability", "fsync"});
  ASSERT_TRUE(flags.value);
  EXPECT_EQ(flags.value->history_flood, 3);
  EXPECT_EQ(flags.value->history_window, 4); // the default
  EXPECT_DOUBLE_EQ(flags.value->history_rate, 12.5);
  EXPECT_EQ(flags.value->durability, "fsync");
  auto zero_window = parse_scenario("[load]\nhistory_window = 0\n", "s.toml");
  ASSERT_FALSE(zero_window.value);
  EXPECT_EQ(zero_window.errors[0],
            "s.toml:2: load.history_window: must be from 1 to 10000");
}

TEST(ScenarioTest, HistoryFloodGoesWithConversations) {
  auto r = from_flags({"--spawn", "--echo", "--history-flood", "2"});
  ASSERT_FALSE(r.value);
  EXPECT_NE(r.errors[0].find("history_flood"), std::string::npos);
}

TEST(ScenarioTest, SharesOfTransferAndConferenceCannotPassOne) {
  auto r = from_flags({"--spawn", "--transfer", "0.7", "--conference", "0.4"});
  ASSERT_FALSE(r.value);
  EXPECT_NE(r.errors[0].find("more than 1"), std::string::npos);
}

} // namespace
} // namespace baton::bench

namespace baton::bench {
namespace {

TEST(ScenarioTest, ShippedExampleLoads) {
  std::string path = BATON_SOURCE_DIR
    "/bench/load/scenarios/contact_centre.toml";
  auto r = from_flags({"--scenario", path.c_str()});
  ASSERT_TRUE(r.value) << (r.errors.empty() ? "" : r.errors.front());
  EXPECT_TRUE(r.value->spawn);
  EXPECT_EQ(r.value->queues, 3);
  EXPECT_DOUBLE_EQ(r.value->whisper_share, 0.10);
  EXPECT_EQ(r.value->scenario_file, path);
  EXPECT_TRUE(r.value->was_given("load.concurrency"));
}

TEST(ScenarioTest, WhatTheFileAndTheFlagsGaveIsKnown) {
  auto r = from_flags({"--spawn", "--reply-think-ms", "50", "--no-progress"});
  ASSERT_TRUE(r.value);
  EXPECT_TRUE(r.value->was_given("agents.reply_think_ms"));
  EXPECT_TRUE(r.value->was_given("output.progress"));
  EXPECT_FALSE(r.value->was_given("load.concurrency"));
  EXPECT_TRUE(r.value->scenario_file.empty());
}

TEST(ScenarioTest, TheHelpShowsEveryFlagWithItsDefault) {
  auto help = usage();
  // The help wraps its lines: look for the words, whatever the spaces.
  std::string words;
  for (char c : help)
    if (!(std::isspace(static_cast<unsigned char>(c)) && !words.empty()
          && words.back() == ' '))
      words += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
  for (const char* entry :
       {"--concurrency V", "(default 100; [load]",
        "(default 5; [load] messages)", "(default 10; [load] duration_s)",
        "(default 0; [load] rate)", "(default 50; [server] agents)",
        "(default on; [output] progress)",
        "(default conversations; [load] mode)", "(default memory; [server]",
        "(default none; [target] url)", "(default 10000; [load]"})
    EXPECT_NE(words.find(entry), std::string::npos) << entry << "\n" << help;
  // Every line fits 80 columns.
  std::size_t start = 0;
  while (start < help.size()) {
    auto end = help.find('\n', start);
    EXPECT_LE(end - start, 80u) << help.substr(start, end - start);
    start = end + 1;
  }
}

} // namespace
} // namespace baton::bench
