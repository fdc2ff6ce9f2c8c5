// A conversation waiting with nothing in flight leaves memory after
// routing.passivate_after_ms and comes back with the next message for it:
// its customer, an agent, its queue's offers, positions and wait timeout
// see the same conversation as if it had never gone.
#include "routing_fixture.hpp"

#include <chrono>

#include "actors/metrics.hpp"

namespace baton::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::agent_status;

constexpr auto centre = R"(
[routing]
default_queue = "sales"
passivate_after_ms = 10000
position_update_ms = 1000

[limits]
open_conversations_per_customer = 1

[[queues]]
id = "sales"
strategy = "longest_idle"
offer_timeout_ms = 20000
wait_timeout_ms = 120000

[[agents]]
id = "alice"
queues = ["sales"]
capacity = 1
)";

class PassivationTest : public RoutingFixture {
protected:
  void SetUp() override {
    boot(centre);
    alice = login("alice", false);
    carol = connect(customer("carol"));
  }

  std::int64_t asleep() const {
    return service->metrics().conversations_asleep.get();
  }
  std::int64_t actors() const {
    return service->metrics().conversation_actors.get();
  }

  std::vector<engine::event> history(const std::string& conversation) {
    return call(customer("carol"),
                conversation_history{conversation, {}, {}, 500})
      .as<history_page>()
      .events;
  }

  /// Its open conversations as the customer lists them.
  std::vector<conversation_summary> listed(const std::string& who = "carol") {
    return call(customer(who), list_conversations{})
      .as<conversation_list>()
      .conversations;
  }

  template <class Body>
  static std::size_t count(const std::vector<engine::event>& log) {
    return static_cast<std::size_t>(
      std::count_if(log.begin(), log.end(), [](const engine::event& e) {
        return std::holds_alternative<Body>(e.body);
      }));
  }

  recorder_ptr alice;
  recorder_ptr carol;
};

TEST_F(PassivationTest, AQuietWaitingConversationLeavesMemory) {
  auto id = start(customer("carol"));
  advance(9s);
  EXPECT_EQ(asleep(), 0);
  EXPECT_EQ(actors(), 1);
  advance(2s);
  EXPECT_EQ(asleep(), 1);
  EXPECT_EQ(actors(), 0);
  // Still waiting, still open, still listed with its place.
  EXPECT_EQ(service->metrics().conversations_active.get(), 1);
  auto shown = listed();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].conversation, id);
  EXPECT_EQ(shown[0].state, engine::conversation_state::queued);
  EXPECT_EQ(shown[0].position, 1);
}

TEST_F(PassivationTest, ItsCustomerWritingWakesItAndItSleepsAgainLater) {
  auto id = start(customer("carol"));
  advance(11s);
  ASSERT_EQ(asleep(), 1);
  auto sent = call(customer("carol"), send_message{id, "anyone?", "m-1"});
  ASSERT_TRUE(sent.ok()) << sent.message;
  EXPECT_EQ(asleep(), 0);
  EXPECT_EQ(actors(), 1);
  // The same log as before, one message longer; a repeat is still known.
  auto log = history(id);
  EXPECT_EQ(count<engine::message_posted>(log), 1u);
  EXPECT_EQ(log.back().seq, sent.as<appended>().seq);
  auto again = call(customer("carol"), send_message{id, "anyone?", "m-1"});
  EXPECT_EQ(again.as<appended>().seq, sent.as<appended>().seq);
  EXPECT_EQ(count<engine::message_posted>(history(id)), 1u);
  advance(11s);
  EXPECT_EQ(asleep(), 1);
  EXPECT_EQ(actors(), 0);
}

TEST_F(PassivationTest, AnAgentBecomingReadyIsOfferedItAndTakesIt) {
  auto id = start(customer("carol"));
  advance(11s);
  ASSERT_EQ(asleep(), 1);
  ASSERT_TRUE(
    call(agent("alice"), set_agent_status{agent_status::ready, {}}).ok());
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer.has_value());
  ASSERT_TRUE(call(agent("alice"), accept_offer{offer->offer}).ok());
  EXPECT_EQ(asleep(), 0);
  EXPECT_EQ(carol->count<engine::participant_joined>(), 1u);
  EXPECT_EQ(count<engine::participant_joined>(history(id)), 1u);
  // Assigned, it never sleeps: it is not waiting.
  advance(30s);
  EXPECT_EQ(asleep(), 0);
  EXPECT_EQ(actors(), 1);
}

