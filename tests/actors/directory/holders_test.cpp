// Three directories in one process sharing twelve shards: a customer, her
// conversation, its queues and its agents are held by different
// directories, and every party may come in through any front
// (docs/cluster.md, "Directories sharing the shards").
#include "sharing_fixture.hpp"

namespace baton::actors::testing {
namespace {

/// A caller of `role` whose shard holds none of the queues, agents or
/// carol, and whose holder is not carol's: its shard can move in one
/// directory's table alone without moving anything else of the test.
caller apart_from_carol(engine::role role, const std::string& stem) {
  auto shard_of_id = [](const std::string& id) {
    return shard_of(id, shard_count);
  };
  auto carols = shard_of_id(engine::user_key(engine::role::customer, "carol"));
  for (int n = 0;; ++n) {
    auto name = stem + std::to_string(n);
    auto shard = shard_of_id(engine::user_key(role, name));
    bool apart = shard % directory_count != carols % directory_count;
    for (const auto* id : {"sales", "billing", "alice", "carl"})
      apart = apart && shard_of_id(id) != shard;
    if (apart)
      return {name, role, name};
  }
}

/// The directory that holds neither `a` nor `b` (given two different ones).
std::size_t third(std::size_t a, std::size_t b) {
  return 3 - a - b;
}

class StaleTableTest : public HoldersTest {
protected:
  /// Directory `d` alone is told a newer table, in which the shard of
  /// `key` is held by directory `to`; the others keep the first.
  void moved_at(std::size_t d, const std::string& key, std::size_t to) {
    std::vector<directory_actor> holders;
    for (std::uint32_t s = 0; s < shard_count; ++s)
      holders.push_back(directories_[s % directory_count]);
    holders[shard_of(key, shard_count)] = directories_[to];
    tell_table(holders, 2, {directories_[d]});
  }
};

TEST_F(HoldersTest, TheRosterIsSpreadOverTheDirectories) {
  // The case below means something only if these differ.
  EXPECT_NE(holder_of("sales"), holder_of("billing"));
  EXPECT_NE(holder_of("sales"), holder_of("alice"));
  EXPECT_NE(holder_of("customer:carol"), holder_of("alice"));
  EXPECT_NE(holder_of("billing"), holder_of("alice"));
}

TEST_F(HoldersTest, EveryFrontListsEveryQueueAndAgent) {
  for (std::size_t f = 0; f < directory_count; ++f) {
    auto queues = call(f, agent("alice"), list_queues{});
    ASSERT_TRUE(queues.ok()) << queues.message;
    ASSERT_EQ(queues.as<queue_list>().queues.size(), 2u);
    EXPECT_EQ(queues.as<queue_list>().queues[0].queue, "billing");
    EXPECT_EQ(queues.as<queue_list>().queues[1].queue, "sales");
    auto agents = call(f, sam, list_agents{});
    ASSERT_TRUE(agents.ok()) << agents.message;
    ASSERT_EQ(agents.as<agent_list>().agents.size(), 2u);
    EXPECT_EQ(agents.as<agent_list>().agents[0].agent, "alice");
    EXPECT_EQ(agents.as<agent_list>().agents[1].agent, "carl");
  }
}

TEST_F(HoldersTest, AConversationRunsThroughFrontsAndHoldersThatAllDiffer) {
  auto alice = ready(not_holder_of("alice"), agent("alice").user);
  auto carl = ready(holder_of("alice"), agent("carl").user);
  auto carol = connect(not_holder_of(carol_key), customer("carol"));

  auto started = call(not_holder_of(carol_key), customer("carol"),
                      start_conversation{});
  ASSERT_TRUE(started.ok()) << started.message;
  auto id = started.as<opened>().conversation;
  EXPECT_EQ(shard_of(id, shard_count), shard_of(carol_key, shard_count))
    << "started in its customer's shard";

  auto offer = alice->last_offer();
  ASSERT_TRUE(offer) << "sales offers it to alice, each on its own directory";
  auto accepted = call(not_holder_of("alice"), agent("alice"),
                       accept_offer{offer->offer});
  ASSERT_TRUE(accepted.ok()) << accepted.message;

  ASSERT_TRUE(
    call(not_holder_of(id), customer("carol"), send_message{id, "hello?", {}})
      .ok());
  ASSERT_TRUE(call(holder_of("billing"), agent("alice"),
                   send_message{id, "Hi, Alice here", {}})
                .ok());
  auto to_alice = alice->all<engine::message_posted>();
  ASSERT_FALSE(to_alice.empty());
  EXPECT_EQ(to_alice.front().text, "hello?");
  auto to_carol = carol->all<engine::message_posted>();
  ASSERT_EQ(to_carol.size(), 2u);
  EXPECT_EQ(to_carol.back().text, "Hi, Alice here");

  request_transfer to_billing;
  to_billing.conversation = id;
  to_billing.to_queue = "billing";
  auto moved = call(holder_of("carl"), agent("alice"), to_billing);
  ASSERT_TRUE(moved.ok()) << moved.message;
  auto transfer = carl->last_offer();
  ASSERT_TRUE(transfer) << "billing, on another directory, offers it to carl";
  ASSERT_TRUE(
    call(not_holder_of("carl"), agent("carl"), accept_offer{transfer->offer})
      .ok());
  ASSERT_TRUE(
    call(holder_of("sales"), agent("carl"), close_conversation{id, "refunded"})
      .ok());
  EXPECT_EQ(carol->count<engine::conversation_closed>(), 1u);

  conversation_history history;
  history.conversation = id;
  auto read = call(not_holder_of(id), customer("carol"), history);
  ASSERT_TRUE(read.ok()) << read.message;
  EXPECT_GE(read.as<history_page>().events.size(), 4u);

  auto resumed = call(not_holder_of(id), customer("carol"),
                      resume_conversation{id});
  EXPECT_TRUE(resumed.ok()) << resumed.message;
}

TEST_F(HoldersTest, ACustomersSessionsAndConversationsMeetAtHerHolder) {
  auto first = connect(holder_of(carol_key), customer("carol"));
  auto second = connect(not_holder_of(carol_key), customer("carol"));
  auto started = call(0, customer("carol"), start_conversation{});
  ASSERT_TRUE(started.ok()) << started.message;
  const auto& id = started.as<opened>().conversation;
  EXPECT_EQ(first->count<engine::conversation_queued>(), 1u);
  EXPECT_EQ(second->count<engine::conversation_queued>(), 1u);

  auto listed = call(not_holder_of(carol_key), customer("carol"),
                     list_conversations{});
  ASSERT_TRUE(listed.ok()) << listed.message;
  ASSERT_EQ(listed.as<conversation_list>().conversations.size(), 1u);
  EXPECT_EQ(listed.as<conversation_list>().conversations[0].conversation, id);
}

TEST_F(HoldersTest, AConversationSleepsAndWakesThroughItsQueuesDirectory) {
  auto carol = connect(holder_of("sales"), customer("carol"));
  auto started = call(holder_of("alice"), customer("carol"),
                      start_conversation{});
  ASSERT_TRUE(started.ok()) << started.message;
  const auto& id = started.as<opened>().conversation;
  ASSERT_NE(holder_of(id), holder_of("sales"))
    << "its request to sleep has to be passed on";

  fx_.sched.clock().advance_time(std::chrono::seconds{11});
  run();
  EXPECT_EQ(metrics_->conversations_asleep.get(), 1);
  EXPECT_EQ(metrics_->conversation_actors.get(), 0);

  // sales offers it through its own directory, which passes the offer on
  // to the conversation's: it wakes and alice gets it.
  auto alice = ready(not_holder_of("alice"), "alice");
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer);
  EXPECT_EQ(metrics_->conversations_asleep.get(), 0);
  ASSERT_TRUE(
    call(holder_of(carol_key), agent("alice"), accept_offer{offer->offer})
      .ok());
  EXPECT_EQ(carol->count<engine::conversation_assigned>(), 1u);
}

TEST_F(HoldersTest, ASupervisorHeldElsewhereMonitorsAConversation) {
  ASSERT_NE(holder_of(sam_key), holder_of(carol_key));
  auto watching = connect(not_holder_of(sam_key), sam);
  auto id = carol_waits();

  // In through the one directory that holds neither: the supervisor's
  // holder makes her inbox, the conversation's keeps it.
  std::size_t neither = 3 - holder_of(sam_key) - holder_of(carol_key);
  auto monitored = call(neither, sam, monitor_conversation{id});
  ASSERT_TRUE(monitored.ok()) << monitored.message;
  ASSERT_TRUE(heard_only(watching, neither, customer("carol"), id, "anyone?"))
    << "her session, at her holder, sees it";
}

TEST_F(HoldersTest, AnInboxMadeForAConversationGoesWhenTheConversationDoes) {
  ASSERT_NE(holder_of(sam_key), holder_of(carol_key));
  auto id = carol_waits();
  auto inboxes = metrics_->user_inboxes.get();
  ASSERT_TRUE(call(holder_of(carol_key), sam, monitor_conversation{id}).ok());
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes + 1)
    << "made at her holder, with no session of hers";

