// A supervisor's assignment overrides automatic routing, over real sockets:
// it reaches a connected agent who is not ready, goes past the agent's
// capacity only with `assign_over_capacity`, and when it cannot reach the
// agent the supervisor is told why by name (docs/routing.md, "Supervisor
// override").

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

/// Frank supervises and may assign past an agent's capacity; Erin (from
/// the fixture) supervises without it.
constexpr const char* override_toml = R"(
[[agents]]
id = "frank"
name = "Frank"
roles = ["supervisor"]
permissions = ["supervise", "assign_over_capacity"]
)";

class AssignOverrideTest : public server_test {
protected:
  void SetUp() override {
    server_config c;
    c.extra_toml = override_toml;
    ASSERT_TRUE(start_server(c));
  }

  std::optional<json::object> ask(ws_client& c, json::object req) {
    req["id"] = next_id();
    return c.request(req, reply_timeout);
  }

  /// `supervisor` assigns `conversation` to `agent`; the reply must be ok.
  void assign(ws_client& supervisor, const std::string& conversation,
              std::string_view agent) {
    auto ok = ask(supervisor, {{"type", "conversation.assign"},
                               {"conversation", conversation},
                               {"agent", agent}});
    ASSERT_TRUE(is_ok(ok)) << dump(ok);
  }

  /// The agent's offer of kind assign for `conversation`, accepted.
  void accept_assignment(ws_client& agent, const std::string& conversation) {
    auto offer = agent.wait_for("offer", "conversation", conversation,
                                reply_timeout);
    ASSERT_TRUE(offer);
    EXPECT_EQ(str(offer, "kind"), "assign");
    auto ok = ask(agent,
                  {{"type", "offer.accept"}, {"offer", str(offer, "offer")}});
    ASSERT_TRUE(is_ok(ok)) << dump(ok);
  }
};

TEST_F(AssignOverrideTest, ReachesAConnectedAgentWhoIsNotReady) {
  auto carol = login(role::agent, "carol"); // connected, not ready
  auto erin = login(role::supervisor, "erin");
  auto customer = login(role::customer, "cust-1");
  auto c = start_conversation(customer, "Is the blue one in stock?", "sales");
  ASSERT_FALSE(c.empty());
  EXPECT_FALSE(carol.wait_for("offer", "conversation", c, quiet_period))
    << "routing offers nothing to an agent who is not ready";

  assign(erin, c, "carol");
  accept_assignment(carol, c);
  auto assigned = customer.wait_for("conversation.assigned", "conversation", c,
                                    reply_timeout);
  ASSERT_TRUE(assigned);
  EXPECT_EQ(str(assigned, "agent"), "carol");
  auto completed = erin.wait_for("assign.completed", "conversation", c,
                                 reply_timeout);
  EXPECT_TRUE(completed) << "the supervisor hears it was taken";
}

TEST_F(AssignOverrideTest,
       AnAgentWithNoSessionIsOfflineAndTheSupervisorIsToldSo) {
  auto erin = login(role::supervisor, "erin");
  auto customer = login(role::customer, "cust-1");
  auto c = start_conversation(customer, "Is the blue one in stock?", "sales");
  ASSERT_FALSE(c.empty());

  assign(erin, c, "bob"); // bob has never connected
  auto failed = erin.wait_for("assign.failed", "conversation", c,
                              reply_timeout);
  ASSERT_TRUE(failed);
  EXPECT_EQ(str(failed, "reason"), "unavailable");
  EXPECT_EQ(str(failed, "text"),
            "Bob is offline: nobody was offered the conversation");
  EXPECT_EQ(metric(R"(baton_offers_total{result="cancelled"})"), 0.0)
    << "an offer nobody saw is not counted";
  // Back in its queue: still waiting, and assignable again.
  auto carol = login(role::agent, "carol");
  assign(erin, c, "carol");
  accept_assignment(carol, c);
}

TEST_F(AssignOverrideTest, PastCapacityOnlyWithThePermission) {
  auto carol = login(role::agent, "carol"); // capacity 2
  auto erin = login(role::supervisor, "erin");
  auto frank = login(role::supervisor, "frank");
  make_ready(carol);
  std::vector<ws_client> customers;
  for (int i = 0; i < 3; ++i)
    customers.push_back(login(role::customer, "cust-" + std::to_string(i)));
  for (int i = 0; i < 2; ++i) {
    auto c = start_conversation(customers[i], "Hello", "sales");
    ASSERT_FALSE(c.empty());
    ASSERT_TRUE(accept_offer(carol, c));
  }
  auto third = start_conversation(customers[2], "Anyone there?", "sales");
  ASSERT_FALSE(third.empty());
  EXPECT_FALSE(carol.wait_for("offer", "conversation", third, quiet_period))
    << "a full agent gets no offer from routing";

  assign(erin, third, "carol");
  auto failed = erin.wait_for("assign.failed", "conversation", third,
                              reply_timeout);
  ASSERT_TRUE(failed);
  EXPECT_EQ(str(failed, "text"), "Carol has no room for another conversation");

  assign(frank, third, "carol");
  accept_assignment(carol, third);
  auto assigned = customers[2].wait_for("conversation.assigned", "conversation",
                                        third, reply_timeout);
  ASSERT_TRUE(assigned);
  EXPECT_EQ(str(assigned, "agent"), "carol");
}

} // namespace
} // namespace baton::e2e
