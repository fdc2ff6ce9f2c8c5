// Any node serves any client: a node standing by relays its clients'
// sessions and requests to the serving node's core through CAF's
// middleman, so a customer on one node and agents on another go through a
// whole conversation together (docs/cluster.md, "Any node serves any
// client").

#include <array>
#include <chrono>
#include <csignal>
#include <thread>

#include "tests/cluster/cluster_fixture.hpp"

namespace baton::cluster_tests {
namespace {

using engine::role;

/// Transfers without the customer's consent, so that the test drives them
/// from the agents' side alone.
constexpr const char* workflow_toml = R"(
[transfer]
require_consent = false

[[topics]]
id = "billing"
name = "Billing"
)";

class RelayTest : public cluster_test {
protected:
  void SetUp() override {
    relay_ = true;
    more_toml_ = workflow_toml;
    // An agent whose sessions are all gone goes offline this soon.
    more_env_ = {"BATON_ROUTING_AGENT_DISCONNECT_GRACE_MS=200"};
    cluster_test::SetUp();
  }

  /// Agent `id` logged in at the relay (n2) and ready, as the serving node
  /// counts it.
  ws_client ready_on_the_relay(const std::string& id) {
    auto agent = login_at(1, role::agent, id);
    make_ready(agent);
    EXPECT_TRUE(node_metric_becomes(0, R"(baton_agents{status="ready"})", 1));
    return agent;
  }

  /// Polls node `i`'s own /metrics until `series` is `value`.
  bool node_metric_becomes(std::size_t i, std::string_view series,
                           double value) {
    auto deadline = std::chrono::steady_clock::now() + takeover_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto scrape = http_get(node_port(i), "/metrics");
      if (scrape && scrape->status == 200
          && find_metric(scrape->body, series) == value)
        return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return false;
  }

  /// n1 serves; n2 stands by and relays.
  void start_pair() {
    ASSERT_TRUE(start_node(0));
    ASSERT_TRUE(node(0).wait_log("this node serves now", takeover_timeout))
      << node(0).log_tail();
    ASSERT_TRUE(start_node(1));
    ASSERT_TRUE(
      node(1).wait_log("relaying to the serving node", takeover_timeout))
      << node(1).log_tail();
  }