  closed_and_retired(id);
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes)
    << "its holder let the inbox go with the conversation";
}

TEST_F(HoldersTest, AnInboxMadeForAVerbTheConversationRefusesGoesAtOnce) {
  ASSERT_NE(holder_of(sam_key), holder_of(carol_key));
  auto id = carol_waits();
  auto inboxes = metrics_->user_inboxes.get();
  // Waiting in line, it has no agent to take over from.
  auto refused = call(holder_of(carol_key), sam, take_over{id, "mine"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes)
    << "the conversation keeps no inbox of hers, nor does her holder";
}

TEST_F(HoldersTest, AnInboxMadeForARefusedVerbWhereTheConversationIsGoesToo) {
  auto id = carol_waits();
  // Held where the conversation is: no other directory is asked.
  std::string name = "sue";
  while (holder_of(engine::user_key(engine::role::supervisor, name))
         != holder_of(carol_key))
    name += "e";
  const caller sue{name, engine::role::supervisor, "Sue"};
  auto inboxes = metrics_->user_inboxes.get();
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(call(holder_of(carol_key), sue, take_over{id, "mine"}).ok());
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes)
    << "a refused caller keeps no inbox alive for as long as the conversation";
}

TEST_F(HoldersTest, AHoldARefusedVerbTookStaysForAnAcceptedOneBesideIt) {
  ASSERT_NE(holder_of(sam_key), holder_of(carol_key));
  auto id = carol_waits();
  auto inboxes = metrics_->user_inboxes.get();
  // Both in flight at once: the refused one took the hold the other keeps.
  reply_box refused;
  reply_box accepted;
  auto front = holder_of(sam_key);
  caf::anon_send(fronts_[front],
                 hub_submit{sam, take_over{id, "mine"}, refused.fn()});
  caf::anon_send(fronts_[front],
                 hub_submit{sam, monitor_conversation{id}, accepted.fn()});
  run();
  ASSERT_EQ(refused.replies.size(), 1u);
  ASSERT_EQ(accepted.replies.size(), 1u);
  ASSERT_FALSE(refused.replies[0].ok()) << "waiting: nobody to take over from";
  ASSERT_TRUE(accepted.replies[0].ok()) << accepted.replies[0].message;
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes + 1)
    << "the conversation she monitors keeps her inbox";
}

