// A members_moved sorted once is looked up by each conversation: every
// handle that moved is found with its new one, and nothing else is.
#include "actors/conversation/moved_members.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/all.hpp"

namespace baton::actors {
namespace {

class MovedMembersTest : public ::testing::Test {
protected:
  /// A handle of its own: an actor that stops at once (only its identity
  /// matters here).
  inbox_actor handle() {
    return caf::actor_cast<inbox_actor>(
      sys_.spawn([](caf::event_based_actor*) {}));
  }

  static std::string agent_id(int n) {
    return "agent-" + std::to_string(n);
  }

  caf::actor_system_config cfg_;
  caf::actor_system sys_{cfg_};
};

TEST_F(MovedMembersTest, EveryMovedHandleIsFoundWithItsNewOneAndNoOtherIs) {
  constexpr int moved = 64;
  members_moved m;
  std::vector<inbox_actor> before;
  std::vector<inbox_actor> now;
  for (int i = 0; i < moved; ++i) {
    before.push_back(handle());
    now.push_back(handle());
    m.inboxes.emplace_back(before.back(), now.back());
  }
  // Ids in no order, as the directory gathers them.
  for (int i = 0; i < moved; ++i)
    m.agents.emplace_back(agent_id(i * 37 % moved),
                          caf::actor_cast<agent_actor>(now[i]));
  sort_for_lookup(m);

  for (int i = 0; i < moved; ++i) {
    const auto* to = moved_to(m, before[i]);
    ASSERT_NE(to, nullptr) << i;
    EXPECT_EQ(*to, now[i]);
    const auto* agent = agent_moved(m, agent_id(i * 37 % moved));
    ASSERT_NE(agent, nullptr) << i;
    EXPECT_EQ(inbox_actor{*agent}, now[i]);
  }
  EXPECT_EQ(moved_to(m, handle()), nullptr) << "one that stayed";
  EXPECT_EQ(moved_to(m, now[0]), nullptr) << "a new handle moved nowhere";
  EXPECT_EQ(agent_moved(m, agent_id(moved)), nullptr);
  EXPECT_EQ(agent_moved(m, ""), nullptr);
}

} // namespace
} // namespace baton::actors