TEST_F(PassivationTest, ItsWaitRunsOutWhileItSleeps) {
  start(customer("carol"));
  advance(11s);
  ASSERT_EQ(asleep(), 1);
  advance(110s);
  EXPECT_EQ(carol->count<engine::no_agents>(), 1u);
  EXPECT_EQ(carol->count<engine::conversation_closed>(), 1u);
  EXPECT_EQ(asleep(), 0);
  EXPECT_EQ(service->metrics().conversations_active.get(), 0);
}

TEST_F(PassivationTest, ItsCustomerHearsItsPlaceMoveWhileItSleeps) {
  auto dave = connect(customer("dave"));
  auto first = start(customer("dave"));
  auto second = start(customer("carol"));
  advance(11s);
  ASSERT_EQ(asleep(), 2);
  auto places = carol->count<position_notice>();
  // Dave gives up: carol is first now, and hears it without waking.
  ASSERT_TRUE(call(customer("dave"), close_conversation{first, {}}).ok());
  advance(2s);
  auto told = carol->all<position_notice>();
  ASSERT_GT(told.size(), places);
  EXPECT_EQ(told.back().position, 1);
  EXPECT_EQ(asleep(), 1);
  auto shown = listed();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].conversation, second);
  EXPECT_EQ(shown[0].position, 1);
  // Woken, it knows its place too.
  call(customer("carol"), send_message{second, "still here", {}});
  shown = listed();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].position, 1);
}

TEST_F(PassivationTest, ACustomerAwayWhileItSleepsFindsItOnReturn) {
  auto dave = connect(customer("dave"));
  auto first = start(customer("dave"));
  auto id = start(customer("carol"));
  auto inboxes = service->metrics().user_inboxes.get();
  disconnect(customer("carol"), carol);
  advance(11s);
  ASSERT_EQ(asleep(), 2);
  // Nothing of carol is in memory but the directory's book and the record.
  EXPECT_EQ(service->metrics().user_inboxes.get(), inboxes - 1);
  // Her place moves while she is away.
  ASSERT_TRUE(call(customer("dave"), close_conversation{first, {}}).ok());
  advance(2s);
  carol = connect(customer("carol"));
  EXPECT_EQ(service->metrics().user_inboxes.get(), inboxes);
  auto shown = listed();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].conversation, id);
  EXPECT_EQ(shown[0].state, engine::conversation_state::queued);
  EXPECT_EQ(shown[0].position, 1);
  EXPECT_EQ(asleep(), 1);
  // She writes: it wakes, and she hears her own message as before.
  ASSERT_TRUE(call(customer("carol"), send_message{id, "back", {}}).ok());
  EXPECT_EQ(carol->count<engine::message_posted>(), 1u);
  // Her bound of open conversations still counts the one that slept.
  EXPECT_EQ(call(customer("carol"), start_conversation{}).code,
            engine::errc::limit_reached);
}

TEST_F(PassivationTest, AnotherCustomerNeitherReachesNorWakesIt) {
  auto id = start(customer("carol"));
  advance(11s);
  ASSERT_EQ(asleep(), 1);
  EXPECT_EQ(call(customer("mallory"), send_message{id, "boo", {}}).code,
            engine::errc::not_found);
  EXPECT_EQ(
    call(customer("mallory"), conversation_history{id, {}, {}, 50}).code,
    engine::errc::not_found);
  EXPECT_EQ(asleep(), 1);
  EXPECT_EQ(actors(), 0);
}

TEST_F(PassivationTest, AnotherUsersRefusedRequestDoesNotListItForThem) {
  auto id = start(customer("carol"));
  auto bob = connect(customer("bob"));
  EXPECT_FALSE(call(customer("bob"), take_over{id, {}}).ok());
  advance(11s);
  ASSERT_EQ(asleep(), 1);
  disconnect(customer("bob"), bob);
  bob = connect(customer("bob"));
  EXPECT_TRUE(listed("bob").empty());
}

/// A bot that started a conversation lists it, as its customer does.
class BotPassivationTest : public PassivationTest {
protected:
  void SetUp() override {
    PassivationTest::SetUp();
    bot = connect(helper);
  }