TEST_F(HoldersTest, AnInboxMadeForAConversationThatIsNotThereGoesAgain) {
  std::string missing = "c-0";
  while (holder_of(missing) == holder_of(sam_key))
    missing += "0";
  auto inboxes = metrics_->user_inboxes.get();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(call(holder_of(missing), sam, monitor_conversation{missing}).code,
              engine::errc::not_found);
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes)
    << "nothing a caller names keeps memory at her holder";
}

TEST_F(HoldersTest, ABotHeldElsewhereStartsAConversationAndHearsOfItAsleep) {
  const caller botty{"botty", engine::role::bot, "Botty"};
  const auto botty_key = engine::user_key(engine::role::bot, "botty");
  ASSERT_NE(holder_of(botty_key), holder_of(carol_key));
  auto bot = connect(holder_of(botty_key), botty);
  carol_ = connect(holder_of(carol_key), customer("carol"));
  std::size_t neither = 3 - holder_of(botty_key) - holder_of(carol_key);
  start_conversation for_carol;
  for_carol.customer = "carol";
  auto started = call(neither, botty, for_carol);
  ASSERT_TRUE(started.ok()) << started.message;
  const auto id = started.as<opened>().conversation;
  EXPECT_EQ(shard_of(id, shard_count), shard_of(carol_key, shard_count));
  ASSERT_TRUE(heard_only(bot, neither, customer("carol"), id, "order 42?"))
    << "the bot's session, at its holder, sees it";

  // Handed to sales, it waits and sleeps; the bot's inbox, told by the
  // conversation's holder, still lists it.
  ASSERT_TRUE(call(neither, botty, hand_off{id, "sales", {}, {}}).ok());
  fx_.sched.clock().advance_time(std::chrono::seconds{11});
  run();
  EXPECT_EQ(metrics_->conversations_asleep.get(), 1);
  auto listed = call(neither, botty, list_conversations{});
  ASSERT_TRUE(listed.ok()) << listed.message;
  ASSERT_EQ(listed.as<conversation_list>().conversations.size(), 1u);
  EXPECT_EQ(listed.as<conversation_list>().conversations[0].conversation, id);
}

