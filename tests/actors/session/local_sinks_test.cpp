#include "actors/session/local_sinks.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/send.hpp"

namespace baton::actors {
namespace {

/// Counts what it is handed.
class counting_sink : public event_sink {
public:
  void deliver(const notification_ptr& n) override {
    seen.push_back(n);
  }
  std::vector<notification_ptr> seen;
};

/// Two stand-ins for hubs: only their handles matter here.
class LocalSinksTest : public ::testing::Test {
protected:
  LocalSinksTest()
    : system_(cfg_),
      sinks_(system_.node()),
      hub_(spawn_hub()),
      other_hub_(spawn_hub()) {
  }

  ~LocalSinksTest() override {
    caf::anon_send_exit(hub_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(other_hub_, caf::exit_reason::user_shutdown);
  }

  session_hub_actor spawn_hub() {
    auto hub = system_.spawn([]() -> caf::behavior { return {[](int) {}}; });
    return caf::actor_cast<session_hub_actor>(hub);
  }

  caf::actor_system_config cfg_;
  caf::actor_system system_;
  local_sinks sinks_;
  session_hub_actor hub_;
  session_hub_actor other_hub_;
  notification_ptr event_ = std::make_shared<const notification>();
};

TEST_F(LocalSinksTest, ASessionOfThisProcessIsHandedItsEventDirectly) {
  auto sink = std::make_shared<counting_sink>();
  auto number = sinks_.add(hub_.id(), sink);
  EXPECT_TRUE(sinks_.deliver(session_ref{hub_, number}, event_));
  ASSERT_EQ(sink->seen.size(), 1u);
  EXPECT_EQ(sink->seen.front(), event_); // shared, not copied
}

TEST_F(LocalSinksTest, NumbersAreUniqueAcrossTheHubsOfTheProcess) {
  auto first = sinks_.add(hub_.id(), std::make_shared<counting_sink>());
  auto second = sinks_.add(other_hub_.id(), std::make_shared<counting_sink>());
  EXPECT_NE(first, second);
}

TEST_F(LocalSinksTest, ASessionAnotherHubNumberedGoesThroughThatHub) {
  auto sink = std::make_shared<counting_sink>();
  auto number = sinks_.add(hub_.id(), sink);
  // Same number, other hub: not this table's session (the caller sends the
  // event to that hub instead).
  EXPECT_FALSE(sinks_.deliver(session_ref{other_hub_, number}, event_));
  EXPECT_TRUE(sink->seen.empty());
}

TEST_F(LocalSinksTest, AClosedSessionIsHandedNothing) {
  auto sink = std::make_shared<counting_sink>();
  auto number = sinks_.add(hub_.id(), sink);
  sinks_.remove(number);
  EXPECT_FALSE(sinks_.deliver(session_ref{hub_, number}, event_));
  EXPECT_TRUE(sink->seen.empty());
}

TEST_F(LocalSinksTest, ASessionOnAnotherNodeIsNotLookedUpHere) {
  auto sink = std::make_shared<counting_sink>();
  auto number = sinks_.add(hub_.id(), sink);
  auto node = caf::make_node_id(42, "0123456789012345678901234567890123456789");
  ASSERT_TRUE(node);
  local_sinks elsewhere{*node};
  EXPECT_FALSE(elsewhere.deliver(session_ref{hub_, number}, event_));
  EXPECT_TRUE(sinks_.deliver(session_ref{hub_, number}, event_));
}

} // namespace
} // namespace baton::actors
