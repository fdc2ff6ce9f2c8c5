// A directory gives shards up to even the cluster out (docs/cluster.md,
// "Evening out"): their conversations leave memory once what they wrote is
// stored, their inboxes and members stop, what is asked of them meanwhile
// is answered "moving", and the directory a newer table names takes them
// over from the store.
#include <optional>

#include "sharing_fixture.hpp"

namespace baton::actors::testing {
namespace {

class GivingUpTest : public HoldersTest {
protected:
  GivingUpTest() {
    with_reader_ = true;
  }

  /// The shards directory `d` holds from the first table.
  static std::vector<std::uint32_t> shards_of(std::size_t d) {
    std::vector<std::uint32_t> out;
    for (auto s = static_cast<std::uint32_t>(d); s < shard_count;
         s += directory_count)
      out.push_back(s);
    return out;
  }

  /// Asks directory `d` to give up `shards` (its own from the first
  /// table when none), held at `epoch`; answer() says what it answered.
  void ask_to_give_up(std::size_t d, std::vector<std::uint32_t> shards = {},
                      std::uint64_t epoch = 1) {
    if (shards.empty())
      shards = shards_of(d);
    std::vector<std::uint64_t> epochs(shards.size(), epoch);
    fx_.self->send(directories_[d], give_up_shards{shards, epochs});
    run();
  }

  std::optional<bool> answer() {
    std::optional<bool> out;
    fx_.self->receive([&](bool given) { out = given; },
                      caf::after(std::chrono::seconds{0}) >> [] {});
    return out;
  }

  /// Every directory is told a table as of `version` that names `to` for
  /// the shards of `from`, at `epoch` (1 for the others).
  void table_for_shards_of(std::size_t from, std::size_t to,
                           std::uint64_t version, std::uint64_t epoch) {
    std::vector<directory_actor> holders;
    std::vector<std::uint64_t> epochs;
    for (std::uint32_t s = 0; s < shard_count; ++s) {
      bool moved = s % directory_count == from;
      holders.push_back(directories_[moved ? to : s % directory_count]);
      epochs.push_back(moved ? epoch : 1);
    }
    tell_every_directory(holders, version, epochs);
  }

  /// Every directory is told a table as of version 2 that names `to` for
  /// `shard` alone, at epoch 2 (1 for the others).
  void table_moving(std::uint32_t shard, std::size_t to) {
    std::vector<directory_actor> holders;
    std::vector<std::uint64_t> epochs;
    for (std::uint32_t s = 0; s < shard_count; ++s) {
      holders.push_back(directories_[s == shard ? to : s % directory_count]);
      epochs.push_back(s == shard ? 2 : 1);
    }
    tell_every_directory(holders, 2, epochs);
  }

  void tell_every_directory(const std::vector<directory_actor>& holders,
                            std::uint64_t version,
                            const std::vector<std::uint64_t>& epochs) {
    for (const auto& d : directories_)
      fx_.self->send(d, join_directories{holders, version, {}, {}, epochs});
    run();
    for (std::size_t d = 0; d < directory_count; ++d)
      fx_.self->receive([](directory_roster&) {});
  }

  /// A customer held by directory `d`, in another shard than `not_in`.
  static std::string customer_held_by_outside(std::size_t d,
                                              std::uint32_t not_in) {
    for (int n = 0;; ++n) {
      auto name = "customer-" + std::to_string(n);
      auto key = engine::user_key(engine::role::customer, name);
      if (holder_of(key) == d && shard_of(key, shard_count) != not_in)
        return name;
    }
  }

  /// A customer held by directory `d`; her conversations fall in her shard.
  static std::string customer_held_by(std::size_t d,
                                      const std::string& not_this = {}) {
    for (int n = 0;; ++n) {
      auto name = "customer-" + std::to_string(n);
      if (name != not_this
          && holder_of(engine::user_key(engine::role::customer, name)) == d)
        return name;
    }
  }

  /// `bot`, connected at directory `d`, starts a conversation for
  /// customer `name`; its id.
  std::string started_by_bot(std::size_t d, const caller& bot,
                             const std::string& name) {
    connect(d, bot);
    start_conversation for_her;
    for_her.customer = name;
    auto started = call(d, bot, for_her);
    EXPECT_TRUE(started.ok()) << started.message;
    return started.ok() ? started.as<opened>().conversation : std::string{};
  }

  static bool moving(const reply& r) {
    return r.code == engine::errc::unavailable
           && r.message.find("moving") != std::string::npos;
  }

