// Supervision across directories sharing the shards (docs/cluster.md,
// "Supervision across nodes"): a supervisor subscribed through one sees
// the agents and conversations every one of them runs, hears nothing more
// once her last session goes, and a directory that starts later learns the
// subscriptions made before it.
#include <algorithm>

#include "sharing_fixture.hpp"

namespace baton::actors::testing {
namespace {

class SupervisionSharingTest : public HoldersTest {
protected:
  SupervisionSharingTest() {
    with_reader_ = true;
  }

  /// Sam's session at his holder, subscribed to every queue.
  recorder_ptr dashboard() {
    auto sink = connect(home(), sam);
    auto subscribed = call(home(), sam, supervise_subscribe{});
    EXPECT_TRUE(subscribed.ok()) << subscribed.message;
    return sink;
  }

  std::size_t home() const {
    return holder_of(sam_key);
  }

  /// An agent another directory than Sam's runs.
  std::string agent_elsewhere() const {
    return holder_of("alice") != home() ? "alice" : "carl";
  }

  /// Directory `d` and its front stop, and a new one starts holding
  /// nothing; the next table gives it the same shards.
  void restart(std::size_t d) {
    caf::anon_send_exit(fronts_[d], caf::exit_reason::user_shutdown);
    caf::anon_send_exit(directories_[d], caf::exit_reason::user_shutdown);
    run();
    spawn_directory_at(d, false);
    spawn_front_at(d);
    join(2);
    run();
  }

  static std::size_t rows_of(const recorder& r, const std::string& agent,
                             engine::agent_status status) {
    auto rows = r.all<agent_row>();
    return static_cast<std::size_t>(
      std::ranges::count_if(rows, [&](const agent_row& row) {
        return row.agent == agent && row.status == status;
      }));
  }

  static bool has_row(const recorder& r, const std::string& agent,
                      engine::agent_status status) {
    return rows_of(r, agent, status) > 0;
  }

  static std::vector<conversation_summary>
  summaries_of(const recorder& r, const std::string& conversation) {
    std::vector<conversation_summary> out;
    for (auto& s : r.all<conversation_summary>())
      if (s.conversation == conversation)
        out.push_back(std::move(s));
    return out;
  }
};

TEST_F(SupervisionSharingTest,
       ASupervisorSeesTheAgentsAndConversationsOfEveryDirectory) {
  ASSERT_NE(holder_of(carol_key), home());
  ASSERT_TRUE(holder_of("alice") != home() || holder_of("carl") != home());
  auto sams = dashboard();

  auto alice = ready(holder_of("alice"), "alice");
  ready(holder_of("carl"), "carl");
  EXPECT_TRUE(has_row(*sams, "alice", engine::agent_status::ready));
  EXPECT_EQ(rows_of(*sams, "carl", engine::agent_status::ready), 1u)
    << "each change once, from where the agent runs";

  auto id = carol_waits();
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer);
  ASSERT_TRUE(
    call(holder_of("alice"), agent("alice"), accept_offer{offer->offer}).ok());
  auto seen = summaries_of(*sams, id);
  ASSERT_FALSE(seen.empty()) << "run by carol's holder, not sam's";
  EXPECT_EQ(seen.back().queue, "sales");
  EXPECT_EQ(seen.back().assignee, "alice");
  EXPECT_EQ(std::ranges::count_if(seen,
                                  [](const conversation_summary& s) {
                                    return !s.assignee.empty();
                                  }),
            1)
    << "the assignment once";
}

TEST_F(SupervisionSharingTest,
       ASupervisorWhoLeftHearsNothingMoreFromTheOthers) {
  ASSERT_NE(holder_of(carol_key), home());
  auto other = agent_elsewhere();
  ASSERT_NE(holder_of(other), home());
  auto first = dashboard();
  // A monitor keeps sam's inbox after his last session, as a conversation
  // he watches does.
  auto id = carol_waits();
  ASSERT_TRUE(call(home(), sam, monitor_conversation{id}).ok());
  caf::anon_send(fronts_[home()], hub_disconnect{sam, first});
  run();

  auto again = connect(home(), sam);
  ready(holder_of(other), other);
  EXPECT_FALSE(has_row(*first, other, engine::agent_status::ready))
    << "its session is gone";
  EXPECT_EQ(again->count<agent_row>(), 0u)
    << "subscribed no more, here or at the directory running " << other;
  ASSERT_TRUE(
    call(holder_of(carol_key), customer("carol"), send_message{id, "hi", {}})
      .ok());
  EXPECT_EQ(again->count<engine::message_posted>(), 1u)
    << "the same inbox, which his monitor kept";
}

TEST_F(SupervisionSharingTest,
       AnAgentWhoSupervisesIsSubscribedOnceWhereHeRuns) {
  auto carls = holder_of("carl");
  ASSERT_NE(holder_of("alice"), carls);
  auto neither = 3 - holder_of("alice") - carls;
  // Subscribed through two fronts that do not run him, as two desks.
  auto desk = connect(neither, agent("carl"));
  auto other_desk = connect(holder_of("alice"), agent("carl"));
  ASSERT_TRUE(call(neither, agent("carl"), supervise_subscribe{}).ok());
  ASSERT_TRUE(
    call(holder_of("alice"), agent("carl"), supervise_subscribe{}).ok());
  ready(holder_of("alice"), "alice");
  EXPECT_EQ(rows_of(*desk, "alice", engine::agent_status::ready), 1u)
    << "one subscription, wherever he asked";

  caf::anon_send(fronts_[neither], hub_disconnect{agent("carl"), desk});
  caf::anon_send(fronts_[holder_of("alice")],
                 hub_disconnect{agent("carl"), other_desk});
  run();
  auto back = connect(neither, agent("carl"));
  ASSERT_TRUE(call(holder_of("alice"), agent("alice"),
                   set_agent_status{engine::agent_status::not_ready, {}})
                .ok());
  EXPECT_EQ(back->count<agent_row>(), 0u)
    << "his last session ended his subscription at every directory";
}

TEST_F(SupervisionSharingTest,
       ADirectoryStartedLaterHearsTheSubscriptionsMadeBefore) {
  auto other = agent_elsewhere();
  auto restarted = holder_of(other);
  ASSERT_NE(restarted, home());
  auto sams = dashboard();

  restart(restarted);
  ready(restarted, other);
  EXPECT_TRUE(has_row(*sams, other, engine::agent_status::ready))
    << other << " runs under a directory that started after sam subscribed";
}

} // namespace
} // namespace baton::actors::testing
