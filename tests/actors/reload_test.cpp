#include "routing_fixture.hpp"

#include <chrono>

namespace baton::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::conversation_state;

constexpr auto before = R"(
[routing]
default_queue = "sales"

[[queues]]
id = "sales"
name = "Sales"

[[queues]]
id = "support"
name = "Support"

[[agents]]
id = "alice"
name = "Alice"
queues = ["sales"]
capacity = 1

[[agents]]
id = "sam"
name = "Sam"
roles = ["supervisor"]
queues = []
)";

/// Support is gone, dan is new, alice takes two at once.
constexpr auto after = R"(
[routing]
default_queue = "sales"

[[queues]]
id = "sales"
name = "Sales"

[[agents]]
id = "alice"
name = "Alice"
queues = ["sales"]
capacity = 2

[[agents]]
id = "dan"
name = "Dan"
queues = ["sales"]

[[agents]]
id = "sam"
name = "Sam"
roles = ["supervisor"]
queues = []
)";

class ReloadTest : public RoutingFixture {
protected:
  void SetUp() override {
    boot(before);
  }

  conversation_summary summary(const std::string& customer_id) {
    auto out = call(customer(customer_id), list_conversations{})
                 .as<conversation_list>();
    EXPECT_EQ(out.conversations.size(), 1u);
    return out.conversations.empty() ? conversation_summary{}
                                     : out.conversations[0];
  }

  queue_row queue_stats(const std::string& queue) {
    auto out = call({"sam", engine::role::supervisor, "Sam"}, list_queues{});
    for (const auto& q : out.as<queue_list>().queues)
      if (q.queue == queue)
        return q;
    ADD_FAILURE() << "no queue " << queue;
    return {};
  }
};

TEST_F(ReloadTest, ANewAgentTakesConversations) {
  reload(after);
  auto dan = login("dan");
  auto id = start(customer("c1"));
  auto offer = dan->last_offer();
  ASSERT_TRUE(offer);
  EXPECT_TRUE(call(agent("dan"), accept_offer{offer->offer}).ok());
  EXPECT_EQ(summary("c1").assignee, "dan");
  EXPECT_EQ(summary("c1").conversation, id);
}

TEST_F(ReloadTest, ARemovedQueueHandsItsWaitingToTheDefaultQueueWithTheirAge) {
  start(customer("c1"), "support");
  advance(5000ms);
  start(customer("c2"), "support");
  advance(1000ms);
  auto c1 = connect(customer("c1"));
  reload(after);

  EXPECT_EQ(summary("c1").queue, "sales");
  EXPECT_EQ(summary("c1").state, conversation_state::queued);
  EXPECT_EQ(summary("c2").queue, "sales");
  auto queued = c1->all<engine::conversation_queued>();
  ASSERT_EQ(queued.size(), 1u) << "the customer is told where it waits now";
  EXPECT_EQ(queued[0].queue, "sales");
  auto sales = queue_stats("sales");
  EXPECT_EQ(sales.waiting, 2u);
  EXPECT_EQ(sales.longest_wait_ms, 6000) << "the age is kept";

  // The oldest is offered first, as it would have been in support.
  auto dan = login("dan");
  auto offer = dan->last_offer();
  ASSERT_TRUE(offer);
  EXPECT_TRUE(call(agent("dan"), accept_offer{offer->offer}).ok());
  EXPECT_EQ(summary("c1").assignee, "dan");
  EXPECT_EQ(summary("c2").state, conversation_state::queued);
}

TEST_F(ReloadTest, ACapacityChangeTakesEffectAtOnce) {
  auto alice = login("alice");
  start(customer("c1"));
  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  start(customer("c2"));
  EXPECT_EQ(alice->count<offer_notice>(), 1u) << "alice is full";

  reload(after);
  EXPECT_EQ(alice->count<offer_notice>(), 2u) << "a second slot: c2 comes";
  auto rows = call({"sam", engine::role::supervisor, "Sam"}, list_agents{})
                .as<agent_list>()
                .agents;
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].agent, "alice");
  EXPECT_EQ(rows[0].capacity, 2);
}

TEST_F(ReloadTest, OffersSessionsAndConversationsSurvive) {
  auto alice = login("alice");
  auto id = start(customer("c1"));
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer);
  reload(after);
  EXPECT_EQ(alice->count<offer_revoked_notice>(), 0u);
  ASSERT_TRUE(call(agent("alice"), accept_offer{offer->offer}).ok());
  EXPECT_TRUE(call(agent("alice"), send_message{id, "still here", {}}).ok());
  EXPECT_EQ(alice->count<engine::message_posted>(), 1u)
    << "the session still gets events";
}

TEST_F(ReloadTest, ARemovedAgentKeepsItsConversationsButGetsNoNewOffers) {
  auto alice = login("alice");
  auto id = start(customer("c1"));
  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  auto without_alice = std::string(after);
  auto cut = without_alice.find("[[agents]]\nid = \"alice\"");
  auto end = without_alice.find("[[agents]]", cut + 1);
  without_alice.erase(cut, end - cut);
  reload(without_alice);

  start(customer("c2"));
  EXPECT_EQ(alice->count<offer_notice>(), 1u);
  EXPECT_TRUE(call(agent("alice"), send_message{id, "bye", {}}).ok());
}

TEST_F(ReloadTest, AMonitorWhoMayNoLongerSuperviseHearsNoMore) {
  auto eve = [](const char* permissions) {
    return std::string(after) + "\n[[agents]]\nid = \"eve\"\nname = \"Eve\"\n"
           + "queues = []\npermissions = " + permissions + "\n";
  };
  reload(eve(R"(["supervise"])"));
  auto alice = login("alice");
  auto eve_desk = login("eve");
  auto id = start(customer("c1"));
  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  ASSERT_TRUE(call(agent("eve"), monitor_conversation{id}).ok());
  ASSERT_TRUE(call(agent("alice"), send_message{id, "heard", {}}).ok());
  run();
  EXPECT_EQ(eve_desk->count<engine::message_posted>(), 1u);

  reload(eve("[]"));
  ASSERT_TRUE(call(agent("alice"), send_message{id, "not heard", {}}).ok());
  run();
  EXPECT_EQ(eve_desk->count<engine::message_posted>(), 1u)
    << "the monitor went with the permission";
  EXPECT_EQ(call(agent("eve"), monitor_conversation{id}).code,
            engine::errc::forbidden);
  // A supervisor by role keeps monitoring through a reload.
  caller sam{"sam", engine::role::supervisor, "Sam"};
  auto sam_board = connect(sam);
  ASSERT_TRUE(call(sam, monitor_conversation{id}).ok());
  reload(eve("[]"));
  ASSERT_TRUE(call(agent("alice"), send_message{id, "still", {}}).ok());
  run();
  EXPECT_EQ(sam_board->count<engine::message_posted>(), 1u);
}

} // namespace
} // namespace baton::actors::testing
