// A directory stops and the other two take its shards over, in one process
// (docs/cluster.md, "Shards that move"): the queues and agents of those
// shards start anew under their new holders, what waited in a moved queue
// enters the new one, an agent that moved counts its conversations again,
// and the stopped directory's conversations come back from the store.
#include <functional>

#include "sharing_fixture.hpp"

namespace baton::actors::testing {
namespace {

class MovesTest : public HoldersTest {
protected:
  /// Directory `d` and its front stop, with everything they ran.
  void stop(std::size_t d) {
    stopped_ = d;
    caf::anon_send_exit(fronts_[d], caf::exit_reason::user_shutdown);
    caf::anon_send_exit(directories_[d], caf::exit_reason::user_shutdown);
    run();
  }

  MovesTest() {
    with_reader_ = true;
  }

  /// The other two share the stopped directory's shards, learn each
  /// other's new queues and agents, and bring its conversations back from
  /// the store.
  void take_over() {
    std::vector<directory_actor> survivors;
    for (std::size_t i = 0; i < directory_count; ++i)
      if (i != stopped_)
        survivors.push_back(directories_[i]);
    std::vector<directory_actor> holders;
    for (std::uint32_t s = 0; s < shard_count; ++s)
      holders.push_back(s % directory_count == stopped_
                          ? survivors[(s / directory_count) % 2]
                          : directories_[s % directory_count]);
    tell_table(holders, 2, survivors);
    expect_each_runs_once(survivors);
  }

  /// Every directory and front stops; the journals and readers go on.
  void stop_every_directory() {
    for (std::size_t d = 0; d < directory_count; ++d) {
      caf::anon_send_exit(fronts_[d], caf::exit_reason::user_shutdown);
      caf::anon_send_exit(directories_[d], caf::exit_reason::user_shutdown);
    }
    run();
  }

  /// Every directory and front stops, and three new directories start
  /// holding no shard; the first table gives each its shards, with their
  /// conversations from the store, as a spread cluster's restart does.
  void restart_holding_nothing() {
    stop_every_directory();
    spawn_directories(false);
    join();
    spawn_fronts();
    run();
  }

  void stop_and_take_over(std::size_t d) {
    stop(d);
    take_over();
  }

  /// A front that still runs.
  std::size_t survivor() const {
    return (stopped_ + 1) % directory_count;
  }

  /// A customer whose key `held` says yes to the holder of; her
  /// conversations fall in her shard, so with the same holder.
  static std::string
  customer_where(const std::function<bool(std::size_t)>& held,
                 const std::string& not_this = {}) {
    for (int n = 0;; ++n) {
      auto name = "customer-" + std::to_string(n);
      if (name != not_this
          && held(holder_of(engine::user_key(engine::role::customer, name))))
        return name;
    }
  }

  reply start_for(const std::string& who) {
    return call(survivor(), customer(who), start_conversation{});
  }

  /// A customer held by the directory of `sales` starts a conversation;
  /// that directory stops, and the other two take its shards over while
  /// the store cannot be read: the customer, and the conversation's id.
  std::pair<std::string, std::string> started_then_moved_unread() {
    auto sales = holder_of("sales");
    stopped_ = sales;
    auto who = customer_where([&](std::size_t h) { return h == sales; });
    auto started = start_for(who);
    EXPECT_TRUE(started.ok()) << started.message;
    *reads_fail_ = true;
    stop_and_take_over(sales);
    return {who, started.ok() ? started.as<opened>().conversation : ""};
  }

  /// The store can be read again, and is, a second later.
  void store_answers_again() {
    *reads_fail_ = false;
    fx_.sched.clock().advance_time(std::chrono::seconds{1});
    run();
  }

  /// `who`'s hello through a survivor: its answer.
  reply hello_of(const std::string& who) {
    reply_box box;
    caf::anon_send(fronts_[survivor()],
                   hub_connect{customer(who), std::make_shared<recorder>(),
                               box.fn()});
    run();
    EXPECT_EQ(box.replies.size(), 1u) << "a hello gets exactly one reply";
    return box.replies.empty() ? reply::error(engine::errc::internal, "none")
                               : box.replies.front();
  }

  /// Whether `r`, a hello's answer (welcome) or a conversation.list's,
  /// lists the conversation `id`.
  template <class Body>
  static bool lists(const reply& r, const std::string& id) {
    if (!r.ok())
      return false;
    for (const auto& c : r.as<Body>().conversations)
      if (c.conversation == id)
        return true;
    return false;
  }

  /// Long enough for a question unanswered, or answered "moving", to be
  /// asked again (runtime::call_patience).
  void patience_passes() {
    fx_.sched.clock().advance_time(std::chrono::seconds{5});
    run();
  }

