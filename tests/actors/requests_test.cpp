#include "routing_fixture.hpp"

#include "actors/metrics.hpp"

#include <chrono>

namespace baton::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::agent_status;
using engine::conversation_state;
using engine::errc;

constexpr auto centre = R"(
[routing]
default_queue = "sales"

[[topics]]
id = "billing"

[[queues]]
id = "sales"
name = "Sales"

[[queues]]
id = "support"
name = "Support"
mode = "pull"

[[agents]]
id = "alice"
name = "Alice"
queues = ["sales"]
capacity = 2

[[agents]]
id = "bob"
name = "Bob"
queues = ["sales", "support"]

[[agents]]
id = "sam"
name = "Sam"
roles = ["supervisor"]
queues = []
permissions = ["supervise"]
)";

class RequestsTest : public RoutingFixture {
protected:
  void SetUp() override {
    boot(centre);
    alice = login("alice");
  }

  /// Starts a conversation for `who` and has alice accept it.
  std::string routed(const std::string& who) {
    auto id = start(customer(who));
    EXPECT_TRUE(
      call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
    return id;
  }

  reply hello(const caller& who, recorder_ptr& sink) {
    sink = std::make_shared<recorder>();
    reply_box box;
    service->connect(who, sink, box.fn());
    run();
    EXPECT_EQ(box.replies.size(), 1u);
    return box.replies.empty() ? reply{} : box.replies[0];
  }

  recorder_ptr alice;
};

TEST_F(RequestsTest, HelloListsTheAgentsConversationsAndOpenOffers) {
  auto assigned = routed("carol");
  auto offered = start(customer("dave"));
  recorder_ptr second_tab;
  auto out = hello(agent("alice"), second_tab).as<welcome>();
  ASSERT_EQ(out.conversations.size(), 1u);
  EXPECT_EQ(out.conversations[0].conversation, assigned);
  EXPECT_EQ(out.conversations[0].state, conversation_state::assigned);
  EXPECT_EQ(out.conversations[0].assignee, "alice");
  ASSERT_EQ(out.offers.size(), 1u);
  EXPECT_EQ(out.offers[0].first, offered);
  EXPECT_EQ(out.offers[0].second.customer.id, "dave");
  // Both sessions hear what follows.
  call(customer("carol"), send_message{assigned, "still there?", {}});
  EXPECT_EQ(alice->count<engine::message_posted>(), 1u);
  EXPECT_EQ(second_tab->count<engine::message_posted>(), 1u);
}

TEST_F(RequestsTest, HelloListsACustomersOpenConversations) {
  auto open = routed("carol");
  auto closed = start(customer("carol"));
  call(customer("carol"), close_conversation{closed, {}});
  recorder_ptr sink;
  auto out = hello(customer("carol"), sink).as<welcome>();
  ASSERT_EQ(out.conversations.size(), 1u);
  EXPECT_EQ(out.conversations[0].conversation, open);
  EXPECT_EQ(out.conversations[0].customer.id, "carol");

  list_conversations only_closed;
  only_closed.state = conversation_state::closed;
  auto listed = call(customer("carol"), only_closed).as<conversation_list>();
  ASSERT_EQ(listed.conversations.size(), 1u);
  EXPECT_EQ(listed.conversations[0].conversation, closed);
  EXPECT_TRUE(call(customer("dave"), list_conversations{})
                .as<conversation_list>()
                .conversations.empty());
}

TEST_F(RequestsTest, AgentListsItsOwnConversations) {
  auto mine = routed("carol");
  auto listed = call(agent("alice"), list_conversations{});
  ASSERT_TRUE(listed.ok()) << listed.message;
  const auto& mine_listed = listed.as<conversation_list>().conversations;
  ASSERT_EQ(mine_listed.size(), 1u);
  EXPECT_EQ(mine_listed[0].conversation, mine);
  EXPECT_TRUE(call(agent("bob"), list_conversations{})
                .as<conversation_list>()
                .conversations.empty());
}

TEST_F(RequestsTest, HistoryPagesAndHidesWhatCustomersMayNotSee) {
  auto id = routed("carol");
  for (int i = 0; i < 5; ++i)
    call(customer("carol"), send_message{id, "m" + std::to_string(i), {}});
  conversation_history first_page;
  first_page.conversation = id;
  first_page.limit = 3;
  auto out = call(customer("carol"), first_page);
  ASSERT_TRUE(out.ok()) << out.message;
  const auto& page = out.as<history_page>();
  ASSERT_EQ(page.events.size(), 3u);
  EXPECT_TRUE(page.more);
  for (const auto& e : page.events)
    EXPECT_TRUE(engine::customer_visible(e));
  conversation_history rest = first_page;
  rest.after_seq = page.events.back().seq;
  rest.limit = 500;
  auto tail = call(customer("carol"), rest).as<history_page>();
  EXPECT_FALSE(tail.more);
  EXPECT_GT(tail.events.front().seq, page.events.back().seq);

  // Another customer hears what it would of an id that does not exist.
  EXPECT_EQ(call(customer("mallory"), first_page).code, errc::not_found);
  EXPECT_EQ(call(agent("bob"), first_page).code, errc::forbidden);
  // Alice keeps access after the conversation closed.
  call(agent("alice"), close_conversation{id, {}});
  EXPECT_TRUE(call(agent("alice"), first_page).ok());
}

TEST_F(RequestsTest, TypingReachesTheOthersOnly) {
  auto carol = connect(customer("carol"));
  auto id = routed("carol");
  ASSERT_TRUE(call(customer("carol"), send_typing{id}).ok());
  EXPECT_EQ(alice->count<typing_notice>(), 1u);
  EXPECT_EQ(carol->count<typing_notice>(), 0u);
  ASSERT_TRUE(call(agent("alice"), send_typing{id}).ok());
  EXPECT_EQ(carol->count<typing_notice>(), 1u);
  EXPECT_EQ(call(customer("mallory"), send_typing{id}).code, errc::not_found);
}

TEST_F(RequestsTest, QueueListCountsAgentsAndWaitingConversations) {
  call(agent("alice"), set_agent_status{agent_status::not_ready, {}});
  start(customer("carol"));
  advance(4s);
  auto out = call(agent("alice"), list_queues{}).as<queue_list>();
  ASSERT_EQ(out.queues.size(), 2u);
  const auto& sales = out.queues[0];
  EXPECT_EQ(sales.queue, "sales");
  EXPECT_EQ(sales.name, "Sales");
  EXPECT_EQ(sales.waiting, 1u);
  EXPECT_EQ(sales.longest_wait_ms, 4000);
  EXPECT_EQ(sales.agents_ready, 0u);
  login("bob");
  out = call(agent("alice"), list_queues{}).as<queue_list>();
  EXPECT_EQ(out.queues[0].agents_available, 1u);
  EXPECT_EQ(out.queues[0].agents_busy, 1u) << "bob holds the offer";
  EXPECT_EQ(call(customer("carol"), list_queues{}).code, errc::forbidden);
}

TEST_F(RequestsTest, AgentListIsForSupervisors) {
  routed("carol");
  caller sam{"sam", engine::role::supervisor, "Sam"};
  auto out = call(sam, list_agents{}).as<agent_list>();
  // Sam only supervises: two rows, alice and bob.
  ASSERT_EQ(out.agents.size(), 2u);
  EXPECT_EQ(out.agents[0].agent, "alice");
  EXPECT_EQ(out.agents[0].status, agent_status::ready);
  EXPECT_EQ(out.agents[0].load, 1);
  EXPECT_EQ(out.agents[0].capacity, 2);
  list_agents support;
  support.queue = "support";
  auto in_support = call(sam, support).as<agent_list>();
  ASSERT_EQ(in_support.agents.size(), 1u);
  EXPECT_EQ(in_support.agents[0].agent, "bob");
  list_agents nowhere;
  nowhere.queue = "nowhere";
  EXPECT_EQ(call(sam, nowhere).code, errc::not_found);
  EXPECT_EQ(call(agent("alice"), list_agents{}).code, errc::forbidden);
}

} // namespace
} // namespace baton::actors::testing

