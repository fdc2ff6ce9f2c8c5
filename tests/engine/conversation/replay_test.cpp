#include "engine/conversation/replay.hpp"

#include <gtest/gtest.h>

namespace baton::engine {
namespace {

config::config centre(strategy how, bool vip_restricted = true) {
  config::config cfg;
  config::queue q;
  q.id = "support";
  q.strategy = how;
  cfg.queues.push_back(q);
  config::topic vip;
  vip.id = "vip";
  vip.restricted = vip_restricted;
  cfg.topics.push_back(vip);
  return cfg;
}

/// Offered to hana by longest_idle: she had been idle longest; ivan had
/// more free slots; nora was passed over for the restricted topic.
std::vector<routing_step> story() {
  routing_reasons why;
  why.strategy = strategy::longest_idle;
  why.topic = "vip";
  why.restricted = true;
  why.eligible = 2;
  why.ranked = {{"hana", 1000, 1, 2, true}, {"ivan", 5000, 0, 3, true}};
  why.passed = {{"nora", pass_reason::missing_topic}};
  why.passed_counts = {{pass_reason::missing_topic, 1}};
  routing_step offered{
    7, 9000, routing_step_kind::offered, "", "support", {"hana"}, why};
  return {
    routing_step{3, 8000, routing_step_kind::queued, "", "support", {}, {}},
    offered};
}

TEST(ReplayTest, TheSameConfigurationDecidesAsRecorded) {
  auto r = replay_routing(story(), centre(strategy::longest_idle));
  EXPECT_EQ(r.decisions, 1u);
  EXPECT_TRUE(r.differences.empty());
  // random agrees with any agent it could have drawn.
  EXPECT_TRUE(
    replay_routing(story(), centre(strategy::random)).differences.empty());
}

TEST(ReplayTest, AnotherStrategyShowsWhereItWouldHaveGone) {
  auto r = replay_routing(story(), centre(strategy::least_busy));
  ASSERT_EQ(r.differences.size(), 1u);
  EXPECT_EQ(r.differences[0].seq, 7u);
  EXPECT_EQ(r.differences[0].recorded, "offered to hana by longest_idle");
  EXPECT_EQ(r.differences[0].replayed, "offered to ivan by least_busy");
  EXPECT_EQ(replay_routing(story(), centre(strategy::round_robin))
              .differences.at(0)
              .replayed,
            "by round_robin, whose rotation the grounds do not hold");
}

TEST(ReplayTest, ATopicNoLongerRestrictedOrAQueueGoneAreDifferences) {
  auto open = replay_routing(story(), centre(strategy::longest_idle, false));
  ASSERT_EQ(open.differences.size(), 1u);
  EXPECT_EQ(open.differences[0].replayed,
            "1 more agent could take it: topic vip is not restricted in this "
            "configuration");
  auto cfg = centre(strategy::longest_idle);
  cfg.queues[0].id = "sales";
  auto gone = replay_routing(story(), cfg);
  ASSERT_EQ(gone.differences.size(), 1u);
  EXPECT_EQ(gone.differences[0].replayed,
            "queue support is not in this configuration");
}

} // namespace
} // namespace baton::engine