  /// A conversation the bot started for `who` and handed to sales.
  std::string handed_off(const std::string& who = "carol") {
    start_conversation r;
    r.customer = who;
    r.customer_name = "Customer";
    auto started = call(helper, r);
    EXPECT_TRUE(started.ok()) << started.message;
    auto id = started.as<opened>().conversation;
    auto handed = call(helper, hand_off{id, "sales", {}, "Parcel 123"});
    EXPECT_TRUE(handed.ok()) << handed.message;
    return id;
  }

  std::vector<conversation_summary> bot_lists() {
    return call(helper, list_conversations{})
      .as<conversation_list>()
      .conversations;
  }

  caller helper{"helper", engine::role::bot, "Helper"};
  recorder_ptr bot;
};

TEST_F(BotPassivationTest, ItSleepsAndItsBotStillListsIt) {
  auto id = handed_off();
  advance(11s);
  ASSERT_EQ(asleep(), 1);
  EXPECT_EQ(actors(), 0);
  for (const auto& shown : {bot_lists(), listed()}) {
    ASSERT_EQ(shown.size(), 1u);
    EXPECT_EQ(shown[0].conversation, id);
    EXPECT_EQ(shown[0].state, engine::conversation_state::queued);
    EXPECT_EQ(shown[0].position, 1);
  }
  // Woken by an offer, it is its bot's again: listed as it is now.
  ASSERT_TRUE(
    call(agent("alice"), set_agent_status{agent_status::ready, {}}).ok());
  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  auto shown = bot_lists();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].assignee, "alice");
  // Closed by the agent, it goes back to its bot, which hears of it.
  ASSERT_TRUE(call(agent("alice"), close_conversation{id, {}}).ok());
  EXPECT_EQ(bot->count<engine::returned_to_bot>(), 1u);
  EXPECT_TRUE(call(helper, send_message{id, "Anything else?", {}}).ok());
}

TEST_F(BotPassivationTest, ItsBotListsItsPlaceAsItMovesWhileItSleeps) {
  auto dave = connect(customer("dave"));
  auto first = start(customer("dave"));
  auto id = handed_off();
  advance(11s);
  ASSERT_EQ(asleep(), 2);
  ASSERT_EQ(bot_lists().at(0).position, 2);
  ASSERT_TRUE(call(customer("dave"), close_conversation{first, {}}).ok());
  advance(2s);
  EXPECT_EQ(asleep(), 1) << "it did not wake";
  auto shown = bot_lists();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].conversation, id);
  EXPECT_EQ(shown[0].position, 1);
  EXPECT_EQ(listed().at(0).position, 1) << "as its customer was told";
  EXPECT_EQ(bot->count<position_notice>(), 0u) << "the bot is not told";
}

// Its customer has no session (no inbox: the bot's is the only one in the
// hand-over), and the bot goes away and comes back while it sleeps.
TEST_F(BotPassivationTest, ItsBotAwayWhileItSleepsFindsItAndHasItBack) {
  auto id = handed_off("erin");
  advance(11s);
  ASSERT_EQ(asleep(), 1);
  auto inboxes = service->metrics().user_inboxes.get();
  disconnect(helper, bot);
  EXPECT_EQ(service->metrics().user_inboxes.get(), inboxes)
    << "a bot's inbox stays while it holds conversations";
  bot = connect(helper);
  auto shown = bot_lists();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].conversation, id);
  EXPECT_EQ(shown[0].state, engine::conversation_state::queued);
  ASSERT_TRUE(
    call(agent("alice"), set_agent_status{agent_status::ready, {}}).ok());
  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  ASSERT_TRUE(call(agent("alice"), close_conversation{id, {}}).ok());
  EXPECT_EQ(bot->count<engine::returned_to_bot>(), 1u);
}

TEST_F(BotPassivationTest, ItsWaitRunsOutWhileItSleepsAndItsBotHasItBack) {
  auto id = handed_off();
  advance(11s);
  ASSERT_EQ(asleep(), 1);
  advance(110s);
  EXPECT_EQ(bot->count<engine::returned_to_bot>(), 1u);
  EXPECT_EQ(asleep(), 0);
  auto shown = bot_lists();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].state, engine::conversation_state::bot);
  EXPECT_TRUE(call(helper, send_message{id, "Still there?", {}}).ok());
}

