#include "routing_fixture.hpp"

#include <chrono>

#include "actors/metrics.hpp"

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

/// `toml` without the member `id`.
std::string without(std::string toml, const std::string& id) {
  auto cut = toml.find("[[agents]]\nid = \"" + id + "\"");
  auto end = toml.find("[[agents]]", cut + 1);
  toml.erase(cut, end == std::string::npos ? end : end - cut);
  return toml;
}

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
  reload(without(after, "alice"));

  start(customer("c2"));
  EXPECT_EQ(alice->count<offer_notice>(), 1u);
  EXPECT_TRUE(call(agent("alice"), send_message{id, "bye", {}}).ok());
}

TEST_F(ReloadTest, ARemovedAgentWithNothingLeftStopsAndIsCountedNoMore) {
  caller sam{"sam", engine::role::supervisor, "Sam"};
  auto board = connect(sam);
  ASSERT_TRUE(call(sam, supervise_subscribe{}).ok());
  const auto& offline
    = service->metrics()
        .agents[static_cast<std::size_t>(engine::agent_status::offline)];
  ASSERT_EQ(offline.get(), 2);
  auto running = running_actors();

  reload(without(before, "alice"));
  EXPECT_EQ(running_actors(), running - 1) << "alice's actor stopped";
  EXPECT_EQ(offline.get(), 1) << "baton_agents counts alice no more";
  auto rows = board->all<agent_row>();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.back().agent, "alice");
  EXPECT_EQ(rows.back().status, engine::agent_status::offline);
  EXPECT_TRUE(rows.back().queues.empty()) << "her last row, in no queue";
  // Nothing comes her way any more; a customer waits for someone else.
  auto id = start(customer("c1"));
  EXPECT_EQ(summary("c1").state, conversation_state::queued);
  EXPECT_EQ(summary("c1").conversation, id);
}

TEST_F(ReloadTest, ARemovedAgentStopsOnceHisLastConversationCloses) {
  auto alice = login("alice");
  auto id = start(customer("c1"));
  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  auto running = running_actors();
  reload(without(before, "alice"));
  disconnect(agent("alice"), alice);
  EXPECT_EQ(running_actors(), running)
    << "she stays while her conversation is open";
  EXPECT_TRUE(call(agent("alice"), send_message{id, "bye", {}}).ok());

  ASSERT_TRUE(call(customer("c1"), close_conversation{id, {}}).ok());
  run();
  EXPECT_EQ(running_actors(), running - 1);
  EXPECT_EQ(service->metrics()
              .agents[static_cast<std::size_t>(engine::agent_status::offline)]
              .get(),
            1);
}

TEST_F(ReloadTest, AnAgentRemovedAndAddedBackTakesOffersAgain) {
  // The reload that adds her back may come before her actor stops, as
  // it stops, or after: at every step of the first reload in turn.
  for (int steps = 0; steps < 40; ++steps) {
    SCOPED_TRACE(steps);
    auto running = running_actors();
    stage_reload(without(before, "alice"));
    for (int i = 0; i < steps; ++i)
      step();
    stage_reload(before);
    run();
    EXPECT_EQ(running_actors(), running) << "one actor of hers, not two";
    auto alice = login("alice");
    auto customer_id = "c" + std::to_string(steps);
    auto id = start(customer(customer_id));
    auto offer = alice->last_offer();
    ASSERT_TRUE(offer) << "she is offered work again";
    ASSERT_TRUE(call(agent("alice"), accept_offer{offer->offer}).ok());
    ASSERT_TRUE(call(customer(customer_id), close_conversation{id, {}}).ok());
    disconnect(agent("alice"), alice);
  }
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
