// Directories sharing the shards learn of each other (docs/cluster.md,
// "Joining"): told the table of holders, each tells every other its queues
// and agents, and learns a handle only from the directory holding its id.
#include "sharing_fixture.hpp"

namespace baton::actors::testing {
namespace {

class JoiningTest : public HoldersTest {
protected:
  JoiningTest() {
    join_at_start_ = false;
  }

  std::vector<directory_actor> table() const {
    std::vector<directory_actor> holders;
    for (std::uint32_t s = 0; s < shard_count; ++s)
      holders.push_back(directories_[s % directory_count]);
    return holders;
  }

  directory_roster roster_of(std::size_t d) {
    return HoldersTest::roster_of(directories_[d]);
  }
};

TEST_F(JoiningTest, TheTableToldToOneDirectoryReachesEveryOther) {
  for (std::size_t f = 0; f < directory_count; ++f)
    EXPECT_EQ(call(f, customer("carol"), start_conversation{}).code,
              engine::errc::unavailable)
      << "no table yet";

  tell_table(table(), 1, {directories_[0]});
  expect_each_runs_once({directories_.begin(), directories_.end()});

  for (std::size_t f = 0; f < directory_count; ++f) {
    auto queues = call(f, agent("alice"), list_queues{});
    ASSERT_TRUE(queues.ok()) << queues.message;
    EXPECT_EQ(queues.as<queue_list>().queues.size(), 2u);
    auto agents = call(f, sam, list_agents{});
    ASSERT_TRUE(agents.ok()) << agents.message;
    EXPECT_EQ(agents.as<agent_list>().agents.size(), 2u);
  }
  auto alice = ready(not_holder_of("alice"), "alice");
  ASSERT_TRUE(
    call(not_holder_of("sales"), customer("carol"), start_conversation{}).ok());
  EXPECT_TRUE(alice->last_offer()) << "every queue and agent found the others";
}

TEST_F(JoiningTest, ASessionRefusedBeforeTheTableTakesNoLiveOneAwayAsItCloses) {
  auto holder = holder_of(carol_key);
  auto refused = connect(holder, customer("carol"));
  tell_table(table(), 1, {directories_.begin(), directories_.end()});
  auto live = connect(holder, customer("carol"));
  // The refused session closes only now (a client slow to see its close):
  // its detach follows the live session's attach.
  caf::anon_send(fronts_[holder], hub_disconnect{customer("carol"), refused});
  run();
  EXPECT_EQ(live->reconnects, 0) << "her inbox stays while a session is on";
  auto started = call(holder, customer("carol"), start_conversation{});
  ASSERT_TRUE(started.ok()) << started.message;
  EXPECT_EQ(live->count<engine::conversation_queued>(), 1u);
}

TEST_F(JoiningTest, AHandleIsLearntOnlyFromTheDirectoryHoldingItsId) {
  tell_table(table(), 1, {directories_.begin(), directories_.end()});
  auto billing = roster_of(holder_of("billing")).queues;
  ASSERT_EQ(billing.size(), 1u);
  ASSERT_EQ(billing[0].first, "billing");

  // Not the holder of sales: whoever sends it, a handle for sales from here
  // is not taken.
  auto told = std::size_t{3} - holder_of("sales") - holder_of("billing");
  fx_.self->send(
    directories_[told],
    join_directories{{}, 0, {{"sales", billing[0].second}}, {}, {}});
  run();
  fx_.self->receive([](directory_roster&) {});

  auto queues = call(told, agent("alice"), list_queues{});
  ASSERT_TRUE(queues.ok()) << queues.message;
  const auto& rows = queues.as<queue_list>().queues;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].queue, "billing");
  EXPECT_EQ(rows[1].queue, "sales") << "sales is still the real one";
}

TEST_F(JoiningTest, AnOlderTableIsIgnored) {
  tell_table(table(), 2, {directories_.begin(), directories_.end()});
  auto before = roster_of(0);
  ASSERT_LT(before.queues.size() + before.agents.size(), 4u)
    << "directory 0 does not run everything";

  // Version 1 would give directory 0 every shard.
  std::vector<directory_actor> older(shard_count, directories_[0]);
  tell_table(older, 1, {directories_[0]});
  auto after = roster_of(0);
  EXPECT_EQ(after.queues.size(), before.queues.size()) << "took nothing over";
  EXPECT_EQ(after.agents.size(), before.agents.size());
}

TEST_F(JoiningTest,
       AHolderDownWithItsLinkIsReachedAgainWhenTheTableIsToldAgain) {
  tell_table(table(), 1, {directories_.begin(), directories_.end()});
  auto holder = holder_of("sales");
  auto front = not_holder_of("sales");
  // A customer the cut-off directory holds.
  std::string name;
  for (int i = 0; name.empty(); ++i)
    if (auto n = "cust" + std::to_string(i);
        holder_of(engine::user_key(engine::role::customer, n)) == holder)
      name = n;
  auto alice = ready(holder_of("alice"), "alice");
  // Its node's last link broke: CAF dropped the handles of that node.
  caf::anon_send(caf::actor_cast<caf::actor>(directories_[front]),
                 caf::down_msg{directories_[holder].address(),
                               caf::exit_reason::remote_link_unreachable});
  run();
  auto refused = call(front, customer(name), start_conversation{});
  EXPECT_EQ(refused.code, engine::errc::unavailable) << "moving";

  // The teller reached that node again and tells the same table.
  tell_table(table(), 1, {directories_[front]});
  auto started = call(front, customer(name), start_conversation{});
  ASSERT_TRUE(started.ok()) << started.message;
  EXPECT_TRUE(alice->last_offer()) << "the queue and the agent reached";
}

TEST_F(JoiningTest, AnAttachWhoseHubCouldNotBeReadIsRefused) {
  // As read from a node whose link closed first: no detach could name it.
  tell_table(table(), 1, {directories_.begin(), directories_.end()});
  auto inboxes = metrics_->user_inboxes.get();
  fx_.self->send(directories_[holder_of(carol_key)],
                 attach_session{customer("carol"), session_ref{{}, 5}});
  run();
  reply answer;
  fx_.self->receive([&](reply& r) { answer = std::move(r); });
  EXPECT_EQ(answer.code, engine::errc::unavailable);
  EXPECT_EQ(metrics_->user_inboxes.get(), inboxes) << "no inbox for it";
}

// A join read after its sender's link closed comes with no sender: CAF
// could not make a proxy for it. Nothing is learnt from it, and the
// directory goes on answering.
TEST_F(JoiningTest, AJoinWithNoSenderTeachesNothing) {
  tell_table(table(), 1, {directories_.begin(), directories_.end()});
  auto before = roster_of(0);
  caf::anon_send(
    directories_[0],
    join_directories{table(),
                     1,
                     {},
                     {},
                     {},
                     caf::actor_cast<supervision_actor>(directories_[1])});
  run();
  auto after = roster_of(0);
  EXPECT_EQ(after.queues.size(), before.queues.size());
  EXPECT_EQ(after.agents.size(), before.agents.size());
  auto queues = call(0, agent("alice"), list_queues{});
  ASSERT_TRUE(queues.ok()) << queues.message;
  EXPECT_EQ(queues.as<queue_list>().queues.size(), 2u);
}

} // namespace
} // namespace baton::actors::testing