  /// The slots `id` holds, as agent.list shows them.
  std::int32_t load_of(const std::string& id) {
    auto agents = call(survivor(), sam, list_agents{});
    EXPECT_TRUE(agents.ok()) << agents.message;
    if (!agents.ok())
      return -1;
    for (const auto& row : agents.as<agent_list>().agents)
      if (row.agent == id)
        return row.load;
    ADD_FAILURE() << id << " is not listed";
    return -1;
  }

  /// How many wait in `id`, as queue.list shows it.
  std::uint32_t waiting_in(const std::string& id) {
    auto queues = call(survivor(), sam, list_queues{});
    EXPECT_TRUE(queues.ok()) << queues.message;
    if (queues.ok())
      for (const auto& row : queues.as<queue_list>().queues)
        if (row.queue == id)
          return row.waiting;
    ADD_FAILURE() << id << " is not listed";
    return 0;
  }

  /// A customer held by the directory that stops, with a session at a
  /// survivor.
  std::string customer_of_stopped(const std::string& not_this = {}) {
    auto name = customer_where([&](std::size_t h) { return h == stopped_; },
                               not_this);
    connect(survivor(), customer(name));
    return name;
  }

  /// `who` starts a conversation through a survivor while the journals
  /// hold its log back: not stored when its node stops.
  void start_not_stored(const std::string& who) {
    *journal_holds_ = true;
    reply_box started;
    caf::anon_send(fronts_[survivor()],
                   hub_submit{customer(who), start_conversation{},
                              started.fn()});
    run();
  }

  /// `who` starts a conversation through a survivor and alice accepts its
  /// offer: its id.
  std::string assigned_to_alice(const recorder_ptr& alice,
                                const std::string& who) {
    auto started = start_for(who);
    EXPECT_TRUE(started.ok()) << started.message;
    auto offer = alice->last_offer();
    EXPECT_TRUE(offer);
    if (!started.ok() || !offer)
      return {};
    EXPECT_TRUE(
      call(survivor(), agent("alice"), accept_offer{offer->offer}).ok());
    return started.as<opened>().conversation;
  }

  /// Alice's actor as the directories still running list it; null when
  /// none does.
  agent_actor alices_actor() {
    agent_actor out;
    for (std::size_t d = 0; d < directory_count; ++d)
      if (d != stopped_)
        for (const auto& [id, handle] : roster_of(directories_[d]).agents)
          if (id == "alice")
            out = handle;
    return out;
  }

  /// What the conversation `id` answers to a first claim of `offer` from
  /// alice's actor `from`, asked by id through its holder.
  std::optional<claim_result> claim_from(const std::string& id,
                                         const std::string& offer,
                                         const agent_actor& from) {
    fx_.self->send(
      directories_[holder_of(id)],
      to_conversation{
        id, claim{offer, {"alice", engine::role::agent, "alice"}, from}});
    run();
    std::optional<claim_result> out;
    fx_.self->receive([&](const claim_result& r) { out = r; },
                      caf::after(std::chrono::seconds{0}) >> [] {});
    return out;
  }

  /// A directory that holds neither `sales` nor `alice`.
  static std::size_t holder_of_neither() {
    for (std::size_t d = 0; d < directory_count; ++d)
      if (d != holder_of("sales") && d != holder_of("alice"))
        return d;
    ADD_FAILURE() << "every directory holds sales or alice";
    return 0;
  }

  std::size_t stopped_ = directory_count;
};

TEST_F(MovesTest, WhatWaitedInAMovedQueueWaitsInTheNewOneInItsOrder) {
  auto sales = holder_of("sales");
  stopped_ = sales; // survivor() is a front that lives on
  ASSERT_NE(holder_of("alice"), sales);
  auto alice = ready(survivor(), "alice");

  // Dana's conversation is held by the directory that stops, and assigned.
  auto dana = customer_where([&](std::size_t h) { return h == sales; });
  auto danas_session = connect(survivor(), customer(dana));
  auto assigned = start_for(dana);
  ASSERT_TRUE(assigned.ok()) << assigned.message;
  const auto kept = assigned.as<opened>().conversation;
  ASSERT_EQ(holder_of(kept), sales);
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer);
  ASSERT_TRUE(
    call(survivor(), agent("alice"), accept_offer{offer->offer}).ok());
  ASSERT_TRUE(call(survivor(), agent("alice"),
                   set_agent_status{engine::agent_status::not_ready, {}})
                .ok());