  static std::optional<json::object> event(ws_client& c, std::string_view type,
                                           std::string_view conversation) {
    return c.wait_for(type, "conversation", conversation, reply_timeout);
  }
};

TEST_F(RelayTest,
       ACustomerOnOneNodeAndAgentsOnTheOtherGoThroughAWholeConversation) {
  start_pair();
  // Alice has a session on each node; Ann and Bob are on the serving node,
  // Carol on the relay.
  auto alice = login_at(1, role::agent, "alice");
  auto alice_too = login_at(0, role::agent, "alice");
  make_ready(alice);
  auto ann = login_at(0, role::customer, "ann");
  auto chat = start_conversation(ann, "where is my parcel?");
  ASSERT_FALSE(chat.empty());
  ASSERT_TRUE(accept_offer(alice, chat));
  ASSERT_TRUE(event(ann, "participant.joined", chat));

  ASSERT_TRUE(is_ok(ask(ann, {{"type", "message.send"},
                              {"conversation", chat},
                              {"text", "order 42"}})));
  EXPECT_TRUE(alice.wait_for("message", "text", "order 42", reply_timeout))
    << "the relay's session";
  EXPECT_TRUE(alice_too.wait_for("message", "text", "order 42", reply_timeout))
    << "the serving node's session of the same agent";
  ASSERT_TRUE(is_ok(ask(alice, {{"type", "message.send"},
                                {"conversation", chat},
                                {"text", "looking now"}})));
  EXPECT_TRUE(ann.wait_for("message", "text", "looking now", reply_timeout));

  auto carol = login_at(1, role::agent, "carol");
  make_ready(carol);
  auto transfer = ask(alice, {{"type", "transfer.request"},
                              {"conversation", chat},
                              {"to_agent", "carol"},
                              {"topic", "billing"}});
  ASSERT_TRUE(is_ok(transfer)) << dump(transfer);
  auto handed = event(carol, "offer", chat);
  ASSERT_TRUE(handed);
  EXPECT_EQ(str(handed, "kind"), "transfer");
  ASSERT_TRUE(is_ok(
    ask(carol, {{"type", "offer.accept"}, {"offer", str(handed, "offer")}})));
  EXPECT_TRUE(alice.wait_for("transfer.completed", reply_timeout));
  EXPECT_TRUE(ann.wait_for("participant.joined", "text",
                           "Carol has joined the conversation", reply_timeout));

  auto bob = login_at(0, role::agent, "bob");
  make_ready(bob);
  auto conference = ask(carol, {{"type", "conference.request"},
                                {"conversation", chat},
                                {"to_agent", "bob"}});
  ASSERT_TRUE(is_ok(conference)) << dump(conference);
  auto offer = event(bob, "offer", chat);
  ASSERT_TRUE(offer);
  EXPECT_EQ(str(offer, "kind"), "conference");
  ASSERT_TRUE(is_ok(
    ask(bob, {{"type", "offer.accept"}, {"offer", str(offer, "offer")}})));
  EXPECT_TRUE(ann.wait_for("participant.joined", "text",
                           "Bob has joined the conversation", reply_timeout));
  ASSERT_TRUE(is_ok(ask(bob, {{"type", "message.send"},
                              {"conversation", chat},
                              {"text", "Bob here too"}})));
  EXPECT_TRUE(carol.wait_for("message", "text", "Bob here too", reply_timeout));

  ASSERT_TRUE(is_ok(
    ask(carol, {{"type", "conversation.close"}, {"conversation", chat}})));
  EXPECT_TRUE(event(ann, "conversation.closed", chat));
  EXPECT_TRUE(event(bob, "conversation.closed", chat));

  // The relay's /metrics times what it relayed.
  auto scrape = http_get(node_port(1), "/metrics");
  ASSERT_TRUE(scrape && scrape->status == 200);
  EXPECT_GE(find_metric(scrape->body,
                        "baton_cluster_relayed_request_seconds_count")
              .value_or(0),
            8)
    << "hellos, statuses, the accept, a message, the transfer, its accept";
}

// Alice has a session on each node and both accept every offer they see,
// as two desktops racing would: each offer is taken once, by one of them,
// and she never holds more conversations than her capacity.
TEST_F(RelayTest, AnAgentWithSessionsOnTwoNodesNeverExceedsHerCapacity) {
  start_pair();
  std::array<ws_client, 2> desktops{login_at(0, role::agent, "alice"),
                                    login_at(1, role::agent, "alice")};
  make_ready(desktops[0]);
  // Eight customers, half on each node, for her three slots; both desktops
  // answer every offer: one takes it, one is refused.
  constexpr std::size_t capacity = 3;
  std::vector<ws_client> customers;
  auto race = race_for_offers(desktops, 2 * capacity, [&] {
    for (std::size_t i = 0; i < 8; ++i) {
      customers.push_back(
        login_at(i % 2, role::customer, "cust" + std::to_string(i)));
      EXPECT_FALSE(start_conversation(customers.back(), "hello").empty());
    }
  });
  expect_taken_once(race, capacity);

  auto erin = login_at(1, role::supervisor, "erin");
  auto agents = ask(erin, {{"type", "agent.list"}});
  ASSERT_TRUE(is_ok(agents)) << dump(agents);
  for (const auto& a : agents->at("agents").as_array())
    if (str(a.as_object(), "agent") == "alice") {
      EXPECT_EQ(integer(a.as_object(), "load"), std::int64_t{capacity})
        << dump(a.as_object());
    }
  auto mine = ask(desktops[1], {{"type", "conversation.list"}});
  ASSERT_TRUE(is_ok(mine)) << dump(mine);
  EXPECT_EQ(mine->at("conversations").as_array().size(), capacity);
}

// The serving node's store fails (its table of events is renamed away,
// the leases' tables untouched): the relay's /readyz turns 503 with the
// serving node's, so the load balancer sends clients to neither, and both
// turn 200 again once the store answers.
TEST_F(RelayTest, ARelayIsNotReadyWhileTheServingNodesStoreFails) {
  start_pair();
  auto ready = [&](std::size_t i) {
    auto res = http_get(node_port(i), "/readyz");
    return res && res->status == 200;
  };
  auto both_become = [&](bool want) {
    auto deadline = std::chrono::steady_clock::now() + takeover_timeout;
    while (std::chrono::steady_clock::now() < deadline)
      if (ready(0) == want && ready(1) == want)
        return true;
      else
        std::this_thread::sleep_for(milliseconds(20));
    return false;
  };
  ASSERT_TRUE(both_become(true));
  auto ann = login_at(1, role::customer, "ann");
  auto chat = start_conversation(ann, "hello");
  ASSERT_FALSE(chat.empty());
  auto sql = [&](const std::string& statement) {
    return command_output("psql -q -X '" + database_url() + "' -c '" + statement
                          + "' 2>&1 && echo done");
  };
  ASSERT_NE(sql("ALTER TABLE events RENAME TO events_away").find("done"),
            std::string::npos);
  // The next commit fails.
  ASSERT_TRUE(ann.send({{"type", "message.send"},
                        {"id", next_id()},
                        {"conversation", chat},
                        {"text", "anyone?"}}));
  EXPECT_TRUE(both_become(false))
    << "serving node " << ready(0) << ", relay " << ready(1);
  auto readyz = http_get(node_port(1), "/readyz");
  ASSERT_TRUE(readyz.has_value());
  EXPECT_EQ(readyz->body, "storage failing\n");
  auto scrape = http_get(node_port(1), "/metrics");
  ASSERT_TRUE(scrape && scrape->status == 200);
  EXPECT_EQ(find_metric(scrape->body, "baton_store_failing"), 1);

  ASSERT_NE(sql("ALTER TABLE events_away RENAME TO events").find("done"),
            std::string::npos);
  EXPECT_TRUE(both_become(true))
    << "serving node " << ready(0) << ", relay " << ready(1);
  EXPECT_TRUE(ann.wait_for("message", "text", "anyone?", reply_timeout))
    << "the message held while the store failed is committed and sent";
}

// A relay that dies sends no detach for its sessions: the serving node
// sees its hubs go down with the link, and an agent who was only there
// goes offline after the grace, as if the agent had closed the desktop.
TEST_F(RelayTest, AnAgentOfARelayThatDiesGoesOfflineOnTheServingNode) {
  start_pair();
  auto alice = ready_on_the_relay("alice");

  ASSERT_TRUE(node(1).signal(SIGKILL));
  ASSERT_TRUE(node(1).wait_exit(milliseconds(5000)));
  EXPECT_TRUE(node_metric_becomes(0, R"(baton_agents{status="ready"})", 0))
    << "alice is still ready on the serving node";
}

// SIGTERM to a relay: it closes its sessions and leaves at once, and the
// serving node sees them go.
TEST_F(RelayTest, ARelayThatIsStoppedLeavesAtOnceAndItsSessionsWithIt) {
  start_pair();
  auto alice = ready_on_the_relay("alice");

  ASSERT_TRUE(node(1).signal(SIGTERM));
  // The client reads its close frame (a drain waits for that, up to 5 s).
  EXPECT_TRUE(alice.wait_closed(milliseconds(2000)));
  auto status = node(1).wait_exit(milliseconds(2000));
  ASSERT_TRUE(status.has_value()) << node(1).log_tail();
  EXPECT_EQ(*status, 0);
  EXPECT_TRUE(node_metric_becomes(0, R"(baton_agents{status="ready"})", 0));
}

// Three nodes: when the serving node dies, one relay takes the shards over
// and the other follows it, so its clients are served again through it.
TEST_F(RelayTest, TheOtherRelayFollowsTheNodeThatTookOver) {
  start_pair();
  ASSERT_TRUE(start_node(2));
  ASSERT_TRUE(
    node(2).wait_log("relaying to the serving node", takeover_timeout))
    << node(2).log_tail();
  auto ann = login_at(2, role::customer, "ann");
  auto chat = start_conversation(ann, "hello");
  ASSERT_FALSE(chat.empty());

  ASSERT_TRUE(node(0).signal(SIGKILL));
  ASSERT_TRUE(node(0).wait_exit(milliseconds(5000)));
  EXPECT_TRUE(ann.wait_closed(takeover_timeout));
  // Whichever of n2 and n3 took over, n3 relays again: to n2, or it is the
  // one that serves.
  auto deadline = std::chrono::steady_clock::now() + takeover_timeout;
  auto n3_back = [&] {
    auto log = node(2).log();
    return log.find("relaying to the serving node node=n2") != std::string::npos
           || log.find("this node serves now") != std::string::npos;
  };
  while (!n3_back() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(20));
  ASSERT_TRUE(n3_back()) << node(2).log_tail();

  // Its gateway opens once it relays again, or has recovered as the core.
  ws_client probe;
  while (!probe.connect(node_port(2))
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(20));
  json::object hello;
  auto ann_again = login_at(2, role::customer, "ann", &hello);
  EXPECT_TRUE(lists(hello, chat)) << dump(hello);
  auto alice = login_at(2, role::agent, "alice");
  make_ready(alice);
  EXPECT_TRUE(accept_offer(alice, chat));
}

// The serving node dies: the relay's sessions are closed (their inboxes
// died with it), the relay takes the shards over, and its clients come
// back to find their conversation as it was.
TEST_F(RelayTest,
       WhenTheServingNodeDiesTheRelayTakesOverAndItsClientsComeBack) {
  start_pair();
  auto alice = login_at(1, role::agent, "alice");
  make_ready(alice);
  auto ann = login_at(1, role::customer, "ann");
  auto chat = start_conversation(ann, "hello");
  ASSERT_TRUE(accept_offer(alice, chat));
  ASSERT_TRUE(is_ok(ask(ann, {{"type", "message.send"},
                              {"conversation", chat},
                              {"text", "still there?"}})));

  ASSERT_TRUE(node(0).signal(SIGKILL));
  ASSERT_TRUE(node(0).wait_exit(milliseconds(5000)));
  EXPECT_TRUE(ann.wait_closed(takeover_timeout))
    << "a relay session ends with the core it relayed to";
  EXPECT_TRUE(
    node(1).wait_log("the serving node's core is gone", takeover_timeout))
    << "the relay saw its core go, before taking the shards over";
  ASSERT_TRUE(node(1).wait_log("this node serves now", takeover_timeout))
    << node(1).log_tail();
  ASSERT_TRUE(wait_serving(1));

  json::object hello;
  auto ann_again = login_through_balancer(role::customer, "ann", &hello);
  EXPECT_TRUE(lists(hello, chat)) << dump(hello);
  auto alice_again = login_through_balancer(role::agent, "alice");
  ASSERT_TRUE(is_ok(ask(ann_again, {{"type", "message.send"},
                                    {"conversation", chat},
                                    {"text", "thanks"}})));
  EXPECT_TRUE(alice_again.wait_for("message", "text", "thanks", reply_timeout));
}

} // namespace
} // namespace baton::cluster_tests
