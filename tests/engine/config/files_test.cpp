#include "engine/config/config.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

// The files we ship must load as they are.
namespace baton::engine::config {
namespace {

using testing::messages;

load_result load_shipped(const char* relative) {
  return load_file((testing::repo_root() / relative).string(),
                   testing::env_of());
}

TEST(ConfigFilesTest, DemoCentreLoads) {
  auto r = load_shipped("config/baton.toml");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  auto& c = *r.value;
  EXPECT_EQ(c.queues.size(), 3u);
  EXPECT_EQ(c.find_queue("sales")->strategy, strategy::longest_idle);
  EXPECT_EQ(c.find_queue("support")->strategy, strategy::ring_all);
  EXPECT_EQ(c.find_queue("returns")->mode, queue_mode::pull);
  EXPECT_TRUE(c.find_topic("order_followup")->restricted);
  EXPECT_GE(c.agents.size(), 4u);
  auto* erin = c.find_agent("erin");
  ASSERT_NE(erin, nullptr);
  EXPECT_TRUE(erin->has_role(staff_role::supervisor));
  EXPECT_TRUE(erin->queues.empty());
  EXPECT_NE(c.texts.get(text_key::no_agents),
            default_text(text_key::no_agents));
  // scripts/run.sh keeps the demo's data in data/ at the top of the
  // checkout, wherever baton runs from.
  namespace fs = std::filesystem;
  EXPECT_EQ(fs::weakly_canonical(c.storage.path),
            fs::weakly_canonical(testing::repo_root() / "data/baton.db"));
  EXPECT_EQ(fs::weakly_canonical(c.auth.secret_file),
            fs::weakly_canonical(testing::repo_root() / "data/baton.secret"));
  EXPECT_EQ(c.log, log_settings{});
}

TEST(ConfigFilesTest, MinimalExampleLoads) {
  auto r = load_shipped("config/examples/minimal.toml");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_NE(r.value->find_queue("general"), nullptr);
  EXPECT_EQ(
    r.value->auth.secret_file,
    (testing::repo_root() / "config/examples/data/baton.secret").string());
}

TEST(ConfigFilesTest, LargeExampleLoadsItsAgentsFile) {
  auto r = load_shipped("config/examples/large.toml");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  auto& c = *r.value;
  EXPECT_EQ(c.agents_file, "agents.toml");
  EXPECT_EQ(c.agents.size(), 6u);
  EXPECT_EQ(c.storage.backend, storage_backend::postgres);
  EXPECT_EQ(c.find_agent("d.okafor")->queues,
            std::vector<std::string>{"general"});
  EXPECT_TRUE(c.find_agent("e.larsen")->has_role(staff_role::manager));
  EXPECT_EQ(c.log.level, log_level::warn);
  EXPECT_EQ(c.log.format, log_format::json);
}

} // namespace
} // namespace baton::engine::config
