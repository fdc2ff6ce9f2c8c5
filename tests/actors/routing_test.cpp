#include "routing_fixture.hpp"

#include <chrono>

#include "actors/metrics.hpp"

namespace baton::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::agent_status;
using engine::errc;
using engine::offer_end;

constexpr auto two_agents = R"(
[routing]
default_queue = "sales"
max_missed_offers = 2
agent_disconnect_grace_ms = 5000

[[queues]]
id = "sales"
strategy = "longest_idle"
offer_timeout_ms = 20000
wait_timeout_ms = 300000

[[agents]]
id = "alice"
queues = ["sales"]
capacity = 1

[[agents]]
id = "bob"
queues = ["sales"]
capacity = 1
)";

class PushRoutingTest : public RoutingFixture {
protected:
  void SetUp() override {
    boot(two_agents);
    alice = login("alice");
    // Bob logs in later, so alice has been idle longest and is asked first.
    advance(1s);
    bob = login("bob");
    carol = connect(customer("carol"));
  }

  recorder_ptr alice, bob, carol;
};

TEST_F(PushRoutingTest, OffersTheLongestIdleAgentFirst) {
  auto c = start(customer("carol"));
  ASSERT_EQ(alice->count<offer_notice>(), 1u);
  EXPECT_EQ(bob->count<offer_notice>(), 0u);
  auto offer = *alice->last_offer();
  EXPECT_EQ(offer.queue, "sales");
  EXPECT_EQ(offer.kind, engine::offer_kind::new_);
  EXPECT_EQ(offer.customer.id, "carol");
  EXPECT_EQ(alice->got.back()->conversation, c);
}

TEST_F(PushRoutingTest, AcceptAssignsAndEveryoneHearsOfIt) {
  auto c = start(customer("carol"));
  auto out = call(agent("alice"), accept_offer{alice->last_offer()->offer});
  ASSERT_TRUE(out.ok()) << out.message;
  EXPECT_EQ(out.as<opened>().conversation, c);
  auto joined = carol->all<engine::participant_joined>();
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].who.id, "alice");
  EXPECT_EQ(joined[0].text, "alice has joined the conversation");
  EXPECT_EQ(carol->count<engine::conversation_assigned>(), 1u);
  EXPECT_EQ(alice->count<engine::participant_joined>(), 1u);
  EXPECT_EQ(bob->count<offer_notice>(), 0u);
}

TEST_F(PushRoutingTest, OfferTimeoutMovesToTheNextAgent) {
  start(customer("carol"));
  auto first = *alice->last_offer();
  advance(19'999ms);
  EXPECT_EQ(bob->count<offer_notice>(), 0u) << "not a moment early";
  advance(1ms);
  auto revoked = alice->all<offer_revoked_notice>();
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].offer, first.offer);
  EXPECT_EQ(revoked[0].reason, offer_end::timeout);
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  // The expired offer can no longer be accepted.
  EXPECT_EQ(call(agent("alice"), accept_offer{first.offer}).code,
            errc::conflict);
  EXPECT_TRUE(call(agent("bob"), accept_offer{bob->last_offer()->offer}).ok());
}

TEST_F(PushRoutingTest, RejectOffersTheNextAgentAtOnce) {
  start(customer("carol"));
  auto out = call(agent("alice"), reject_offer{alice->last_offer()->offer, {}});
  ASSERT_TRUE(out.ok()) << out.message;
  EXPECT_EQ(bob->count<offer_notice>(), 1u);
  EXPECT_EQ(
    call(agent("alice"), reject_offer{alice->last_offer()->offer, {}}).code,
    errc::conflict);
}

TEST_F(PushRoutingTest, MissedOffersInARowMakeTheAgentNotReady) {
  call(agent("bob"), set_agent_status{agent_status::not_ready, {}});
  start(customer("carol"));
  advance(20s); // missed once
  advance(1s);  // offered again after the reoffer delay: nobody else is ready
  ASSERT_EQ(alice->count<offer_notice>(), 2u);
  advance(20s); // missed twice: max_missed_offers = 2
  auto statuses = alice->all<agent_status_notice>();
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses.back().status, agent_status::not_ready);
  EXPECT_EQ(statuses.back().reason, "missed_offers");
  advance(20s);
  EXPECT_EQ(alice->count<offer_notice>(), 2u) << "no offers while not ready";
}