/// The bot asks for its list at one point of the conversation's asking to
/// sleep (after GetParam() deliveries), every point in turn: the inbox
/// asks the actor or lists the summary, never neither, never both.
class BotPassivationRaceTest : public BotPassivationTest,
                               public ::testing::WithParamInterface<int> {};

TEST_P(BotPassivationRaceTest, ItsBotsListHasItOnceAtEveryStep) {
  auto id = handed_off();
  tick(10s);
  for (int i = 0; i < GetParam(); ++i)
    step();
  reply_box box;
  submit(helper, list_conversations{}, box);
  run();
  ASSERT_EQ(box.replies.size(), 1u);
  auto shown = box.replies[0].as<conversation_list>().conversations;
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].conversation, id);
  EXPECT_EQ(shown[0].state, engine::conversation_state::queued);
  EXPECT_EQ(asleep() + actors(), 1);
  advance(11s);
  EXPECT_EQ(asleep(), 1);
  EXPECT_EQ(bot_lists().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(EveryStep, BotPassivationRaceTest,
                         ::testing::Range(0, 14));

class PassivationOffTest : public RoutingFixture {};

TEST_F(PassivationOffTest, AWaitingConversationStaysInMemory) {
  boot(R"(
[routing]
default_queue = "sales"
passivate_after_ms = 0

[[queues]]
id = "sales"
)");
  connect(customer("carol"));
  start(customer("carol"));
  advance(120s);
  EXPECT_EQ(service->metrics().conversations_asleep.get(), 0);
  EXPECT_EQ(service->metrics().conversation_actors.get(), 1);
}

/// A request that comes at one point of the conversation's asking to sleep
/// (after GetParam() deliveries), every point in turn.
class PassivationRaceTest : public PassivationTest,
                            public ::testing::WithParamInterface<int> {
protected:
  /// Carol's conversation, quiet long enough to ask; `who` sends `r` at the
  /// point under test, and everything runs. Returns the conversation.
  std::string during_the_asking(const caller& who, request r, reply_box& box) {
    auto id = start(customer("carol"));
    tick(10s);
    for (int i = 0; i < GetParam(); ++i)
      step();
    if (auto* m = std::get_if<send_message>(&r))
      m->conversation = id;
    submit(who, std::move(r), box);
    run();
    return id;
  }
};

/// A message: it is answered, kept, and the conversation is in memory
/// exactly once, awake or asleep, and wakes for the next one.
TEST_P(PassivationRaceTest, AMessageDuringTheAskingIsNeitherLostNorDoubled) {
  reply_box box;
  auto id = during_the_asking(customer("carol"),
                              send_message{{}, "now", "m-race"}, box);
  ASSERT_EQ(box.replies.size(), 1u);
  EXPECT_TRUE(box.replies[0].ok()) << box.replies[0].message;
  EXPECT_EQ(asleep() + actors(), 1);
  advance(11s);
  EXPECT_EQ(asleep(), 1);
  auto next = call(customer("carol"), send_message{id, "and now", {}});
  ASSERT_TRUE(next.ok()) << next.message;
  auto log = history(id);
  EXPECT_EQ(count<engine::message_posted>(log), 2u);
  EXPECT_EQ(log.back().seq, next.as<appended>().seq);
  EXPECT_EQ(asleep() + actors(), 1);
}

/// An agent becoming ready: the queue's offer reaches the conversation,
/// awake or woken, once.
TEST_P(PassivationRaceTest, AnOfferDuringTheAskingIsTakenOnce) {
  reply_box box;
  auto id = during_the_asking(agent("alice"),
                              set_agent_status{agent_status::ready, {}}, box);
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer.has_value());
  EXPECT_EQ(alice->count<offer_notice>(), 1u);
  ASSERT_TRUE(call(agent("alice"), accept_offer{offer->offer}).ok());
  EXPECT_EQ(carol->count<engine::participant_joined>(), 1u);
  EXPECT_EQ(asleep(), 0);
  EXPECT_EQ(actors(), 1);
  EXPECT_EQ(count<engine::participant_joined>(history(id)), 1u);
}

INSTANTIATE_TEST_SUITE_P(EveryStep, PassivationRaceTest,
                         ::testing::Range(0, 12));

} // namespace
} // namespace baton::actors::testing