  /// Directory `d` reads the fixture's file without the agent `id`.
  void reload_without(std::size_t d, const std::string& id) {
    std::string toml{two_queues};
    auto cut = toml.find("[[agents]]\nid = \"" + id + "\"");
    ASSERT_NE(cut, std::string::npos);
    auto end = toml.find("[[agents]]", cut + 1);
    toml.erase(cut, end == std::string::npos ? end : end - cut);
    auto loaded = engine::config::load_string(
      toml, "reload.toml", [](std::string_view) { return std::nullopt; });
    ASSERT_TRUE(loaded.ok());
    auto version = sources_[d]->stage(
      std::make_shared<const engine::config::config>(std::move(*loaded.value)));
    caf::anon_send(directories_[d], new_config{version});
    run();
  }

  /// Customer `name`, through `front`, starts a conversation that alice
  /// (her desk `alice`, at `front`) accepts: its id, empty if either failed.
  std::string accepted_by_alice(std::size_t front, const recorder_ptr& alice,
                                const std::string& name) {
    auto started = call(front, customer(name), start_conversation{});
    EXPECT_TRUE(started.ok()) << started.message;
    auto offer = alice->last_offer();
    EXPECT_TRUE(offer) << "alice is offered it";
    if (!started.ok() || !offer)
      return {};
    EXPECT_TRUE(call(front, agent("alice"), accept_offer{offer->offer}).ok());
    return started.as<opened>().conversation;
  }

