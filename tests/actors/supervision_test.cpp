#include "routing_fixture.hpp"

#include <algorithm>
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

[supervision]
stats_interval_ms = 1000

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
capacity = 2

[[agents]]
id = "bob"
name = "Bob"
queues = ["support"]

[[agents]]
id = "lead"
name = "Lead"
queues = ["support"]
permissions = ["supervise"]

[[agents]]
id = "sam"
name = "Sam"
roles = ["supervisor"]
queues = []
)";

caller supervisor(const std::string& id) {
  return {id, engine::role::supervisor, id};
}

class SupervisionTest : public RoutingFixture {
protected:
  void SetUp() override {
    boot(centre);
  }

  /// A supervisor session subscribed to `queues`.
  recorder_ptr subscribed(const caller& who,
                          std::vector<std::string> queues = {}) {
    auto sink = connect(who);
    auto out = call(who, supervise_subscribe{std::move(queues)});
    EXPECT_TRUE(out.ok()) << out.message;
    return sink;
  }
};

TEST_F(SupervisionTest, SubscriberGetsStatsAtOnceThenEveryInterval) {
  auto sam = subscribed(supervisor("sam"));
  auto first = sam->all<queue_stats_notice>();
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(first[0].queues.size(), 2u);
  EXPECT_EQ(first[0].queues[0].queue, "sales");
  EXPECT_EQ(first[0].queues[1].queue, "support");

  advance(999ms);
  EXPECT_EQ(sam->count<queue_stats_notice>(), 1u);
  advance(1ms);
  EXPECT_EQ(sam->count<queue_stats_notice>(), 2u);
  advance(1000ms);
  EXPECT_EQ(sam->count<queue_stats_notice>(), 3u);
}

TEST_F(SupervisionTest, StatsCountWaitingConversations) {
  auto sam = subscribed(supervisor("sam"), {"sales"});
  start(customer("c1"));
  advance(1000ms);
  auto stats = sam->all<queue_stats_notice>().back();
  ASSERT_EQ(stats.queues.size(), 1u);
  EXPECT_EQ(stats.queues[0].queue, "sales");
  EXPECT_EQ(stats.queues[0].waiting, 1u);
  EXPECT_EQ(stats.queues[0].longest_wait_ms, 1000);
}

TEST_F(SupervisionTest, SeesAgentsAndConversationsOfItsQueuesOnly) {
  auto sam = subscribed(supervisor("sam"), {"sales"});
  auto alice = login("alice");
  login("bob");

  auto rows = sam->all<agent_row>();
  ASSERT_FALSE(rows.empty());
  EXPECT_TRUE(std::ranges::all_of(rows, [](const agent_row& r) {
    return r.agent == "alice";
  }));
  EXPECT_EQ(rows.back().status, agent_status::ready);
  EXPECT_EQ(rows.back().load, 0);

  auto id = start(customer("c1"));
  auto offered = sam->all<conversation_summary>();
  ASSERT_FALSE(offered.empty());
  EXPECT_EQ(offered.back().conversation, id);
  EXPECT_EQ(offered.back().queue, "sales");
  EXPECT_EQ(offered.back().state, conversation_state::offered);
  EXPECT_EQ(sam->all<agent_row>().back().load, 1) << "a held offer counts";

  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  auto assigned = sam->all<conversation_summary>().back();
  EXPECT_EQ(assigned.state, conversation_state::assigned);
  EXPECT_EQ(assigned.assignee, "alice");
  EXPECT_EQ(assigned.agents, std::vector<std::string>{"alice"});

  // Messages do not make a dashboard update.
  auto before = sam->count<conversation_summary>();
  ASSERT_TRUE(call(customer("c1"), send_message{id, "hello", {}}).ok());
  EXPECT_EQ(sam->count<conversation_summary>(), before);

  // A conversation of another queue is not shown.
  start(customer("c2"), "support");
  for (const auto& s : sam->all<conversation_summary>())
    EXPECT_EQ(s.queue, "sales");
}

TEST_F(SupervisionTest, AnAgentRowIsSentOnlyWhenItChanges) {
  auto sam = subscribed(supervisor("sam"));
  login("alice");
  auto rows = sam->count<agent_row>();
  ASSERT_TRUE(
    call(agent("alice"), set_agent_status{agent_status::ready, {}}).ok());
  EXPECT_EQ(sam->count<agent_row>(), rows);
}

TEST_F(SupervisionTest, AgentWithSuperviseMayListAndSubscribe) {
  auto lead = login("lead", false);
  auto out = call(agent("lead"), supervise_subscribe{{"support"}});
  ASSERT_TRUE(out.ok()) << out.message;
  EXPECT_EQ(lead->count<queue_stats_notice>(), 1u);

  auto listed = call(agent("lead"), list_agents{"support"});
  ASSERT_TRUE(listed.ok()) << listed.message;
  const auto& agents = listed.as<agent_list>().agents;
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0].agent, "bob");
  EXPECT_EQ(agents[1].agent, "lead");
  EXPECT_EQ(agents[1].status, agent_status::not_ready);
}