TEST_F(HoldersTest, ABotsInboxLastsAsLongAsItsConversationsWithNoSession) {
  const caller botty{"botty", engine::role::bot, "Botty"};
  const auto botty_key = engine::user_key(engine::role::bot, "botty");
  ASSERT_NE(holder_of(botty_key), holder_of(carol_key));
  std::size_t neither = 3 - holder_of(botty_key) - holder_of(carol_key);
  auto inboxes = metrics_->user_inboxes.get();
  start_conversation nowhere;
  nowhere.customer = "carol";
  nowhere.queue = "nope";
  EXPECT_FALSE(call(neither, botty, nowhere).ok());
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes)
    << "a refused start leaves no inbox at the bot's holder";

  start_conversation for_carol;
  for_carol.customer = "carol";
  auto started = call(neither, botty, for_carol);
  ASSERT_TRUE(started.ok()) << started.message;
  const auto id = started.as<opened>().conversation;
  ASSERT_TRUE(call(neither, botty, hand_off{id, "sales", {}, {}}).ok());
  fx_.sched.clock().advance_time(std::chrono::seconds{11});
  run();
  ASSERT_EQ(metrics_->conversations_asleep.get(), 1)
    << "the bot's inbox, kept by its hold, passed the request to sleep on";

  ASSERT_TRUE(
    call(neither, customer("carol"), close_conversation{id, {}}).ok());
  fx_.sched.clock().advance_time(std::chrono::minutes{5});
  run();
  EXPECT_EQ(metrics_->conversation_actors.get(), 0) << "retired";
  EXPECT_EQ(metrics_->conversations_asleep.get(), 0);
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes)
    << "the bot's and the customer's inboxes went with it";
}

TEST_F(HoldersTest, ADirectoryTakesNoCallUntilItKnowsTheWholeRoster) {
  std::vector<std::uint32_t> all;
  for (std::uint32_t s = 0; s < shard_count; ++s)
    all.push_back(s);
  auto rt = std::make_shared<runtime>();
  rt->cfg = cfg_;
  rt->source = std::make_shared<runtime_source>();
  rt->seed = 7;
  rt->metrics = metrics_;
  auto alone = spawn_directory(fx_.sys, rt, {shard_count, all});
  auto hub = spawn_session_hub(fx_.sys, alone,
                               std::make_shared<local_sinks>(fx_.sys.node()),
                               std::chrono::seconds{0});
  auto start_one = [&] {
    reply_box box;
    caf::anon_send(hub, hub_submit{customer("carol"), start_conversation{},
                                   box.fn()});
    run();
    EXPECT_EQ(box.replies.size(), 1u);
    return box.replies.empty() ? engine::errc::internal
                               : box.replies.front().code;
  };
  EXPECT_EQ(start_one(), engine::errc::unavailable) << "not joined yet";

  // A table naming another directory for a shard this one holds would send
  // its own ids away: refused.
  std::vector<directory_actor> wrong(shard_count, alone);
  wrong[0] = directories_[0];
  fx_.self->send(alone, join_directories{wrong, 1, {}, {}, {}});
  run();
  fx_.self->receive([](directory_roster&) {});
  EXPECT_EQ(start_one(), engine::errc::unavailable);

  std::vector<directory_actor> right(shard_count, alone);
  fx_.self->send(alone, join_directories{right, 1, {}, {}, {}});
  run();
  fx_.self->receive([](directory_roster& r) {
    EXPECT_EQ(r.queues.size(), 2u);
    EXPECT_EQ(r.agents.size(), 2u);
  });
  EXPECT_EQ(start_one(), engine::errc::ok);
  caf::anon_send_exit(hub, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(alone, caf::exit_reason::user_shutdown);
  run();
}

TEST_F(StaleTableTest, AnInboxMadeByAHolderTheTableNoLongerNamesIsRefused) {
  auto sue = apart_from_carol(engine::role::supervisor, "sue");
  auto sue_key = engine::user_key(sue.role, sue.user);
  auto sues_holder = holder_of(sue_key);
  auto id = carol_waits();
  auto inboxes = metrics_->user_inboxes.get();
  // The conversation's holder has heard that her shard moved; her holder
  // before, which makes her inbox, has not.
  moved_at(holder_of(carol_key), sue_key,
           third(sues_holder, holder_of(carol_key)));

  auto refused = call(sues_holder, sue, monitor_conversation{id});
  EXPECT_EQ(refused.code, engine::errc::unavailable) << refused.message;
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes)
    << "no hold noted under a directory that did not make the inbox";
  closed_and_retired(id);
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes)
    << "no inbox of the supervisor's outlived it at either holder";
}

TEST_F(StaleTableTest, ABotsStartWithAnInboxTheTableNoLongerNamesIsRefused) {
  auto botty = apart_from_carol(engine::role::bot, "botty");
  auto botty_key = engine::user_key(botty.role, botty.user);
  auto bots_holder = holder_of(botty_key);
  carol_ = connect(holder_of(carol_key), customer("carol"));
  auto inboxes = metrics_->user_inboxes.get();
  moved_at(holder_of(carol_key), botty_key,
           third(bots_holder, holder_of(carol_key)));

  start_conversation for_carol;
  for_carol.customer = "carol";
  auto refused = call(bots_holder, botty, for_carol);
  EXPECT_EQ(refused.code, engine::errc::unavailable) << refused.message;
  EXPECT_EQ(metrics_->conversation_actors.get(), 0) << "nothing started";
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes)
    << "the bot's holder kept no inbox for a start that did not happen";
}

} // namespace
} // namespace baton::actors::testing