namespace baton::actors::testing {
namespace {

TEST_F(RequestsTest, MetricsCountWhatHappened) {
  const auto& m = service->metrics();
  auto ready = static_cast<std::size_t>(engine::agent_status::ready);
  auto offline = static_cast<std::size_t>(engine::agent_status::offline);
  EXPECT_EQ(m.agents[ready].get(), 1);
  EXPECT_EQ(m.agents[offline].get(), 2);
  auto first = start(customer("carol"));
  EXPECT_EQ(m.conversations_waiting.at("sales").get(), 1);
  call(agent("alice"), reject_offer{alice->last_offer()->offer, {}});
  advance(1s); // the reoffer delay
  call(agent("alice"), accept_offer{alice->last_offer()->offer});
  EXPECT_EQ(m.conversations_waiting.at("sales").get(), 0);
  EXPECT_EQ(m.conversations_active.get(), 1);
  EXPECT_EQ(m.offers[static_cast<std::size_t>(offer_result::rejected)].get(),
            1);
  EXPECT_EQ(m.offers[static_cast<std::size_t>(offer_result::accepted)].get(),
            1);
  auto latency = m.route_latency.read();
  EXPECT_EQ(latency.cumulative.back(), 1u);
  EXPECT_NEAR(latency.sum, 1.0, 0.01);
  call(customer("carol"), send_message{first, "hi", {}});
  EXPECT_EQ(m.messages[0].get(), 1);
  call(customer("carol"), close_conversation{first, {}});
  EXPECT_EQ(m.conversations_active.get(), 0);
}

/// baton_route_latency_seconds, observed once per routing: its count and
/// the sum of what it observed.
std::pair<std::uint64_t, double> routes(const routing_metrics& m) {
  auto h = m.route_latency.read();
  return {h.cumulative.back(), h.sum};
}

TEST_F(RequestsTest, RouteLatencyOfADirectConversationIsFromItsStart) {
  const auto& m = service->metrics();
  start_conversation r;
  r.agent = "alice";
  r.text = "Alice helped me before";
  ASSERT_TRUE(call(customer("carol"), r).ok());
  advance(2s);
  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  auto [count, sum] = routes(m);
  EXPECT_EQ(count, 1u);
  EXPECT_NEAR(sum, 2.0, 0.01) << "not from the epoch";
}

TEST_F(RequestsTest, RouteLatencyOfATransferIsFromItsRequest) {
  const auto& m = service->metrics();
  auto bob = login("bob", false);
  auto id = routed("carol");
  advance(10s); // alice handles it a while
  request_transfer t;
  t.conversation = id;
  t.to_queue = "sales";
  t.topic = "billing";
  auto placed = call(agent("alice"), t);
  ASSERT_TRUE(placed.ok()) << placed.message;
  // The customer takes 5 s to say yes: routing starts then.
  advance(5s);
  ASSERT_TRUE(call(customer("carol"),
                   answer_consent{id, placed.as<actors::placed>().id, true})
                .ok());
  call(agent("bob"), set_agent_status{agent_status::ready, {}});
  advance(1s);
  ASSERT_TRUE(bob->last_offer());
  ASSERT_TRUE(call(agent("bob"), accept_offer{bob->last_offer()->offer}).ok());
  auto [count, sum] = routes(m);
  EXPECT_EQ(count, 2u);
  EXPECT_NEAR(sum, 1.0, 0.01)
    << "neither the first handling nor the wait for consent";
}

TEST_F(RequestsTest, RouteLatencyCountsAPickFromTheWaitingList) {
  const auto& m = service->metrics();
  login("bob");
  auto id = start(customer("carol"), "support");
  advance(3s);
  ASSERT_TRUE(call(agent("bob"), pick_waiting{id}).ok());
  auto [count, sum] = routes(m);
  EXPECT_EQ(count, 1u);
  EXPECT_NEAR(sum, 3.0, 0.01);
}

} // namespace
} // namespace baton::actors::testing

