#include "engine/routing/eligibility.hpp"

#include <gtest/gtest.h>

namespace baton::engine {
namespace {

TEST(EligibilityTest, AnUnrestrictedTopicIsAnyones) {
  EXPECT_TRUE(may_take_topic(false, "billing", {}));
  EXPECT_TRUE(may_take_topic(false, "", {"vip"}));
}

TEST(EligibilityTest, ARestrictedTopicGoesOnlyToThoseWhoListIt) {
  EXPECT_TRUE(may_take_topic(true, "vip", {"refund", "vip"}));
  EXPECT_FALSE(may_take_topic(true, "vip", {"refund"}));
  EXPECT_FALSE(may_take_topic(true, "vip", {}));
}

TEST(EligibilityTest, TheConfigurationSaysWhichTopicsAreRestricted) {
  config::config cfg;
  cfg.topics.push_back({.id = "vip", .name = "VIP", .restricted = true});
  cfg.topics.push_back({.id = "billing", .name = "Billing"});
  EXPECT_FALSE(may_take_topic(cfg, "vip", {"billing"}));
  EXPECT_TRUE(may_take_topic(cfg, "vip", {"vip"}));
  EXPECT_TRUE(may_take_topic(cfg, "billing", {}));
  // No topic, or one the configuration no longer has: nothing restricts.
  EXPECT_TRUE(may_take_topic(cfg, "", {}));
  EXPECT_TRUE(may_take_topic(cfg, "gone", {}));
}

} // namespace
} // namespace baton::engine