TEST_F(PushRoutingTest, AnAcceptOnItsWayAtTheTimeoutIsNotAMiss) {
  call(agent("bob"), set_agent_status{agent_status::not_ready, {}});
  start(customer("carol"));
  for (int round = 0; round < 2; ++round) {
    reply_box late;
    submit(agent("alice"), accept_offer{alice->last_offer()->offer}, late);
    // The accept passes the hub and waits in the directory's mailbox; the
    // timeout then reaches the conversation (through the timers actor)
    // before alice's claim.
    step();
    advance(20s);
    ASSERT_EQ(late.replies.size(), 1u);
    EXPECT_EQ(late.replies[0].code, errc::conflict);
    advance(1s); // offered again
  }
  EXPECT_EQ(alice->count<agent_status_notice>(), 1u)
    << "only the first 'ready': a late accept is not a missed offer";
}

// `baton_timers_pending`: a waiting conversation's offer timeout and idle
// check, none once they ran out.
TEST_F(PushRoutingTest, TheTimersOfAConversationAreCountedUntilTheyRunOut) {
  const auto& pending = service->metrics().timers_pending;
  EXPECT_EQ(pending.get(), 0);
  auto c = start(customer("carol"));
  EXPECT_EQ(pending.get(), 2);
  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  ASSERT_TRUE(call(customer("carol"), close_conversation{c, {}}).ok());
  advance(31s);
  EXPECT_EQ(pending.get(), 0);
}

TEST_F(PushRoutingTest, AcceptAfterTheCustomerLeftIsAConflict) {
  auto c = start(customer("carol"));
  auto offer = *alice->last_offer();
  ASSERT_TRUE(call(customer("carol"), close_conversation{c, {}}).ok());
  auto revoked = alice->all<offer_revoked_notice>();
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].reason, offer_end::abandoned);
  EXPECT_EQ(call(agent("alice"), accept_offer{offer.offer}).code,
            errc::conflict);
  // Alice's slot is free again.
  start(customer("dave"));
  EXPECT_EQ(alice->count<offer_notice>(), 2u);
}

TEST_F(PushRoutingTest, AcceptRacingTheCustomerCloseHasOneOutcome) {
  auto c = start(customer("carol"));
  reply_box accept, close;
  submit(agent("alice"), accept_offer{alice->last_offer()->offer}, accept);
  submit(customer("carol"), close_conversation{c, {}}, close);
  run();
  ASSERT_EQ(accept.replies.size(), 1u);
  ASSERT_EQ(close.replies.size(), 1u);
  EXPECT_TRUE(close.replies[0].ok());
  EXPECT_EQ(carol->count<engine::conversation_closed>(), 1u);
  // Whichever came first, alice ends with a free slot.
  start(customer("dave"));
  EXPECT_EQ(alice->count<offer_notice>(), 2u);
}

TEST_F(PushRoutingTest, GoingOfflineMidOfferPassesItOn) {
  start(customer("carol"));
  ASSERT_TRUE(
    call(agent("alice"), set_agent_status{agent_status::offline, {}}).ok());
  auto revoked = alice->all<offer_revoked_notice>();
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].reason, offer_end::cancelled);
  EXPECT_EQ(bob->count<offer_notice>(), 1u);
}

TEST_F(PushRoutingTest, GoingOfflineWhileAnAcceptIsInFlightKeepsCapacity) {
  call(agent("bob"), set_agent_status{agent_status::not_ready, {}});
  start(customer("carol"));
  reply_box accept, offline;
  submit(agent("alice"), accept_offer{alice->last_offer()->offer}, accept);
  submit(agent("alice"), set_agent_status{agent_status::offline, {}}, offline);
  run();
  ASSERT_EQ(accept.replies.size(), 1u);
  EXPECT_TRUE(accept.replies[0].ok()) << "the accept was already on its way";
  EXPECT_EQ(alice->count<offer_revoked_notice>(), 0u);
  call(agent("alice"), set_agent_status{agent_status::ready, {}});
  start(customer("dave"));
  EXPECT_EQ(alice->count<offer_notice>(), 1u) << "capacity 1 is taken";
}