namespace baton::actors::testing {
namespace {

TEST_F(RequestsTest, WhispersReachAgentsAndNeverTheCustomer) {
  auto carol = connect(customer("carol"));
  auto id = routed("carol");
  auto out = call(agent("alice"), send_whisper{id, "VIP, be nice"});
  ASSERT_TRUE(out.ok()) << out.message;
  auto whispers = alice->all<engine::message_posted>();
  ASSERT_EQ(whispers.size(), 1u);
  EXPECT_EQ(whispers[0].visibility, engine::visibility::agents);
  EXPECT_EQ(carol->count<engine::message_posted>(), 0u);

  conversation_history all;
  all.conversation = id;
  all.limit = 500;
  for (const auto& e : call(customer("carol"), all).as<history_page>().events)
    EXPECT_TRUE(engine::customer_visible(e)) << e.seq;
  EXPECT_EQ(call(agent("alice"), all).as<history_page>().events.back().seq,
            out.as<appended>().seq);

  EXPECT_EQ(call(customer("carol"), send_whisper{id, "me too"}).code,
            errc::forbidden);
  EXPECT_EQ(call(agent("bob"), send_whisper{id, "hi"}).code, errc::forbidden);
  auto agents_only = static_cast<std::size_t>(engine::visibility::agents);
  EXPECT_EQ(service->metrics().messages[agents_only].get(), 1);
}

} // namespace
} // namespace baton::actors::testing