TEST_F(SupervisionTest, ForbiddenWithoutSupervision) {
  connect(customer("c1"));
  EXPECT_EQ(call(customer("c1"), supervise_subscribe{}).code, errc::forbidden);
  login("alice");
  EXPECT_EQ(call(agent("alice"), supervise_subscribe{}).code, errc::forbidden);
  EXPECT_EQ(call(agent("alice"), list_agents{}).code, errc::forbidden);
}

TEST_F(SupervisionTest, UnknownQueueIsNotFound) {
  connect(supervisor("sam"));
  EXPECT_EQ(call(supervisor("sam"), supervise_subscribe{{"nope"}}).code,
            errc::not_found);
}

TEST_F(SupervisionTest, LastSessionClosingEndsTheSubscription) {
  auto one = connect(supervisor("sam"));
  auto two = connect(supervisor("sam"));
  ASSERT_TRUE(call(supervisor("sam"), supervise_subscribe{}).ok());
  EXPECT_EQ(two->count<queue_stats_notice>(), 1u) << "every session sees it";

  disconnect(supervisor("sam"), one);
  advance(1000ms);
  EXPECT_EQ(two->count<queue_stats_notice>(), 2u) << "one session is left";

  disconnect(supervisor("sam"), two);
  auto again = connect(supervisor("sam"));
  advance(1000ms);
  login("alice");
  EXPECT_EQ(again->count<queue_stats_notice>(), 0u);
  EXPECT_EQ(again->count<agent_row>(), 0u);
}

TEST_F(SupervisionTest, AReloadThatTakesSuperviseAwayEndsTheSubscription) {
  auto lead = login("lead", false);
  ASSERT_TRUE(call(agent("lead"), supervise_subscribe{}).ok());
  auto sam = subscribed(supervisor("sam"));
  start(customer("c1"), "support");
  ASSERT_GT(lead->count<conversation_summary>(), 0u);

  // Lead stays on the roster, in his queue, without the permission.
  std::string without{centre};
  const std::string granted = R"(permissions = ["supervise"])";
  without.replace(without.find(granted), granted.size(), "permissions = []");
  reload(without);
  auto summaries = lead->count<conversation_summary>();
  auto stats = lead->count<queue_stats_notice>();
  auto sams = sam->count<conversation_summary>();
  start(customer("c2"), "support");
  advance(1000ms);
  EXPECT_EQ(lead->count<conversation_summary>(), summaries);
  EXPECT_EQ(lead->count<queue_stats_notice>(), stats);
  EXPECT_EQ(call(agent("lead"), supervise_subscribe{}).code, errc::forbidden);
  EXPECT_GT(sam->count<conversation_summary>(), sams)
    << "a supervisor by role keeps hers";
}

/// A roster not in id order: pages go by id all the same.
constexpr auto roster_out_of_order = R"(
[routing]
default_queue = "sales"

[[queues]]
id = "sales"
name = "Sales"

[[agents]]
id = "zoe"
queues = ["sales"]

[[agents]]
id = "amy"
queues = ["sales"]

[[agents]]
id = "sam"
roles = ["supervisor"]
queues = []

[[agents]]
id = "kim"
queues = ["sales"]
)";

class AgentListPagesTest : public RoutingFixture {
protected:
  void SetUp() override {
    boot(roster_out_of_order);
  }

  agent_list page(std::string after, std::uint32_t limit) {
    list_agents r;
    r.after_agent = std::move(after);
    r.limit = limit;
    return call({"sam", engine::role::supervisor, "Sam"}, r).as<agent_list>();
  }

  static std::vector<std::string> ids(const agent_list& l) {
    std::vector<std::string> out;
    for (const auto& row : l.agents)
      out.push_back(row.agent);
    return out;
  }
};

TEST_F(AgentListPagesTest, PagesGoByIdAndSayWhenMoreFollow) {
  auto first = page({}, 2);
  EXPECT_EQ(ids(first), (std::vector<std::string>{"amy", "kim"}));
  EXPECT_TRUE(first.more);
  auto second = page("kim", 2);
  EXPECT_EQ(ids(second), (std::vector<std::string>{"zoe"}));
  EXPECT_FALSE(second.more) << "zoe is the last; sam only supervises";
  EXPECT_TRUE(page("zoe", 2).agents.empty());
  auto whole = page({}, 500);
  EXPECT_EQ(ids(whole), (std::vector<std::string>{"amy", "kim", "zoe"}));
  EXPECT_FALSE(whole.more);
  // Exactly the limit left: no more after it.
  auto exact = page("amy", 2);
  EXPECT_EQ(ids(exact), (std::vector<std::string>{"kim", "zoe"}));
  EXPECT_FALSE(exact.more);
}

} // namespace
} // namespace baton::actors::testing
