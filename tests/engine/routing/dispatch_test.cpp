#include "engine/routing/dispatch.hpp"

#include <gtest/gtest.h>

#include <map>

namespace baton::engine {
namespace {

agent_view ready_agent(std::string id, time_ms idle_since,
                       std::int32_t capacity = 1,
                       std::vector<std::string> topics = {}) {
  return {std::move(id), agent_status::ready, true, 0, capacity,
          idle_since,    std::move(topics)};
}

/// A queue's state as the dispatch sees it: the waiting conversations,
/// the pool, each conversation's turns had and agents already in it.
class DispatchTest : public ::testing::Test {
protected:
  void wait(std::string conversation, time_ms at, std::string topic = {}) {
    line_.push({std::move(conversation), 0, at, std::move(topic)});
  }

  dispatch_plan plan(strategy how = strategy::longest_idle,
                     std::size_t ring_all_targets = 50, int max_skipped = 256) {
    return plan_dispatch(
      line_, pool_, {how, ring_all_targets, max_skipped},
      [this](const std::string& t) { return restricted_.count(t) > 0; },
      [this](const std::string& c) {
        return passed_over{&tried_[c], &excluded_[c]};
      },
      1000);
  }

  static std::vector<std::string> conversations(const dispatch_plan& p) {
    std::vector<std::string> out;
    for (const auto& o : p.offers)
      out.push_back(o.conversation);
    return out;
  }

  waiting_list line_;
  agent_pool pool_{strategy::longest_idle};
  std::unordered_set<std::string> restricted_;
  std::map<std::string, std::unordered_set<std::string>> tried_, excluded_;
};

TEST_F(DispatchTest, OffersFromTheHeadUntilAgentsRunOut) {
  pool_.upsert(ready_agent("alice", 100));
  pool_.upsert(ready_agent("bob", 200));
  wait("c1", 10);
  wait("c2", 20);
  wait("c3", 30);
  auto p = plan();
  ASSERT_EQ(p.offers.size(), 2u);
  EXPECT_EQ(p.offers[0].conversation, "c1");
  EXPECT_EQ(p.offers[0].agents, std::vector<std::string>{"alice"});
  EXPECT_EQ(p.offers[1].conversation, "c2");
  EXPECT_EQ(p.offers[1].agents, std::vector<std::string>{"bob"});
  // Their slots count as taken: another plan names nobody.
  EXPECT_TRUE(plan().offers.empty());
}

TEST_F(DispatchTest, AConversationInARoundIsPassedAndTheOneBehindIsOffered) {
  pool_.upsert(ready_agent("alice", 100));
  wait("c1", 10);
  wait("c2", 20);
  line_.step_out("c1");
  EXPECT_EQ(conversations(plan()), std::vector<std::string>{"c2"});
}

TEST_F(DispatchTest, ANoSlotLeftAfterOnePlanIsNotGivenTwice) {
  pool_.upsert(ready_agent("alice", 100, 1));
  wait("c1", 10);
  wait("c2", 20);
  EXPECT_EQ(conversations(plan()), std::vector<std::string>{"c1"});
}

TEST_F(DispatchTest, RingAllRingsEveryEligibleAgentUpToTheBound) {
  pool_ = agent_pool(strategy::ring_all);
  for (int i = 0; i < 5; ++i)
    pool_.upsert(ready_agent("a" + std::to_string(i), 100 + i));
  wait("c1", 10);
  auto p = plan(strategy::ring_all, 3);
  ASSERT_EQ(p.offers.size(), 1u);
  EXPECT_EQ(p.offers[0].agents, (std::vector<std::string>{"a0", "a1", "a2"}));
}

TEST_F(DispatchTest, ARestrictedTopicNobodyMayTakeDoesNotStarveOthers) {
  restricted_.insert("vip");
  pool_.upsert(ready_agent("alice", 100));
  wait("vip-1", 10, "vip");
  wait("vip-2", 15, "vip");
  wait("plain", 20);
  auto p = plan();
  EXPECT_EQ(conversations(p), std::vector<std::string>{"plain"});
  EXPECT_TRUE(p.start_over.empty()) << "nobody had a turn at the vip ones";
}

TEST_F(DispatchTest, ARestrictedTopicGoesToAnAgentWhoListsIt) {
  restricted_.insert("vip");
  pool_.upsert(ready_agent("alice", 100));
  pool_.upsert(ready_agent("vera", 200, 1, {"vip"}));
  wait("vip-1", 10, "vip");
  auto p = plan();
  ASSERT_EQ(p.offers.size(), 1u);
  EXPECT_EQ(p.offers[0].agents, std::vector<std::string>{"vera"});
}

TEST_F(DispatchTest, AgentsWhoHadTheirTurnAreSkippedThenTurnsStartOver) {
  pool_.upsert(ready_agent("alice", 100));
  pool_.upsert(ready_agent("bob", 200));
  wait("c1", 10);
  tried_["c1"] = {"alice"};
  auto p = plan();
  ASSERT_EQ(p.offers.size(), 1u);
  EXPECT_EQ(p.offers[0].agents, std::vector<std::string>{"bob"});

  agent_pool fresh(strategy::longest_idle);
  fresh.upsert(ready_agent("alice", 100));
  pool_ = std::move(fresh);
  tried_["c1"] = {"alice"};
  auto again = plan();
  EXPECT_TRUE(again.offers.empty());
  EXPECT_EQ(again.start_over, std::vector<std::string>{"c1"});
}

TEST_F(DispatchTest, AgentsAlreadyInTheConversationAreNeverOfferedIt) {
  pool_.upsert(ready_agent("alice", 100, 3));
  wait("c1", 10);
  excluded_["c1"] = {"alice"};
  auto p = plan();
  EXPECT_TRUE(p.offers.empty());
  EXPECT_TRUE(p.start_over.empty());
}

// Nobody for c1 is nobody among those not already in it: c2, on the same
// topic, is still offered to them.
TEST_F(DispatchTest, AConversationItsOwnAgentsCannotTakeDoesNotHoldUpItsTopic) {
  pool_.upsert(ready_agent("alice", 100, 3));
  wait("c1", 10, "escalation");
  wait("c2", 20, "escalation");
  excluded_["c1"] = {"alice"};
  auto p = plan();
  EXPECT_EQ(conversations(p), std::vector<std::string>{"c2"});
  EXPECT_TRUE(p.start_over.empty());
}

TEST_F(DispatchTest, OneDispatchPassesOverABoundedNumber) {
  pool_.upsert(ready_agent("alice", 100, 10));
  for (int i = 0; i < 5; ++i) {
    auto id = "c" + std::to_string(i);
    wait(id, 10 + i);
    tried_[id] = {"alice"};
  }
  auto p = plan(strategy::longest_idle, 50, 3);
  EXPECT_EQ(p.start_over.size(), 3u);
}

TEST_F(DispatchTest, NoEligibleAgentNoWork) {
  wait("c1", 10);
  auto p = plan();
  EXPECT_TRUE(p.offers.empty());
  EXPECT_TRUE(p.start_over.empty());
}

} // namespace
} // namespace baton::engine