  // Fay's waits in sales, kept awake by sam's monitor; Erin's, younger,
  // sleeps.
  auto fay = customer_where([&](std::size_t h) { return h != sales; });
  auto erin = customer_where([&](std::size_t h) { return h != sales; }, fay);
  auto older = start_for(fay);
  ASSERT_TRUE(older.ok());
  ASSERT_TRUE(
    call(survivor(), sam, monitor_conversation{older.as<opened>().conversation})
      .ok());
  fx_.sched.clock().advance_time(std::chrono::seconds{1});
  ASSERT_TRUE(start_for(erin).ok());
  fx_.sched.clock().advance_time(std::chrono::seconds{11});
  run();
  ASSERT_EQ(metrics_->conversations_asleep.get(), 1);

  auto fays_session = connect(survivor(), customer(fay));

  stop_and_take_over(sales);
  EXPECT_EQ(metrics_->conversations_asleep.get(), 1) << "still asleep";
  EXPECT_EQ(danas_session->reconnects, 1)
    << "her inbox went with the directory holding her: her session, on a "
       "front that goes on, reconnects";
  EXPECT_EQ(fays_session->reconnects, 0) << "held by a directory that runs";
  EXPECT_EQ(alice->reconnects, 0);

  auto queues = call(survivor(), agent("alice"), list_queues{});
  ASSERT_TRUE(queues.ok()) << queues.message;
  const auto& rows = queues.as<queue_list>().queues;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].queue, "sales");
  EXPECT_EQ(rows[1].waiting, 2u)
    << "the asleep one and the awake one entered the new sales";

  ASSERT_TRUE(
    call(survivor(), customer(dana), send_message{kept, "still there?", {}})
      .ok())
    << "recovered by its new holder";
  auto seen = alice->all<engine::message_posted>();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().text, "still there?") << "alice is still in it";
  auto hers = call(survivor(), agent("alice"), list_conversations{});
  ASSERT_TRUE(hers.ok()) << hers.message;
  ASSERT_EQ(hers.as<conversation_list>().conversations.size(), 1u);
  EXPECT_EQ(hers.as<conversation_list>().conversations[0].conversation, kept)
    << "her actor asks the conversation's new actor, not the stopped one";

  ASSERT_TRUE(call(survivor(), agent("alice"),
                   set_agent_status{engine::agent_status::ready, {}})
                .ok());
  auto next = alice->last_offer();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->customer.id, fay)
    << "the older one first, though the younger entered the new sales first";
}

TEST_F(MovesTest, ATakenConversationEntersItsQueueWhereItRunsNow) {
  auto sales = holder_of("sales");
  stopped_ = sales;
  // Hanna's conversation falls in a shard of the stopped directory that
  // goes to the other survivor than sales does: it comes back on one
  // directory and waits in a queue another one started anew.
  auto round = [](std::uint32_t shard) {
    return (shard / directory_count) % 2;
  };
  std::string hanna;
  for (int n = 0; hanna.empty(); ++n) {
    auto name = "customer-" + std::to_string(n);
    auto s = shard_of(engine::user_key(engine::role::customer, name),
                      shard_count);
    if (s % directory_count == sales
        && round(s) != round(shard_of("sales", shard_count)))
      hanna = name;
  }
  ASSERT_TRUE(start_for(hanna).ok());

  stop_and_take_over(sales);
  auto alice = ready(survivor(), "alice");
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer)
    << "her conversation came back from the store and entered the new sales";
  EXPECT_EQ(offer->customer.id, hanna);
}

TEST_F(MovesTest, DirectoriesHoldingNothingTakeTheirShardsFromTheFirstTable) {
  // Dana's conversation is alice's; carol's waits.
  auto alice = ready(holder_of("alice"), "alice");
  auto dana = customer_where([](std::size_t) { return true; });
  auto assigned = start_for(dana);
  ASSERT_TRUE(assigned.ok()) << assigned.message;
  const auto hers = assigned.as<opened>().conversation;
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer);
  ASSERT_TRUE(
    call(holder_of("alice"), agent("alice"), accept_offer{offer->offer}).ok());
  ASSERT_TRUE(call(holder_of("alice"), agent("alice"),
                   set_agent_status{engine::agent_status::not_ready, {}})
                .ok());
  auto waiting = carol_waits();
  ASSERT_FALSE(waiting.empty());

  restart_holding_nothing();
  auto alice_again = ready(holder_of("alice"), "alice");
  auto listed = call(holder_of("alice"), agent("alice"), list_conversations{});
  ASSERT_TRUE(listed.ok()) << listed.message;
  const auto& rows = listed.as<conversation_list>().conversations;
  ASSERT_EQ(rows.size(), 1u)
    << "restored once her actor ran, and counted against her";
  EXPECT_EQ(rows[0].conversation, hers);
  auto next = alice_again->last_offer();
  ASSERT_TRUE(next) << "carol's conversation came back and waits in sales";
  EXPECT_EQ(next->customer.id, "carol");
  EXPECT_TRUE(call(not_holder_of(waiting), customer("carol"),
                   send_message{waiting, "hello again", {}})
                .ok());
}