TEST_F(PushRoutingTest, DisconnectedAgentGoesOfflineAfterTheGrace) {
  start(customer("carol"));
  disconnect(agent("alice"), alice);
  advance(4'999ms);
  EXPECT_EQ(bob->count<offer_notice>(), 0u) << "the offer survives the grace";
  advance(1ms);
  EXPECT_EQ(bob->count<offer_notice>(), 1u);
  // Nobody offers to an agent that is away.
  start(customer("dave"));
  EXPECT_EQ(alice->count<offer_notice>(), 1u);
}

TEST_F(PushRoutingTest, ReconnectWithinTheGraceKeepsTheOffer) {
  start(customer("carol"));
  auto offer = *alice->last_offer();
  disconnect(agent("alice"), alice);
  advance(3s);
  auto again = connect(agent("alice"));
  advance(10s);
  EXPECT_EQ(bob->count<offer_notice>(), 0u);
  EXPECT_TRUE(call(agent("alice"), accept_offer{offer.offer}).ok());
  EXPECT_EQ(again->count<engine::participant_joined>(), 1u);
}

TEST_F(PushRoutingTest, NoAgentsAfterTheWaitTimeout) {
  call(agent("alice"), set_agent_status{agent_status::not_ready, {}});
  call(agent("bob"), set_agent_status{agent_status::not_ready, {}});
  start(customer("carol"));
  advance(299s);
  EXPECT_EQ(carol->count<engine::no_agents>(), 0u);
  advance(1s);
  auto none = carol->all<engine::no_agents>();
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].text, "No agents were available");
  EXPECT_EQ(carol->count<engine::conversation_closed>(), 1u);
}

TEST_F(PushRoutingTest, MessagesReachTheOtherSideAndRepeatsAreIdempotent) {
  auto c = start(customer("carol"));
  call(agent("alice"), accept_offer{alice->last_offer()->offer});
  auto first = call(customer("carol"), send_message{c, "Hi", "m-1"});
  ASSERT_TRUE(first.ok());
  auto repeat = call(customer("carol"), send_message{c, "Hi", "m-1"});
  EXPECT_EQ(repeat.as<appended>().seq, first.as<appended>().seq);
  EXPECT_EQ(alice->count<engine::message_posted>(), 1u);
  EXPECT_EQ(call(customer("mallory"), send_message{c, "boo", {}}).code,
            errc::not_found);
  EXPECT_EQ(call(customer("carol"), send_message{"c-none", "x", {}}).code,
            errc::not_found);
}

TEST_F(RoutingFixture, CapacityIsNeverExceeded) {
  boot(capacity_two);
  auto alice = login("alice");
  std::vector<std::string> started;
  for (auto who : {"c1", "c2", "c3", "c4"})
    started.push_back(start(customer(who)));
  ASSERT_EQ(alice->count<offer_notice>(), 2u);
  for (const auto& o : alice->all<offer_notice>())
    ASSERT_TRUE(call(agent("alice"), accept_offer{o.offer}).ok());
  EXPECT_EQ(alice->count<offer_notice>(), 2u);
  // A freed slot goes to the longest-waiting conversation: c3, not c4.
  ASSERT_TRUE(call(customer("c1"), close_conversation{started[0], {}}).ok());
  ASSERT_EQ(alice->count<offer_notice>(), 3u);
  EXPECT_EQ(alice->got.back()->conversation, started[2]);
}

constexpr auto ring_all = R"(
[routing]
default_queue = "sales"

[[queues]]
id = "sales"
strategy = "ring_all"

[[agents]]
id = "a1"
queues = ["sales"]

[[agents]]
id = "a2"
queues = ["sales"]

[[agents]]
id = "a3"
queues = ["sales"]
)";

TEST_F(RoutingFixture, RingAllHasExactlyOneWinner) {
  boot(ring_all);
  auto a1 = login("a1"), a2 = login("a2"), a3 = login("a3");
  auto carol = connect(customer("carol"));
  start(customer("carol"));
  ASSERT_EQ(a1->count<offer_notice>(), 1u);
  ASSERT_EQ(a2->count<offer_notice>(), 1u);
  ASSERT_EQ(a3->count<offer_notice>(), 1u);
  reply_box r1, r2;
  submit(agent("a2"), accept_offer{a2->last_offer()->offer}, r2);
  submit(agent("a1"), accept_offer{a1->last_offer()->offer}, r1);
  run();
  ASSERT_EQ(r1.replies.size(), 1u);
  ASSERT_EQ(r2.replies.size(), 1u);
  EXPECT_NE(r1.replies[0].ok(), r2.replies[0].ok()) << "exactly one wins";
  EXPECT_EQ(carol->count<engine::conversation_assigned>(), 1u);
  auto loser_revoked = r1.replies[0].ok() ? a2->all<offer_revoked_notice>()
                                          : a1->all<offer_revoked_notice>();
  ASSERT_EQ(loser_revoked.size(), 1u);
  EXPECT_EQ(loser_revoked[0].reason, offer_end::taken);
  auto third = a3->all<offer_revoked_notice>();
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].reason, offer_end::taken);
}

