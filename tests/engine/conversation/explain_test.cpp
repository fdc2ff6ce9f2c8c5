#include "engine/conversation/explain.hpp"

#include <gtest/gtest.h>

namespace baton::engine {
namespace {

std::vector<event> numbered(std::vector<event_body> bodies) {
  std::vector<event> log;
  for (auto& b : bodies)
    log.push_back(
      {log.size() + 1, 60'000 + 1000 * (time_ms) log.size(), std::move(b)});
  return log;
}

routing_reasons nobody_eligible() {
  routing_reasons why;
  why.strategy = strategy::longest_idle;
  why.topic = "billing";
  why.restricted = true;
  why.passed = {
    {"olga", pass_reason::offline},      {"abel", pass_reason::absent},
    {"nora", pass_reason::not_ready},    {"fred", pass_reason::full},
    {"mia", pass_reason::missing_topic}, {"tom", pass_reason::already_tried}};
  for (const auto& p : why.passed)
    why.passed_counts.push_back({p.reason, 1});
  return why;
}

TEST(ExplainRouting, ATimeoutWithNobodyEligibleSaysWhyOfEachAgent) {
  auto log = numbered({conversation_created{},
                       conversation_queued{"support", 0, 60'000, "", ""},
                       routing_explained{routing_decision::wait_expired,
                                         "support", nobody_eligible()},
                       no_agents{"Sorry"}, conversation_closed{}});
  auto steps = explain_routing(log);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].kind, routing_step_kind::queued);
  EXPECT_EQ(steps[0].text, "Entered queue support.");
  const auto& end = steps[1];
  EXPECT_EQ(end.kind, routing_step_kind::wait_expired);
  EXPECT_EQ(end.queue, "support");
  ASSERT_TRUE(end.why);
  EXPECT_EQ(end.why->passed.size(), 6u);
  EXPECT_EQ(end.text,
            "The wait in queue support ran out. No agent could take it. "
            "Passed over: olga (offline), abel (away, with no session "
            "connected), nora (not ready), fred (full), mia (not allowed the "
            "restricted topic billing) and tom (already offered it in this "
            "round).");
}

TEST(ExplainRouting, AnOfferSaysWhyItsAgentAndHowItEnded) {
  routing_reasons why;
  why.strategy = strategy::longest_idle;
  why.eligible = 2;
  why.ranked = {{"hana", 30'000, 0, 2, false}, {"ivan", 50'000, 1, 2, false}};
  why.passed = {{"nora", pass_reason::not_ready}};
  why.passed_counts = {{pass_reason::not_ready, 3}};
  auto log = numbered(
    {conversation_created{}, conversation_queued{"support", 0, 60'000, "", ""},
     routing_explained{routing_decision::offered, "support", why},
     offer_made{{{"o-1", "hana"}}, offer_kind::new_, 90'000},
     offer_ended{"o-1", "hana", offer_end::timeout},
     conversation_queued{"support", 0, 60'000, "", ""},
     offer_made{{{"o-2", "ivan"}}, offer_kind::new_, 90'000},
     conversation_assigned{"ivan", "o-2"}});
  auto steps = explain_routing(log);
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[1].kind, routing_step_kind::offered);
  EXPECT_EQ(steps[1].seq, 4u);
  EXPECT_EQ(steps[1].agents, std::vector<std::string>{"hana"});
  EXPECT_EQ(steps[1].why, why);
  // The offer is at 63 s: hana had been idle since 30 s.
  EXPECT_EQ(steps[1].text,
            "Offered to hana by longest_idle: idle for 33 s, the longest of 2 "
            "eligible agents. Passed over: nora (not ready). In all 3 passed "
            "over: 3 not ready.");
  EXPECT_EQ(steps[2].text, "hana did not answer in time.");
  EXPECT_EQ(steps[3].text, "Back in queue support.");
  // A log from before grounds were recorded still reads.
  EXPECT_EQ(steps[4].text, "Offered to ivan.");
  EXPECT_FALSE(steps[4].why);
  EXPECT_EQ(steps[5].text, "Assigned to ivan.");

  auto later = explain_routing(log, 5);
  ASSERT_EQ(later.size(), 3u);
  EXPECT_EQ(later[0].seq, 6u);
}

TEST(ExplainRouting, EachStrategySaysWhatItWentBy) {
  auto offered = [](strategy how, bool topic_match) {
    routing_reasons why;
    why.strategy = how;
    why.topic = "billing";
    why.eligible = 3;
    why.ranked = {{"hana", 30'000, 1, 3, topic_match}};
    auto log = numbered({routing_explained{routing_decision::offered, "q", why},
                         offer_made{{{"o-1", "hana"}}, offer_kind::new_, 0}});
    return explain_routing(log).at(0).text;
  };
  EXPECT_EQ(offered(strategy::least_busy, false),
            "Offered to hana by least_busy: 1 of 3 slots in use, the most free "
            "of 3 eligible agents.");
  EXPECT_EQ(offered(strategy::round_robin, false),
            "Offered to hana by round_robin: next in the rotation of 3 "
            "eligible agents.");
  EXPECT_EQ(offered(strategy::random, false),
            "Offered to hana by random: drawn at random from 3 eligible "
            "agents.");
  EXPECT_EQ(offered(strategy::skills, true),
            "Offered to hana by skills: lists the topic billing, idle for 31 "
            "s, the longest of those who do.");
  EXPECT_EQ(offered(strategy::skills, false),
            "Offered to hana by skills: no eligible agent lists the topic "
            "billing, so idle for 31 s, the longest of 3 eligible agents.");
}

} // namespace
} // namespace baton::engine