TEST_F(MovesTest, AConversationComesBackOnlyOnceItsQueueIsKnown) {
  // The directory of sales says nothing at first after the restart.
  auto late = holder_of("sales");
  auto dana = customer_where([&](std::size_t h) { return h != late; });
  auto started = start_for(dana);
  ASSERT_TRUE(started.ok()) << started.message;
  stop_every_directory();
  spawn_directories(false);
  spawn_fronts();
  auto silent = caf::actor_cast<directory_actor>(
    fx_.sys.spawn([](caf::event_based_actor* self) -> caf::behavior {
      self->set_default_handler(caf::drop);
      return {[](int) {}};
    }));
  std::vector<directory_actor> holders;
  std::vector<directory_actor> told;
  for (std::uint32_t s = 0; s < shard_count; ++s)
    holders.push_back(
      s % directory_count == late ? silent : directories_[s % directory_count]);
  for (std::size_t d = 0; d < directory_count; ++d)
    if (d != late)
      told.push_back(directories_[d]);
  auto before = metrics_->conversations_active.get();
  tell_table(holders, 1, told);
  EXPECT_EQ(metrics_->conversations_active.get(), before)
    << "read from the store, but not restored while sales is not known";

  // The directory of sales is told its shards and tells the others.
  join(2);
  EXPECT_EQ(metrics_->conversations_active.get(), before + 1);
  auto alice = ready(holder_of("alice"), "alice");
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer) << "back, and waiting in sales";
  EXPECT_EQ(offer->customer.id, dana);
  caf::anon_send_exit(silent, caf::exit_reason::user_shutdown);
}

TEST_F(MovesTest, AStoreThatCannotAnswerIsAskedAgainUntilItDoes) {
  const auto [dana, id] = started_then_moved_unread();
  ASSERT_FALSE(id.empty());
  connect(survivor(), customer(dana));
  auto meanwhile = call(survivor(), customer(dana),
                        send_message{id, "anyone?", {}});
  EXPECT_EQ(meanwhile.code, engine::errc::unavailable)
    << "not back while the store cannot answer, and not unknown either: "
    << meanwhile.message;

  store_answers_again();
  EXPECT_TRUE(
    call(survivor(), customer(dana), send_message{id, "anyone?", {}}).ok())
    << "asked again, the store gave it back";
}

TEST_F(MovesTest, AHelloWhileHerConversationsComeBackIsAnsweredMoving) {
  const auto [dana, id] = started_then_moved_unread();
  ASSERT_FALSE(id.empty());
  auto meanwhile = hello_of(dana);
  EXPECT_EQ(meanwhile.code, engine::errc::unavailable)
    << "a list now would leave her conversation out: " << meanwhile.message;
  auto listed = call(survivor(), customer(dana), list_conversations{});
  EXPECT_EQ(listed.code, engine::errc::unavailable) << listed.message;

  store_answers_again();
  EXPECT_TRUE(lists<welcome>(hello_of(dana), id))
    << "back from the store, it is listed";
  EXPECT_TRUE(lists<conversation_list>(
    call(survivor(), customer(dana), list_conversations{}), id));
}

TEST_F(MovesTest, AnOfferOutWhenItsQueueMovesEndsAndTheNewQueueOffersAgain) {
  auto sales = holder_of("sales");
  stopped_ = sales;
  auto alice = ready(survivor(), "alice");
  auto erin = customer_where([&](std::size_t h) { return h != sales; });
  ASSERT_TRUE(start_for(erin).ok());
  auto first = alice->last_offer();
  ASSERT_TRUE(first) << "offered before the move";

  stop_and_take_over(sales);
  EXPECT_EQ(alice->count<offer_notice>(), 1u)
    << "not offered twice while the first offer is out";

  // Unanswered, the offer runs out; the round ends at no queue, and the
  // conversation enters the new sales, which offers it again.
  fx_.sched.clock().advance_time(std::chrono::seconds{21});
  run();
  auto again = alice->last_offer();
  ASSERT_TRUE(again);
  EXPECT_NE(again->offer, first->offer);
  EXPECT_EQ(again->customer.id, erin);
}

