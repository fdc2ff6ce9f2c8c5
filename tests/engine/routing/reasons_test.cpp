#include "engine/routing/reasons.hpp"

#include <gtest/gtest.h>

#include <map>

#include "engine/routing/dispatch.hpp"

namespace baton::engine {
namespace {

agent_view agent(std::string id, agent_status status, bool connected,
                 std::int32_t load, time_ms idle_since,
                 std::vector<std::string> topics = {"billing"}) {
  return {std::move(id), status,           connected, load, 2,
          idle_since,    std::move(topics)};
}

/// One agent for every reason a candidate can be passed over, and two
/// who can take the conversation: `second`, idle longer, with one slot
/// in use, and `first`, idle less, with both free.
class ReasonsTest : public ::testing::TestWithParam<strategy> {
protected:
  void SetUp() override {
    pool_ = std::make_unique<agent_pool>(GetParam());
    pool_->upsert(agent("olga", agent_status::offline, false, 0, 10));
    pool_->upsert(agent("abel", agent_status::ready, false, 0, 10));
    pool_->upsert(agent("nora", agent_status::not_ready, true, 0, 10));
    pool_->upsert(agent("fred", agent_status::ready, true, 2, 10));
    pool_->upsert(agent("mia", agent_status::ready, true, 0, 10, {}));
    pool_->upsert(agent("tom", agent_status::ready, true, 0, 10));
    pool_->upsert(agent("eve", agent_status::ready, true, 0, 10));
    pool_->upsert(agent("first", agent_status::ready, true, 0, 300));
    pool_->upsert(agent("second", agent_status::ready, true, 1, 200));
    tried_ = {"tom"};
    excluded_ = {"eve"};
  }

  routing_reasons reasons(bool restricted = true) const {
    return reasons_for(*pool_, "billing", restricted, {&tried_, &excluded_});
  }

  std::map<std::string, pass_reason> passed(const routing_reasons& why) const {
    std::map<std::string, pass_reason> out;
    for (const auto& p : why.passed)
      out[p.agent] = p.reason;
    return out;
  }

  std::unique_ptr<agent_pool> pool_;
  std::unordered_set<std::string> tried_, excluded_;
};

TEST_P(ReasonsTest, NamesEveryAgentPassedOverWithItsReason) {
  auto why = reasons();
  EXPECT_EQ(why.strategy, GetParam());
  EXPECT_EQ(why.topic, "billing");
  EXPECT_TRUE(why.restricted);
  EXPECT_EQ(why.eligible, 2);
  std::map<std::string, pass_reason> expected{
    {"olga", pass_reason::offline},      {"abel", pass_reason::absent},
    {"nora", pass_reason::not_ready},    {"fred", pass_reason::full},
    {"mia", pass_reason::missing_topic}, {"tom", pass_reason::already_tried},
    {"eve", pass_reason::excluded}};
  EXPECT_EQ(passed(why), expected);
  ASSERT_EQ(why.passed_counts.size(), pass_reason_count);
  for (const auto& c : why.passed_counts)
    EXPECT_EQ(c.count, 1) << to_string(c.reason);
}

TEST_P(ReasonsTest, RanksTheEligibleAsTheStrategyChoosesAndTheChoiceLeads) {
  auto why = reasons();
  ASSERT_EQ(why.ranked.size(), 2u);
  std::vector<std::string> order{why.ranked[0].agent, why.ranked[1].agent};
  auto expected = GetParam() == strategy::least_busy
                    ? std::vector<std::string>{"first", "second"}
                    : std::vector<std::string>{"second", "first"};
  if (GetParam() != strategy::random && GetParam() != strategy::round_robin)
    EXPECT_EQ(order, expected);
  const auto& second = why.ranked[0].agent == "second" ? why.ranked[0]
                                                       : why.ranked[1];
  EXPECT_EQ(second.idle_since, 200);
  EXPECT_EQ(second.load, 1);
  EXPECT_EQ(second.capacity, 2);
  EXPECT_TRUE(second.topic_match);

  // The dispatch's choice is the first ranked (ring_all: all of them; a
  // random draw: one of them).
  waiting_list ready;
  ready.push({"c1", 0, 5, "billing"});
  auto plan = plan_dispatch(
    ready, *pool_, {GetParam(), 50, 256},
    [](const std::string&) { return true; },
    [this](const std::string&) {
      return passed_over{&tried_, &excluded_};
    },
    1000);
  ASSERT_EQ(plan.offers.size(), 1u);
  const auto& offer = plan.offers[0];
  EXPECT_EQ(offer.why, why);
  if (GetParam() == strategy::ring_all)
    EXPECT_EQ(offer.agents, order);
  else if (GetParam() == strategy::random)
    EXPECT_TRUE(offer.agents[0] == "first" || offer.agents[0] == "second");
  else
    EXPECT_EQ(offer.agents, std::vector<std::string>{order[0]});
}

TEST_P(ReasonsTest, AnUnrestrictedTopicPassesNobodyOverForIt) {
  auto why = reasons(false);
  EXPECT_EQ(passed(why).count("mia"), 0u);
  EXPECT_EQ(why.eligible, 3);
}

INSTANTIATE_TEST_SUITE_P(
  EveryStrategy, ReasonsTest,
  ::testing::Values(strategy::longest_idle, strategy::least_busy,
                    strategy::round_robin, strategy::ring_all, strategy::random,
                    strategy::skills),
  [](const auto& info) { return std::string(to_string(info.param)); });

TEST(ReasonsBound, NamesAFewAndCountsTheRest) {
  agent_pool pool(strategy::longest_idle);
  for (int i = 0; i < 500; ++i)
    pool.upsert(
      agent("a" + std::to_string(i), agent_status::not_ready, true, 0, i));
  for (int i = 0; i < 50; ++i)
    pool.upsert(
      agent("r" + std::to_string(i), agent_status::ready, true, 0, i));
  auto why = reasons_for(pool, "", false, {});
  EXPECT_EQ(why.passed.size(), passed_named);
  EXPECT_EQ(why.ranked.size(), ranked_named);
  EXPECT_EQ(why.eligible, 50);
  ASSERT_EQ(why.passed_counts.size(), 1u);
  EXPECT_EQ(why.passed_counts[0].count, 500);
  EXPECT_EQ(why.ranked[0].agent, "r0");
}

TEST(ReasonNames, RoundTrip) {
  for (std::size_t i = 0; i < pass_reason_count; ++i) {
    auto r = static_cast<pass_reason>(i);
    EXPECT_EQ(parse_pass_reason(to_string(r)), r);
  }
  EXPECT_FALSE(parse_pass_reason("bored"));
}

} // namespace
} // namespace baton::engine
