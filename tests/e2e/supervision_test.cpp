// Supervision through real sockets: a supervisor's dashboard follows agents,
// conversations and queue figures; nobody else may subscribe.

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class SupervisionTest : public server_test {
protected:
  std::optional<json::object> subscribe(ws_client& c,
                                        std::optional<json::array> queues) {
    json::object req{{"type", "supervise.subscribe"}, {"id", next_id()}};
    if (queues)
      req["queues"] = *queues;
    return c.request(req, reply_timeout);
  }

  static bool is_agent(const json::object& f, std::string_view agent,
                       std::string_view status, std::int64_t load) {
    return str(f, "type") == "agent.updated" && str(f, "agent") == agent
           && str(f, "status") == status && integer(f, "load") == load;
  }
};

TEST_F(SupervisionTest, SupervisorSeesAgentsConversationsAndQueueFigures) {
  ASSERT_TRUE(start_server());
  auto erin = login(role::supervisor, "erin");
  auto ok = subscribe(erin, json::array{"general"});
  ASSERT_TRUE(is_ok(ok)) << dump(ok);
  auto first = erin.wait_for("queue.stats", reply_timeout);
  ASSERT_TRUE(first) << "stats come at once";
  const auto& rows = first->at("queues").as_array();
  ASSERT_EQ(rows.size(), 1u) << dump(first);
  EXPECT_EQ(str(rows[0].as_object(), "queue"), "general");

  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto ready = erin.wait_for(
    [](const json::object& f) { return is_agent(f, "alice", "ready", 0); },
    reply_timeout);
  ASSERT_TRUE(ready) << "agent.updated for alice going ready";
  EXPECT_GE(integer(*ready, "capacity").value_or(0), 1);

  auto customer = login(role::customer, "cust-1");
  auto id = start_conversation(customer, "Where is my parcel?");
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(accept_offer(alice, id));

  auto assigned = erin.wait_for(
    [&](const json::object& f) {
      return str(f, "type") == "conversation.updated"
             && str(f, "conversation") == id && str(f, "state") == "assigned";
    },
    reply_timeout);
  ASSERT_TRUE(assigned) << "conversation.updated when alice takes it";
  EXPECT_EQ(str(*assigned, "assignee"), "alice");
  EXPECT_EQ(str(*assigned, "queue"), "general");
  EXPECT_EQ(str(assigned->at("customer").as_object(), "id"), "cust-1");
  EXPECT_TRUE(erin.wait_for(
    [](const json::object& f) { return is_agent(f, "alice", "ready", 1); },
    reply_timeout))
    << "agent.updated with alice's new load";

  // The next figures show alice busy.
  auto busy = erin.wait_for(
    [](const json::object& f) {
      if (str(f, "type") != "queue.stats")
        return false;
      const auto& row = f.at("queues").as_array().at(0).as_object();
      return integer(row, "agents_busy") == 1;
    },
    reply_timeout);
  EXPECT_TRUE(busy) << "queue.stats every stats_interval_ms";
}

TEST_F(SupervisionTest, OtherQueuesStayOffTheDashboard) {
  ASSERT_TRUE(start_server());
  auto erin = login(role::supervisor, "erin");
  ASSERT_TRUE(is_ok(subscribe(erin, json::array{"sales"})));
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto carol = login(role::agent, "carol");
  make_ready(carol);
  EXPECT_TRUE(erin.wait_for(
    [](const json::object& f) { return is_agent(f, "carol", "ready", 0); },
    reply_timeout));
  for (const auto& f : erin.received())
    if (str(f, "type") == "agent.updated") {
      EXPECT_EQ(str(f, "agent"), "carol") << dump(f);
    }
}

TEST_F(SupervisionTest, CustomersAndAgentsWithoutPermissionAreForbidden) {
  ASSERT_TRUE(start_server());
  auto customer = login(role::customer, "cust-1");
  EXPECT_EQ(error_code(subscribe(customer, std::nullopt)), "forbidden");
  auto alice = login(role::agent, "alice");
  EXPECT_EQ(error_code(subscribe(alice, std::nullopt)), "forbidden");
  EXPECT_EQ(error_code(alice.request(
              {{"type", "agent.list"}, {"id", next_id()}}, reply_timeout)),
            "forbidden");
  auto erin = login(role::supervisor, "erin");
  EXPECT_EQ(error_code(subscribe(erin, json::array{"nowhere"})), "not_found");
}

TEST_F(SupervisionTest, AgentListShowsEveryAgentOrOneQueueAndNoSupervisor) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto erin = login(role::supervisor, "erin");
  auto all = erin.request({{"type", "agent.list"}, {"id", next_id()}},
                          reply_timeout);
  ASSERT_TRUE(is_ok(all)) << dump(all);
  auto sales = erin.request(
    {{"type", "agent.list"}, {"id", next_id()}, {"queue", "sales"}},
    reply_timeout);
  ASSERT_TRUE(is_ok(sales)) << dump(sales);
  const auto& only = sales->at("agents").as_array();
  ASSERT_EQ(only.size(), 1u) << dump(sales);
  EXPECT_EQ(str(only[0].as_object(), "agent"), "carol");
  bool alice_ready = false;
  std::vector<std::string> ids;
  for (const auto& a : all->at("agents").as_array()) {
    ids.push_back(str(a.as_object(), "agent"));
    alice_ready |= str(a.as_object(), "agent") == "alice"
                   && str(a.as_object(), "status") == "ready";
  }
  EXPECT_TRUE(alice_ready) << dump(all);
  // Erin only supervises: she is no row of the agents' grid.
  EXPECT_EQ(ids, (std::vector<std::string>{"alice", "bob", "carol"}));
}

} // namespace
} // namespace baton::e2e