TEST_F(MovesTest, ASessionToldToReconnectLeavesNothingBehindItsClose) {
  auto sales = holder_of("sales");
  stopped_ = sales;
  auto ivy = customer_where([&](std::size_t h) { return h == sales; });
  auto old_session = connect(survivor(), customer(ivy));
  stop_and_take_over(sales);
  ASSERT_EQ(old_session->reconnects, 1);

  // Her client reconnects before the old session's close is through.
  auto new_session = connect(survivor(), customer(ivy));
  caf::anon_send(fronts_[survivor()],
                 hub_disconnect{customer(ivy), old_session});
  run();
  ASSERT_TRUE(call(survivor(), customer(ivy), start_conversation{}).ok());
  EXPECT_EQ(new_session->reconnects, 0)
    << "the old session's close took nothing from her new inbox";
  EXPECT_EQ(new_session->count<engine::conversation_queued>(), 1u);
}

TEST_F(MovesTest, AWaitGoesOnInTheNewQueueFromWhenItBegan) {
  auto sales = holder_of("sales");
  stopped_ = sales;
  auto watching = connect(survivor(), sam);
  auto erin = customer_where([&](std::size_t h) { return h != sales; });
  auto started = start_for(erin);
  ASSERT_TRUE(started.ok());
  ASSERT_TRUE(call(survivor(), sam,
                   monitor_conversation{started.as<opened>().conversation})
                .ok())
    << "watched, it stays awake";
  fx_.sched.clock().advance_time(std::chrono::minutes{4});
  run();

  stop_and_take_over(sales);
  fx_.sched.clock().advance_time(std::chrono::seconds{90});
  run();
  EXPECT_EQ(watching->count<engine::conversation_closed>(), 1u)
    << "sales's five minutes ran out, counted from before the move";
}

TEST_F(MovesTest, ARequestToSleepLostWithItsQueueIsMadeAgain) {
  auto sales = holder_of("sales");
  auto erin = customer_where([&](std::size_t h) { return h != sales; });
  stop(sales);
  ASSERT_TRUE(start_for(erin).ok());
  // Its wait is quiet long enough: it asks to sleep through sales, which
  // has stopped.
  fx_.sched.clock().advance_time(std::chrono::seconds{11});
  run();
  ASSERT_EQ(metrics_->conversations_asleep.get(), 0);

  take_over();
  fx_.sched.clock().advance_time(std::chrono::seconds{11});
  run();
  EXPECT_EQ(metrics_->conversations_asleep.get(), 1)
    << "it asked again through the new sales";
}

TEST_F(MovesTest, ARequestToSleepLostWithABotsInboxHoldsNothingBackForLong) {
  // The bot is held by a directory that holds neither the conversation nor
  // its queue: the request to sleep passes through its inbox there.
  auto carol_holder = holder_of(carol_key);
  std::size_t bots = 0;
  while (bots == carol_holder || bots == holder_of("sales"))
    ++bots;
  std::string bot_id = "botty-0";
  for (int n = 1;
       holder_of(engine::user_key(engine::role::bot, bot_id)) != bots; ++n)
    bot_id = "botty-" + std::to_string(n);
  const caller bot{bot_id, engine::role::bot, "Botty"};
  stopped_ = bots;
  start_conversation for_carol;
  for_carol.customer = "carol";
  auto started = call(survivor(), bot, for_carol);
  ASSERT_TRUE(started.ok()) << started.message;
  const auto id = started.as<opened>().conversation;
  ASSERT_TRUE(call(survivor(), bot, hand_off{id, "sales", {}, {}}).ok());

  stop(bots);
  // Quiet long enough, it asks to sleep; the request dies with the bot's
  // inbox, and its directory holds back what comes for it meanwhile.
  fx_.sched.clock().advance_time(std::chrono::seconds{11});
  run();
  reply_box box;
  caf::anon_send(fronts_[survivor()],
                 hub_submit{customer("carol"), send_message{id, "hello?", {}},
                            box.fn()});
  run();
  EXPECT_TRUE(box.replies.empty()) << "held back while the request is out";

  fx_.sched.clock().advance_time(std::chrono::seconds{10});
  run();
  ASSERT_EQ(box.replies.size(), 1u) << "given up after its patience";
  EXPECT_TRUE(box.replies.front().ok()) << box.replies.front().message;
}

TEST_F(MovesTest, WhatIsForAStoppedDirectorysShardsIsMovingUntilTheNextTable) {
  stopped_ = holder_of(carol_key);
  auto id = carol_waits();
  ASSERT_FALSE(id.empty());
  stop(stopped_);
  auto meanwhile = call(survivor(), customer("carol"),
                        send_message{id, "hello?", {}});
  EXPECT_EQ(meanwhile.code, engine::errc::unavailable);
  EXPECT_NE(meanwhile.message.find("moving"), std::string::npos)
    << "its holder is gone, the others know: " << meanwhile.message;
  take_over();
  auto after = call(survivor(), customer("carol"), send_message{id, "hi", {}});
  EXPECT_TRUE(after.ok()) << after.message;
}

