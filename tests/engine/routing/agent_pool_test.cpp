#include "engine/routing/agent_pool.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace baton::engine {
namespace {

agent_view ready(std::string id, time_ms idle_since, std::int32_t load = 0,
                 std::int32_t capacity = 1,
                 std::vector<std::string> topics = {}) {
  return {std::move(id), agent_status::ready, true, load, capacity,
          idle_since,    std::move(topics)};
}

TEST(AgentPoolTest, LongestIdlePicksTheAgentIdleLongest) {
  agent_pool pool(strategy::longest_idle);
  pool.upsert(ready("recent", 300));
  pool.upsert(ready("oldest", 100));
  pool.upsert(ready("middle", 200));
  EXPECT_EQ(pool.pick("", false), "oldest");
  pool.note_offer("oldest", 400);
  EXPECT_EQ(pool.pick("", false), "middle");
}

TEST(AgentPoolTest, LeastBusyPicksTheMostFreeCapacity) {
  agent_pool pool(strategy::least_busy);
  pool.upsert(ready("two-free", 100, 1, 3));
  pool.upsert(ready("three-free", 200, 1, 4));
  pool.upsert(ready("one-free", 50, 2, 3));
  EXPECT_EQ(pool.pick("", false), "three-free");
  pool.note_offer("three-free", 300);
  // Both have two free now: the longer idle wins the tie.
  EXPECT_EQ(pool.pick("", false), "two-free");
}

TEST(AgentPoolTest, RoundRobinRotatesThroughEveryAgent) {
  agent_pool pool(strategy::round_robin);
  for (auto id : {"a", "b", "c"})
    pool.upsert(ready(id, 0, 0, 10));
  std::vector<std::string> seen;
  for (int i = 0; i < 6; ++i) {
    auto id = pool.pick("", false);
    ASSERT_TRUE(id);
    seen.push_back(*id);
    pool.note_offer(*id, i);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "a", "b", "c"}));
}

TEST(AgentPoolTest, RingAllListsEveryEligibleAgent) {
  agent_pool pool(strategy::ring_all);
  pool.upsert(ready("a", 2));
  pool.upsert(ready("b", 1));
  pool.upsert(ready("busy", 0, 1, 1));
  auto all = pool.pick_all("", false);
  EXPECT_EQ(all, (std::vector<std::string>{"b", "a"}));
  auto rest = pool.pick_all("", false,
                            [](const std::string& id) { return id == "b"; });
  EXPECT_EQ(rest, (std::vector<std::string>{"a"}));
}

TEST(AgentPoolTest, RandomPicksOnlyEligibleAgentsAndSpreadsLoad) {
  agent_pool pool(strategy::random, 42);
  for (auto id : {"a", "b", "c", "d"})
    pool.upsert(ready(id, 0, 0, 1000));
  pool.upsert({"away", agent_status::not_ready, true, 0, 5, 0, {}});
  std::map<std::string, int> counts;
  for (int i = 0; i < 400; ++i)
    ++counts[*pool.pick("", false)];
  EXPECT_EQ(counts.count("away"), 0u);
  EXPECT_EQ(counts.size(), 4u);
  for (const auto& [id, n] : counts)
    EXPECT_GT(n, 40) << id;
}

TEST(AgentPoolTest, SkillsPrefersAgentsListingTheTopic) {
  agent_pool pool(strategy::skills);
  pool.upsert(ready("generalist", 100));
  pool.upsert(ready("billing-expert", 500, 0, 1, {"billing"}));
  EXPECT_EQ(pool.pick("billing", false), "billing-expert");
  EXPECT_EQ(pool.pick("returns", false), "generalist");
  pool.note_offer("billing-expert", 600);
  // The expert is full: anyone allowed takes an unrestricted topic.
  EXPECT_EQ(pool.pick("billing", false), "generalist");
}

TEST(AgentPoolTest, RestrictedTopicOnlyGoesToAgentsListingIt) {
  agent_pool pool(strategy::longest_idle);
  pool.upsert(ready("plain", 1));
  pool.upsert(ready("vip", 5, 0, 1, {"vip"}));
  EXPECT_EQ(pool.pick("vip", true), "vip");
  EXPECT_TRUE(pool.eligible("vip", "vip", true));
  EXPECT_FALSE(pool.eligible("plain", "vip", true));
  pool.note_offer("vip", 10);
  EXPECT_EQ(pool.pick("vip", true), std::nullopt);
}

TEST(AgentPoolTest, IneligibleAgentsAreNeverPicked) {
  for (auto s :
       {strategy::longest_idle, strategy::least_busy, strategy::round_robin,
        strategy::ring_all, strategy::random, strategy::skills}) {
    agent_pool pool(s);
    pool.upsert({"not-ready", agent_status::not_ready, true, 0, 2, 0, {}});
    pool.upsert({"offline", agent_status::offline, true, 0, 2, 0, {}});
    pool.upsert({"disconnected", agent_status::ready, false, 0, 2, 0, {}});
    pool.upsert({"full", agent_status::ready, true, 2, 2, 0, {}});
    EXPECT_EQ(pool.pick("", false), std::nullopt) << to_string(s);
    EXPECT_TRUE(pool.pick_all("", false).empty()) << to_string(s);
    EXPECT_EQ(pool.eligible_count(), 0u) << to_string(s);
    pool.upsert(ready("fine", 0));
    EXPECT_EQ(pool.pick("", false), "fine") << to_string(s);
  }
}

TEST(AgentPoolTest, UpdatesMoveAgentsInAndOutOfTheIndex) {
  agent_pool pool(strategy::longest_idle);
  pool.upsert(ready("a", 0));
  EXPECT_EQ(pool.eligible_count(), 1u);
  pool.upsert({"a", agent_status::not_ready, true, 0, 1, 0, {}});
  EXPECT_EQ(pool.eligible_count(), 0u);
  pool.upsert(ready("a", 0));
  pool.remove("a");
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.pick("", false), std::nullopt);
}

TEST(AgentPoolTest, SkipExcludesAgentsAlreadyTried) {
  agent_pool pool(strategy::longest_idle);
  pool.upsert(ready("a", 1));
  pool.upsert(ready("b", 2));
  std::set<std::string> tried{"a"};
  auto skip = [&](const std::string& id) { return tried.count(id) > 0; };
  EXPECT_EQ(pool.pick("", false, skip), "b");
  tried.insert("b");
  EXPECT_EQ(pool.pick("", false, skip), std::nullopt);
}

} // namespace
} // namespace baton::engine