constexpr auto shared_agent = R"(
[routing]
default_queue = "q1"

[[queues]]
id = "q1"

[[queues]]
id = "q2"

[[agents]]
id = "solo"
queues = ["q1", "q2"]
capacity = 1
)";

TEST_F(RoutingFixture, TwoQueuesCannotBothTakeTheLastSlot) {
  boot(shared_agent);
  auto solo = login("solo");
  reply_box s1, s2;
  start_conversation to_q1, to_q2;
  to_q1.queue = "q1";
  to_q2.queue = "q2";
  submit(customer("c1"), to_q1, s1);
  submit(customer("c2"), to_q2, s2);
  run();
  ASSERT_EQ(solo->count<offer_notice>(), 1u);
  // The other queue gets the slot once it is free.
  auto first = *solo->last_offer();
  ASSERT_TRUE(call(agent("solo"), reject_offer{first.offer, {}}).ok());
  ASSERT_EQ(solo->count<offer_notice>(), 2u);
  EXPECT_NE(solo->last_offer()->queue, first.queue);
}

constexpr auto pull_queue = R"(
[routing]
default_queue = "board"

[[topics]]
id = "vip"
restricted = true
queue = "board"

[[queues]]
id = "board"
mode = "pull"

[[agents]]
id = "p1"
queues = ["board"]
topics = ["vip"]

[[agents]]
id = "p2"
queues = ["board"]
)";

TEST_F(RoutingFixture, PullHasExactlyOneWinnerAndRespectsRestrictions) {
  boot(pull_queue);
  auto p1 = login("p1"), p2 = login("p2");
  start_conversation with_text;
  with_text.text = "Where is my parcel?";
  auto plain = call(customer("c1"), with_text).as<opened>().conversation;
  auto vip = start(customer("c2"), {}, "vip");
  EXPECT_EQ(p1->count<offer_notice>(), 0u) << "pull mode makes no offers";

  auto seen_by_p2
    = call(agent("p2"), list_waiting{}).as<waiting_list>().entries;
  ASSERT_EQ(seen_by_p2.size(), 1u);
  EXPECT_EQ(seen_by_p2[0].conversation, plain);
  EXPECT_EQ(seen_by_p2[0].content, "Where is my parcel?");
  EXPECT_EQ(call(agent("p1"), list_waiting{}).as<waiting_list>().entries.size(),
            2u);
  EXPECT_EQ(call(agent("p2"), pick_waiting{vip}).code, errc::forbidden);

  reply_box r1, r2;
  submit(agent("p1"), pick_waiting{plain}, r1);
  submit(agent("p2"), pick_waiting{plain}, r2);
  run();
  ASSERT_EQ(r1.replies.size(), 1u);
  ASSERT_EQ(r2.replies.size(), 1u);
  EXPECT_NE(r1.replies[0].ok(), r2.replies[0].ok()) << "exactly one wins";
  auto loser = r1.replies[0].ok() ? r2.replies[0] : r1.replies[0];
  EXPECT_EQ(loser.code, errc::conflict);
  // Whoever won, the plain one is taken: only the restricted one waits.
  auto left = call(agent("p1"), list_waiting{}).as<waiting_list>().entries;
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].conversation, vip);
}

constexpr auto two_pull_queues = R"(
[routing]
default_queue = "q1"

[[queues]]
id = "q1"
mode = "pull"

[[queues]]
id = "q2"
mode = "pull"

[[agents]]
id = "p"
queues = ["q1", "q2"]
)";