TEST_F(MovesTest, AnAgentsVerbsAreMovingWhileHisHolderIsGone) {
  auto moved = holder_of("alice");
  stopped_ = moved;
  auto before = ready(survivor(), "alice");
  stop(moved);
  auto meanwhile = call(survivor(), agent("alice"),
                        set_agent_status{engine::agent_status::ready, {}});
  EXPECT_EQ(meanwhile.code, engine::errc::unavailable);
  EXPECT_NE(meanwhile.message.find("moving"), std::string::npos)
    << "not sent to the actor that went with it: " << meanwhile.message;
  auto listed = call(survivor(), agent("alice"), list_conversations{});
  EXPECT_NE(listed.message.find("moving"), std::string::npos) << listed.message;
  reply_box attached;
  caf::anon_send(fronts_[survivor()],
                 hub_connect{agent("alice"), std::make_shared<recorder>(),
                             attached.fn()});
  run();
  ASSERT_EQ(attached.replies.size(), 1u);
  EXPECT_NE(attached.replies[0].message.find("moving"), std::string::npos)
    << "her session reconnects: " << attached.replies[0].message;
  take_over();
  auto after = call(survivor(), agent("alice"),
                    set_agent_status{engine::agent_status::ready, {}});
  EXPECT_TRUE(after.ok()) << after.message;
}

TEST_F(MovesTest, AnAgentThatMovedCountsItsConversationsAgain) {
  auto moved = holder_of("alice");
  stopped_ = moved;
  ASSERT_NE(holder_of("sales"), moved);
  auto before = ready(survivor(), "alice");
  auto gina = customer_where([&](std::size_t h) { return h != moved; });
  auto started = start_for(gina);
  ASSERT_TRUE(started.ok()) << started.message;
  const auto id = started.as<opened>().conversation;
  auto offer = before->last_offer();
  ASSERT_TRUE(offer);
  ASSERT_TRUE(
    call(survivor(), agent("alice"), accept_offer{offer->offer}).ok());

  stop_and_take_over(moved);
  EXPECT_EQ(before->reconnects, 1)
    << "her session, attached to her old actor, is told to reconnect";

  auto alice = ready(survivor(), "alice");
  auto agents = call(survivor(), sam, list_agents{});
  ASSERT_TRUE(agents.ok()) << agents.message;
  ASSERT_EQ(agents.as<agent_list>().agents.size(), 2u);
  const auto& row = agents.as<agent_list>().agents[0];
  EXPECT_EQ(row.agent, "alice");
  EXPECT_EQ(row.load, 1) << "her new actor counts gina's conversation";

  ASSERT_TRUE(heard_only(alice, survivor(), customer(gina), id, "hi again"))
    << "the conversation reaches her new actor";

  auto hank = customer_where([&](std::size_t h) { return h != moved; }, gina);
  ASSERT_TRUE(start_for(hank).ok());
  auto next = alice->last_offer();
  ASSERT_TRUE(next) << "sales offers to her new actor";
  EXPECT_EQ(next->customer.id, hank);
}

TEST_F(MovesTest, ABotHearsItsConversationBroughtBackElsewhere) {
  const caller botty{"botty", engine::role::bot, "Botty"};
  const auto botty_key = engine::user_key(engine::role::bot, "botty");
  auto bots_holder = holder_of(botty_key);
  stopped_ = (bots_holder + 1) % directory_count;
  // A customer of the stopped directory, whose shard the directory that
  // does not hold the bot takes over.
  auto taker = 3 - bots_holder - stopped_;
  std::string ivy;
  for (int n = 0; ivy.empty(); ++n) {
    auto name = "customer-" + std::to_string(n);
    auto shard = shard_of(engine::user_key(engine::role::customer, name),
                          shard_count);
    // take_over: survivor (s / 3) mod 2 of the two, in order, takes s.
    if (shard % directory_count == stopped_
        && (shard / directory_count) % 2 == (taker < bots_holder ? 0u : 1u))
      ivy = name;
  }
  auto bot = connect(bots_holder, botty);
  start_conversation for_ivy;
  for_ivy.customer = ivy;
  auto started = call(bots_holder, botty, for_ivy);
  ASSERT_TRUE(started.ok()) << started.message;
  const auto id = started.as<opened>().conversation;

  stop_and_take_over(stopped_);
  ASSERT_TRUE(heard_only(bot, taker, customer(ivy), id, "still there?"))
    << "the bot's session, at its holder, hears the conversation the store "
       "gave another directory";
  ASSERT_TRUE(call(bots_holder, botty, send_message{id, "yes", {}}).ok());
  auto listed = call(bots_holder, botty, list_conversations{});
  ASSERT_TRUE(listed.ok()) << listed.message;
  ASSERT_EQ(listed.as<conversation_list>().conversations.size(), 1u);
  EXPECT_EQ(listed.as<conversation_list>().conversations[0].conversation, id);
}

