#include "engine/config/changes.hpp"

#include <gtest/gtest.h>

namespace baton::engine::config {
namespace {

config centre() {
  config c;
  c.queues.push_back({.id = "sales", .name = "Sales"});
  c.queues.push_back({.id = "support", .name = "Support"});
  agent alice;
  alice.id = "alice";
  alice.capacity = 2;
  alice.queues = {"sales"};
  c.agents.push_back(alice);
  agent bob;
  bob.id = "bob";
  c.agents.push_back(bob);
  return c;
}

TEST(ConfigChangesTest, NothingChangedSaysNothing) {
  EXPECT_TRUE(describe_changes(centre(), centre()).empty());
}

TEST(ConfigChangesTest, NamesSectionsAndEntriesAddedRemovedAndChanged) {
  auto before = centre();
  auto after = centre();
  after.routing.offer_timeout_ms += 1000;
  after.auth.secret = "another secret, never shown";
  after.queues.erase(after.queues.begin() + 1);
  after.queues.push_back({.id = "vip", .name = "VIP"});
  after.agents[0].capacity = 3;
  after.agents[0].queues = {"sales", "vip"};
  after.agents.pop_back();
  after.agents.push_back(agent{.id = "carol"});
  const std::vector<std::string> expected{
    "[auth] changed",
    "[routing] changed",
    "queue support removed",
    "queue vip added",
    "agent alice changed: queues, capacity",
    "agent bob removed",
    "agent carol added"};
  EXPECT_EQ(describe_changes(before, after), expected);
  // Loaded configurations look their agents up by the roster's index.
  before.index_roster();
  after.index_roster();
  EXPECT_EQ(describe_changes(before, after), expected);
}

} // namespace
} // namespace baton::engine::config