TEST_F(RoutingFixture, AWaitingListsLimitKeepsTheLongestWaitingOfAllItsQueues) {
  boot(two_pull_queues);
  login("p");
  auto oldest = start(customer("c1"), "q1");
  advance(1000ms);
  auto second = start(customer("c2"), "q2");
  advance(1000ms);
  start(customer("c3"), "q1");
  auto listed = [&](std::uint32_t limit) {
    list_waiting r;
    r.limit = limit;
    return call(agent("p"), r).as<waiting_list>();
  };
  auto ids = [](const waiting_list& l) {
    std::vector<std::string> out;
    for (const auto& e : l.entries)
      out.push_back(e.conversation);
    return out;
  };
  auto two = listed(2);
  EXPECT_EQ(ids(two), (std::vector<std::string>{oldest, second}));
  EXPECT_TRUE(two.more);
  EXPECT_EQ(ids(listed(1)), (std::vector<std::string>{oldest}));
  auto all = listed(3);
  EXPECT_EQ(all.entries.size(), 3u);
  EXPECT_FALSE(all.more) << "exactly the limit waits";
}

constexpr auto auto_queue = R"(
[routing]
default_queue = "fast"

[[queues]]
id = "fast"
mode = "auto"

[[agents]]
id = "a1"
queues = ["fast"]
)";

TEST_F(RoutingFixture, AutoModeAssignsWithoutAsking) {
  boot(auto_queue);
  auto a1 = login("a1");
  auto carol = connect(customer("carol"));
  start(customer("carol"));
  EXPECT_EQ(carol->count<engine::conversation_assigned>(), 1u);
  EXPECT_EQ(a1->count<engine::participant_joined>(), 1u);
  start(customer("dave"));
  EXPECT_EQ(a1->count<engine::participant_joined>(), 1u) << "at capacity";
}

TEST_F(RoutingFixture, StartNamingUnknownQueueOrTopicIsNotFound) {
  boot(two_agents);
  start_conversation r;
  r.queue = "nope";
  EXPECT_EQ(call(customer("c"), r).code, errc::not_found);
  r.queue.clear();
  r.topic = "nope";
  EXPECT_EQ(call(customer("c"), r).code, errc::not_found);
  EXPECT_EQ(call(agent("alice"), start_conversation{}).code, errc::forbidden);
  EXPECT_EQ(call(customer("c"), accept_offer{"o-1"}).code, errc::forbidden);
}

} // namespace
} // namespace baton::actors::testing

namespace baton::actors::testing {
namespace {

constexpr auto one_agent = R"(
[routing]
default_queue = "sales"

[[topics]]
id = "vip"
restricted = true

[[queues]]
id = "sales"
wait_timeout_ms = 3000000

[[agents]]
id = "alice"
queues = ["sales"]
capacity = 1
)";

TEST_F(RoutingFixture, AnOfferToAConversationThatLeftFreesTheSlotAgain) {
  boot(one_agent);
  auto alice = login("alice", false);
  auto first = start(customer("carol"));
  // The queue offers as alice turns ready, while carol is already leaving.
  reply_box ready, close;
  submit(agent("alice"), set_agent_status{agent_status::ready, {}}, ready);
  submit(customer("carol"), close_conversation{first, {}}, close);
  run();
  ASSERT_EQ(close.replies.size(), 1u);
  EXPECT_EQ(alice->count<offer_notice>(), 0u);
  start(customer("dave"));
  EXPECT_EQ(alice->count<offer_notice>(), 1u)
    << "the queue still counts the offer that never reached alice";
}

TEST_F(RoutingFixture, AgentVerbsComeOnlyFromTheAgentsOwnSessions) {
  boot(one_agent);
  login("alice", false);
  for (auto role : {engine::role::customer, engine::role::bot,
                    engine::role::service, engine::role::supervisor})
    EXPECT_EQ(call({"alice", role, "alice"},
                   set_agent_status{agent_status::ready, {}})
                .code,
              errc::forbidden)
      << to_string(role);
}

TEST_F(RoutingFixture, ConversationsNobodyMayTakeDoNotStarveTheRest) {
  boot(one_agent);
  auto alice = login("alice", false);
  for (int i = 0; i < 300; ++i)
    start(customer("c" + std::to_string(i)), {}, "vip");
  start(customer("zed"));
  call(agent("alice"), set_agent_status{agent_status::ready, {}});
  ASSERT_EQ(alice->count<offer_notice>(), 1u);
  EXPECT_EQ(alice->last_offer()->customer.id, "zed");
}

} // namespace
} // namespace baton::actors::testing