TEST_F(MovesTest, AMonitorsInboxIsMadeAgainWhereHerShardWent) {
  stopped_ = holder_of(sam_key);
  ASSERT_NE(holder_of(carol_key), stopped_);
  auto id = carol_waits();
  connect(stopped_, sam);
  ASSERT_TRUE(call(stopped_, sam, monitor_conversation{id}).ok());

  stop_and_take_over(stopped_);
  auto again = connect(survivor(), sam);
  ASSERT_TRUE(heard_only(again, holder_of(carol_key), customer("carol"), id,
                         "still there?"))
    << "the conversation holds her inbox where her shard went";
}

TEST_F(MovesTest, AMonitorsInboxHeldByAConversationLostWithItsNodeGoes) {
  stopped_ = holder_of(carol_key);
  ASSERT_NE(holder_of(sam_key), stopped_);
  auto id = carol_waits();
  ASSERT_TRUE(call(holder_of(sam_key), sam, monitor_conversation{id}).ok());
  // Closed, it stays in memory a while, holding her inbox; it is not
  // brought back from the store, so no directory would release it.
  ASSERT_TRUE(
    call(stopped_, customer("carol"), close_conversation{id, {}}).ok());
  auto inboxes = metrics_->user_inboxes.get();

  stop_and_take_over(stopped_);
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes - 1)
    << "her holder let go of the inbox only that conversation kept";
}

TEST_F(MovesTest, AnAgentWhoMonitorsIsHeardAtHisNewActor) {
  stopped_ = holder_of("carl");
  auto gina = customer_where([&](std::size_t h) { return h != stopped_; });
  auto started = start_for(gina);
  ASSERT_TRUE(started.ok()) << started.message;
  const auto id = started.as<opened>().conversation;
  connect(survivor(), agent("carl"));
  ASSERT_TRUE(call(survivor(), agent("carl"), monitor_conversation{id}).ok());

  stop_and_take_over(stopped_);
  auto again = connect(survivor(), agent("carl"));
  ASSERT_TRUE(heard_only(again, survivor(), customer(gina), id, "still there?"))
    << "the conversation holds his agent's new actor as his inbox";
}

TEST_F(MovesTest, AnOfferMadeBeforeItsConversationMovedIsRevoked) {
  stopped_ = holder_of_neither();
  auto alice = ready(survivor(), "alice");
  ASSERT_TRUE(start_for(customer_of_stopped()).ok());
  auto first = alice->last_offer();
  ASSERT_TRUE(first);

  stop_and_take_over(stopped_);
  auto revoked = alice->all<offer_revoked_notice>();
  ASSERT_EQ(revoked.size(), 1u)
    << "the offer ended with the conversation's old actor";
  EXPECT_EQ(revoked[0].offer, first->offer);
  EXPECT_EQ(revoked[0].reason, engine::offer_end::cancelled);
  auto again = alice->last_offer();
  ASSERT_TRUE(again);
  EXPECT_NE(again->offer, first->offer) << "its new actor offers it again";
  EXPECT_EQ(load_of("alice"), 1) << "one slot, the new offer's";
}

TEST_F(MovesTest, ASlotWhoseCloseWasLostWithItsNodeIsFreed) {
  stopped_ = holder_of_neither();
  auto alice = ready(survivor(), "alice");
  auto dana = customer_of_stopped();
  const auto id = assigned_to_alice(alice, dana);
  ASSERT_EQ(load_of("alice"), 1);

  // Dana closes; her node stops once the close is stored, before it tells
  // alice her slot is free.
  *journal_holds_ = true;
  reply_box closed;
  caf::anon_send(fronts_[survivor()],
                 hub_submit{customer(dana), close_conversation{id},
                            closed.fn()});
  run();
  stop(stopped_);
  *journal_holds_ = false;
  caf::anon_send(journals_[stopped_], flush_timer{});
  run();
  ASSERT_FALSE(open_log((*logs_)[id])) << "the close was stored";

  take_over();
  patience_passes(); // asked while its shard was recovered
  EXPECT_EQ(load_of("alice"), 0)
    << "asked where the conversation went, she is in nothing";
}