  std::int64_t conversations_in_memory() const {
    return metrics_->conversation_actors.get()
           + metrics_->conversations_asleep.get();
  }
};

TEST_F(GivingUpTest, GivenUpShardsMoveWithTheirQueueAndConversations) {
  auto giver = holder_of("sales");
  auto front = holder_of("alice");
  ASSERT_NE(front, giver);
  auto taker = 3 - giver - front;
  auto alice = ready(front, "alice");

  // Dana's conversation is alice's, fay's waits in sales.
  auto dana = customer_held_by(giver);
  auto danas_session = connect(front, customer(dana));
  const auto kept = accepted_by_alice(front, alice, dana);
  ASSERT_FALSE(kept.empty());
  ASSERT_TRUE(call(front, agent("alice"),
                   set_agent_status{engine::agent_status::not_ready, {}})
                .ok());
  auto fay = customer_held_by(giver, dana);
  ASSERT_TRUE(call(front, customer(fay), start_conversation{}).ok());
  ASSERT_EQ(conversations_in_memory(), 2);

  ask_to_give_up(giver);
  EXPECT_EQ(answer(), true);
  EXPECT_EQ(conversations_in_memory(), 0) << "out of memory, in the store";
  EXPECT_EQ(danas_session->reconnects, 1)
    << "her inbox, in a shard given up, stopped: her session reconnects";
  EXPECT_EQ(alice->reconnects, 0) << "held by a directory that keeps hers";
  auto meanwhile = call(front, customer(dana),
                        send_message{kept, "anyone?", {}});
  EXPECT_TRUE(moving(meanwhile)) << meanwhile.message;

  // The taker claimed them: their epoch went up.
  table_for_shards_of(giver, taker, 2, 2);
  EXPECT_EQ(conversations_in_memory(), 2) << "back, once each";
  ASSERT_TRUE(
    call(front, customer(dana), send_message{kept, "still there?", {}}).ok());
  auto seen = alice->all<engine::message_posted>();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().text, "still there?") << "alice is still in it";
  ASSERT_TRUE(call(front, agent("alice"),
                   set_agent_status{engine::agent_status::ready, {}})
                .ok());
  auto next = alice->last_offer();
  ASSERT_TRUE(next) << "fay's waits in sales started anew by the taker";
  EXPECT_EQ(next->customer.id, fay);
}

TEST_F(GivingUpTest, AnAgentsVerbsAreMovingWhileHisShardIsGivenUp) {
  auto giver = holder_of("alice");
  auto taker = (giver + 1) % directory_count;
  auto alice = ready(giver, "alice");
  ask_to_give_up(giver);
  ASSERT_EQ(answer(), true);
  EXPECT_EQ(alice->reconnects, 1) << "her actor stopped with her shard";
  // Through the giver: the others learn of it from the next table.
  auto meanwhile = call(giver, agent("alice"),
                        set_agent_status{engine::agent_status::ready, {}});
  EXPECT_TRUE(moving(meanwhile)) << meanwhile.message;
  table_for_shards_of(giver, taker, 2, 2);
  auto again = ready(taker, "alice");
  EXPECT_EQ(again->reconnects, 0);
}

TEST_F(GivingUpTest, ATableReadBeforeTheShardsWereFreedDoesNotGiveThemBack) {
  auto giver = holder_of(carol_key);
  auto front = not_holder_of(carol_key);
  auto id = carol_waits();
  ASSERT_FALSE(id.empty());
  ask_to_give_up(giver);
  ASSERT_EQ(answer(), true);

  // Still naming the giver, at the epoch they were given up at.
  table_for_shards_of(giver, giver, 2, 1);
  auto stale = call(front, customer("carol"), send_message{id, "hi", {}});
  EXPECT_TRUE(moving(stale)) << stale.message;
  EXPECT_EQ(conversations_in_memory(), 0);

  // Its node claimed them again: a later epoch.
  table_for_shards_of(giver, giver, 3, 2);
  auto again = call(front, customer("carol"), send_message{id, "hi", {}});
  EXPECT_TRUE(again.ok()) << again.message;
  EXPECT_EQ(conversations_in_memory(), 1);
}

TEST_F(GivingUpTest, AGiveUpIsAnsweredOnlyOnceWhatItsConversationsOweIsStored) {
  auto giver = holder_of(carol_key);
  auto front = not_holder_of(carol_key);
  auto id = carol_waits();
  ASSERT_FALSE(id.empty());

  // Her message waits for its commit.
  *journal_holds_ = true;
  reply_box sent;
  caf::anon_send(fronts_[front],
                 hub_submit{customer("carol"),
                            send_message{id, "are you there?", {}}, sent.fn()});
  run();
  ASSERT_TRUE(sent.replies.empty());

  ask_to_give_up(giver);
  EXPECT_EQ(answer(), std::nullopt) << "her conversation owes her an answer";
  caf::anon_send(journals_[giver], flush_timer{});
  run();
  ASSERT_EQ(sent.replies.size(), 1u);
  EXPECT_TRUE(sent.replies[0].ok())
    << "stored, then answered: " << sent.replies[0].message;
  EXPECT_EQ(answer(), true);
  const auto& log = (*logs_)[id];
  ASSERT_FALSE(log.empty());
  EXPECT_TRUE(std::holds_alternative<engine::message_posted>(log.back().body))
    << "the journal stored it before the shards went";
}

TEST_F(GivingUpTest, ShardsTakenOverWithNothingOpenCanBeGivenUpAgain) {
  auto giver = holder_of(carol_key);
  auto taker = not_holder_of(carol_key);
  ask_to_give_up(giver);
  ASSERT_EQ(answer(), true);
  table_for_shards_of(giver, taker, 2, 2);
  std::string nowhere;
  for (int n = 0; nowhere.empty() || holder_of(nowhere) != giver; ++n)
    nowhere = "c-nothing-" + std::to_string(n);
  auto unknown = call(taker, customer("carol"),
                      send_message{nowhere, "hello?", {}});
  EXPECT_EQ(unknown.code, engine::errc::not_found)
    << "read from the store, nothing open: not \"moving\" for ever";

  ask_to_give_up(taker, shards_of(giver), 2);
  EXPECT_EQ(answer(), true) << "nothing of them is still being restored";
}

TEST_F(GivingUpTest, AMonitorsInboxFollowsHerShardToItsNewHolder) {
  auto giver = holder_of(sam_key);
  ASSERT_NE(holder_of(carol_key), giver);
  auto taker = holder_of(carol_key) == (giver + 1) % directory_count
                 ? (giver + 2) % directory_count
                 : (giver + 1) % directory_count;
  auto watching = connect(giver, sam);
  auto id = carol_waits();
  ASSERT_TRUE(call(giver, sam, monitor_conversation{id}).ok());

  ask_to_give_up(giver);
  ASSERT_EQ(answer(), true);
  EXPECT_EQ(watching->reconnects, 1) << "her inbox stopped with her shard";
  table_for_shards_of(giver, taker, 2, 2);
  auto again = connect(taker, sam);
  ASSERT_TRUE(heard_only(again, holder_of(carol_key), customer("carol"), id,
                         "still there?"))
    << "the conversation holds her inbox at her new holder";
}

// Only sam's shard goes: a conversation the giver keeps, in another of its
// shards, held his inbox there, and follows him to his new holder.
TEST_F(GivingUpTest, AConversationTheGiverKeepsFollowsAMonitorWhoLeft) {
  auto giver = holder_of(sam_key);
  auto taker = (giver + 1) % directory_count;
  const auto sams_shard = shard_of(sam_key, shard_count);
  auto dana = customer_held_by_outside(giver, sams_shard);
  connect(giver, customer(dana));
  auto started = call(giver, customer(dana), start_conversation{});
  ASSERT_TRUE(started.ok()) << started.message;
  const auto id = started.as<opened>().conversation;
  auto watching = connect(giver, sam);
  ASSERT_TRUE(call(giver, sam, monitor_conversation{id}).ok());

  ask_to_give_up(giver, {sams_shard});
  ASSERT_EQ(answer(), true);
  EXPECT_EQ(watching->reconnects, 1);
  table_moving(sams_shard, taker);

  auto again = connect(taker, sam);
  ASSERT_TRUE(heard_only(again, giver, customer(dana), id, "still there?"))
    << "the giver's conversation holds his new inbox";
}

// Only the bot's shard goes: a conversation it started that the giver
// keeps is heard, and listed awake and asleep, at the bot's new holder.
TEST_F(GivingUpTest, AConversationTheGiverKeepsFollowsItsBot) {
  const caller botty{"botty", engine::role::bot, "Botty"};
  const auto botty_key = engine::user_key(engine::role::bot, "botty");
  auto giver = holder_of(botty_key);
  auto taker = (giver + 1) % directory_count;
  const auto bots_shard = shard_of(botty_key, shard_count);
  auto dana = customer_held_by_outside(giver, bots_shard);
  const auto id = started_by_bot(giver, botty, dana);
  ASSERT_FALSE(id.empty());

  ask_to_give_up(giver, {bots_shard});
  ASSERT_EQ(answer(), true);
  table_moving(bots_shard, taker);

  auto bot = connect(taker, botty);
  ASSERT_TRUE(heard_only(bot, giver, customer(dana), id, "order 42?"))
    << "its session, at its new holder, hears it";

  // Handed to sales, it waits and sleeps; the bot's new inbox lists it.
  ASSERT_TRUE(call(taker, botty, hand_off{id, "sales", {}, {}}).ok());
  fx_.sched.clock().advance_time(std::chrono::seconds{11});
  run();
  EXPECT_EQ(metrics_->conversations_asleep.get(), 1);
  auto listed = call(taker, botty, list_conversations{});
  ASSERT_TRUE(listed.ok()) << listed.message;
  ASSERT_EQ(listed.as<conversation_list>().conversations.size(), 1u);
  EXPECT_EQ(listed.as<conversation_list>().conversations[0].conversation, id);
}

// A bot's conversation closed shortly before its shard is given up leaves
// memory with it, and no holder brings a closed one back: the bot's inbox,
// held by another directory, lists it as closed from its summary.
TEST_F(GivingUpTest, AClosedConversationGivenUpStaysListedByItsBot) {
  const caller botty{"botty", engine::role::bot, "Botty"};
  const auto botty_key = engine::user_key(engine::role::bot, "botty");
  auto bots_holder = holder_of(botty_key);
  auto giver = (bots_holder + 1) % directory_count;
  auto taker = (giver + 1) % directory_count;
  auto dana = customer_held_by(giver);
  const auto danas_shard
    = shard_of(engine::user_key(engine::role::customer, dana), shard_count);
  const auto id = started_by_bot(bots_holder, botty, dana);
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(call(bots_holder, botty, close_conversation{id, {}}).ok());

  ask_to_give_up(giver, {danas_shard});
  ASSERT_EQ(answer(), true);
  table_moving(danas_shard, taker);

  auto listed = call(bots_holder, botty,
                     list_conversations{engine::conversation_state::closed});
  ASSERT_TRUE(listed.ok()) << listed.message;
  ASSERT_EQ(listed.as<conversation_list>().conversations.size(), 1u);
  EXPECT_EQ(listed.as<conversation_list>().conversations[0].conversation, id);
}

TEST_F(GivingUpTest, AConversationTakenOverFindsTheAgentAReloadRemovedInIt) {
  auto giver = holder_of("sales");
  auto front = holder_of("alice");
  ASSERT_NE(front, giver);
  auto taker = 3 - giver - front;
  auto alice = ready(front, "alice");
  auto dana = customer_held_by(giver);
  connect(front, customer(dana));
  const auto kept = accepted_by_alice(front, alice, dana);
  ASSERT_FALSE(kept.empty());

  // Every directory reads a file without her: she keeps dana's
  // conversation, and her actor runs on where she is held.
  for (std::size_t d = 0; d < directory_count; ++d)
    reload_without(d, "alice");
  ask_to_give_up(giver);
  ASSERT_EQ(answer(), true);
  table_for_shards_of(giver, taker, 2, 2);

  ASSERT_TRUE(
    call(front, customer(dana), send_message{kept, "still there?", {}}).ok());
  auto seen = alice->all<engine::message_posted>();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().text, "still there?")
    << "the taker hands the conversation back to her actor";
}

} // namespace
} // namespace baton::actors::testing