TEST_F(MovesTest, ASlotForAConversationThatCameBackStays) {
  stopped_ = holder_of_neither();
  auto alice = ready(survivor(), "alice");
  auto dana = customer_of_stopped();
  const auto id = assigned_to_alice(alice, dana);
  ASSERT_EQ(load_of("alice"), 1);

  stop_and_take_over(stopped_);
  patience_passes(); // asked while its shard was recovered
  EXPECT_EQ(load_of("alice"), 1) << "asked, the conversation says she is in it";
  connect(survivor(), customer(dana)); // her inbox stopped with its directory
  ASSERT_TRUE(heard_only(alice, survivor(), customer(dana), id, "back?"))
    << "she hears it at its new actor";
}

TEST_F(MovesTest, AnOfferWhoseConversationNeverCameBackIsGivenBack) {
  stopped_ = holder_of_neither();
  auto alice = ready(survivor(), "alice");
  // Dana's start is not stored yet when her node stops; alice was offered
  // her conversation all the same.
  start_not_stored(customer_of_stopped());
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer);
  ASSERT_EQ(load_of("alice"), 1);
  stop(stopped_);
  *journal_holds_ = false;

  take_over();
  patience_passes(); // asked while its shard was recovered
  EXPECT_EQ(load_of("alice"), 0) << "asked after, the offer is open nowhere";
  auto revoked = alice->all<offer_revoked_notice>();
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].offer, offer->offer);
}

TEST_F(MovesTest, APlaceInLineWhoseConversationNeverCameBackGoes) {
  stopped_ = holder_of_neither();
  auto fay = customer_of_stopped();
  ASSERT_TRUE(start_for(fay).ok());
  // Dana's start is not stored yet when her node stops; her conversation
  // entered sales all the same.
  start_not_stored(customer_of_stopped(fay));
  ASSERT_EQ(waiting_in("sales"), 2u);
  stop(stopped_);
  *journal_holds_ = false;

  take_over();
  patience_passes(); // asked while its shard was recovered
  EXPECT_EQ(waiting_in("sales"), 1u)
    << "fay's conversation came back and keeps its place; dana's did not";
}

TEST_F(MovesTest, ASleepingConversationKeepsItsPlaceAfterItsShardMoved) {
  stopped_ = holder_of_neither();
  ASSERT_TRUE(start_for(customer_of_stopped()).ok());
  // Nobody takes it: it sleeps, and sales holds its place by no actor.
  fx_.sched.clock().advance_time(std::chrono::seconds{11});
  run();
  ASSERT_EQ(metrics_->conversations_asleep.get(), 1);

  stop_and_take_over(stopped_);
  patience_passes(); // asked while its shard was recovered
  EXPECT_EQ(waiting_in("sales"), 1u)
    << "asked after, its record says it still waits there";
}

TEST_F(MovesTest, AClaimFromAnAgentsOldActorIsRefused) {
  auto old_actor = alices_actor();
  ASSERT_TRUE(old_actor);
  stopped_ = holder_of("alice");
  ASSERT_NE(holder_of("sales"), stopped_);
  auto alice = ready(survivor(), "alice");
  auto gina = customer_where([&](std::size_t h) { return h != stopped_; });
  auto started = start_for(gina);
  ASSERT_TRUE(started.ok()) << started.message;
  const auto id = started.as<opened>().conversation;
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer);

  stop_and_take_over(stopped_);
  // A claim her old actor sent before its node stopped comes in now.
  auto refused = claim_from(id, offer->offer, old_actor);
  ASSERT_TRUE(refused) << "the conversation answers";
  EXPECT_EQ(refused->code, engine::errc::conflict)
    << "her new actor holds no slot for it";

  // A slot reserved by an actor she no longer runs under is let go.
  ASSERT_TRUE(refused->handle);
  fx_.self->send(refused->handle, reserve_result{offer->offer, "alice", true});
  run();
  std::optional<revoke> let_go;
  fx_.self->receive([&](const revoke& r) { let_go = r; },
                    caf::after(std::chrono::seconds{0}) >> [] {});
  ASSERT_TRUE(let_go) << "told to let go of the slot";
  EXPECT_EQ(let_go->offer, offer->offer);

  auto new_actor = alices_actor();
  ASSERT_TRUE(new_actor);
  auto won = claim_from(id, offer->offer, new_actor);
  ASSERT_TRUE(won);
  EXPECT_EQ(won->code, engine::errc::ok)
    << "the offer is still open: the same claim from her new actor wins";
}

} // namespace
} // namespace baton::actors::testing
