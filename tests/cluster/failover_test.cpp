// A node dies, freezes, drains or loses the database: the standby takes
// its shards over and every conversation answers again through HAProxy,
// with everything that was acknowledged; a node that wakes up after its
// lease ran out writes nothing more (docs/cluster.md).

#include <cmath>
#include <csignal>

#include "tests/cluster/cluster_fixture.hpp"

namespace baton::cluster_tests {
namespace {

using engine::role;

class FailoverTest : public cluster_test {
protected:
  /// n1 serves, n2 stands by.
  void start_pair() {
    ASSERT_TRUE(start_node(0));
    ASSERT_TRUE(wait_serving(0));
    ASSERT_TRUE(start_node(1));
    // Joined, not only standing by: its row is in the database from then on
    // (cluster status lists it).
    ASSERT_TRUE(node(1).wait_log("cluster: joined", milliseconds(10000)))
      << node(1).log_tail();
  }

  /// Sends `text` and expects it acknowledged.
  void send(ws_client& c, const std::string& conversation,
            const std::string& text) {
    auto reply = c.request({{"type", "message.send"},
                            {"id", next_id()},
                            {"conversation", conversation},
                            {"text", text}},
                           reply_timeout);
    ASSERT_TRUE(is_ok(reply)) << dump(reply);
  }
};

TEST_F(FailoverTest, AKilledNodesConversationsAnswerOnTheStandby) {
  start_pair();
  auto alice = login_through_balancer(role::agent, "alice");
  make_ready(alice);
  auto ann = login_through_balancer(role::customer, "ann");
  auto chat = start_conversation(ann, "my order is late");
  ASSERT_TRUE(accept_offer(alice, chat));
  send(ann, chat, "order 42");
  send(alice, chat, "looking now");
  // Two customers wait in sales, where nobody is signed in.
  auto ben = login_through_balancer(role::customer, "ben");
  auto first = start_conversation(ben, "first in line", "sales");
  auto cat = login_through_balancer(role::customer, "cat");
  auto second = start_conversation(cat, "second in line", "sales");

  auto before = cluster_status();
  EXPECT_NE(before.find("n1  serves 16 shards (epoch 1); lease"),
            std::string::npos)
    << before;
  EXPECT_NE(before.find("n2  stands by; lease"), std::string::npos) << before;

  ASSERT_TRUE(node(0).signal(SIGKILL));
  ASSERT_TRUE(node(0).wait_exit(milliseconds(5000)));
  ASSERT_TRUE(wait_serving(1));
  EXPECT_EQ(metric("baton_cluster_shards_held"), 16);
  EXPECT_EQ(metric("baton_cluster_takeovers_total"), 1);
  EXPECT_GT(metric("baton_cluster_lease_renew_seconds_count").value_or(0), 0);
  // The database runs on this machine: one clock, read at both ends.
  auto offset = metric("baton_cluster_clock_offset_seconds");
  ASSERT_TRUE(offset) << "read at each renewal";
  EXPECT_LT(std::abs(*offset), 0.25);
  auto after = cluster_status();
  EXPECT_NE(after.find("n1  gone; lease ran out"), std::string::npos) << after;
  EXPECT_NE(after.find("n2  serves 16 shards (epoch 2)"), std::string::npos)
    << after;
  EXPECT_NE(after.find("; clock "), std::string::npos)
    << "the serving node's clock against the database's: " << after;

  json::object hello;
  auto ann_again = login_through_balancer(role::customer, "ann", &hello);
  EXPECT_TRUE(lists(hello, chat)) << dump(hello);
  EXPECT_EQ(
    message_texts(ann_again, chat),
    (std::vector<std::string>{"my order is late", "order 42", "looking now"}));
  auto alice_again = login_through_balancer(role::agent, "alice", &hello);
  EXPECT_TRUE(lists(hello, chat)) << "still assigned: " << dump(hello);
  send(ann_again, chat, "thanks");
  auto heard = alice_again.wait_for("message", "text", "thanks", reply_timeout);
  EXPECT_TRUE(heard.has_value()) << "the agent hears the customer again";

  auto carol = login_through_balancer(role::agent, "carol");
  auto list = carol.request(
    {{"type", "waitlist.list"}, {"id", next_id()}, {"queue", "sales"}},
    reply_timeout);
  ASSERT_TRUE(is_ok(list)) << dump(list);
  std::vector<std::string> order;
  for (const auto& e : list->at("entries").as_array())
    order.push_back(str(e.as_object(), "conversation"));
  EXPECT_EQ(order, (std::vector<std::string>{first, second}))
    << "the waiting order survives";
}

TEST_F(FailoverTest, AFrozenNodeThatWakesAfterItsLeaseWritesNothing) {
  start_pair();
  auto ann = login_through_balancer(role::customer, "ann");
  auto chat = start_conversation(ann, "hello");
  // A client of n1 itself, not through HAProxy: it stays with n1.
  ws_client stuck;
  ASSERT_TRUE(stuck.connect(node(0).port()));
  ASSERT_TRUE(is_ok(stuck.request({{"type", "hello"},
                                   {"id", next_id()},
                                   {"role", "customer"},
                                   {"user", "ann"},
                                   {"token", token(role::customer, "ann")}},
                                  reply_timeout)));

  ASSERT_TRUE(node(0).signal(SIGSTOP));
  ASSERT_TRUE(wait_serving(1));
  auto ann_on_n2 = login_through_balancer(role::customer, "ann");
  send(ann_on_n2, chat, "written by n2");

  // n1 finds this waiting when it wakes, with a lease long gone.
  auto stale_id = next_id();
  ASSERT_TRUE(stuck.send({{"type", "message.send"},
                          {"id", stale_id},
                          {"conversation", chat},
                          {"text", "written by the frozen n1"}}));
  ASSERT_TRUE(node(0).signal(SIGCONT));
  auto status = node(0).wait_exit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "n1 must stop once it wakes";
  EXPECT_EQ(*status, 75) << node(0).log_tail();
  EXPECT_FALSE(is_ok(stuck.reply_to(stale_id, milliseconds(500))));

  EXPECT_EQ(message_texts(ann_on_n2, chat),
            (std::vector<std::string>{"hello", "written by n2"}));
}

TEST_F(FailoverTest, ADrainedNodeHandsItsShardsOver) {
  start_pair();
  auto ann = login_through_balancer(role::customer, "ann");
  auto chat = start_conversation(ann, "before the drain");

  ASSERT_TRUE(node(0).signal(SIGTERM));
  auto status = node(0).wait_exit(milliseconds(10000));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
  EXPECT_NE(node(0).log().find("shards handed over"), std::string::npos)
    << node(0).log_tail();
  ASSERT_TRUE(wait_serving(1));

  json::object hello;
  auto again = login_through_balancer(role::customer, "ann", &hello);
  EXPECT_TRUE(lists(hello, chat)) << dump(hello);
  send(again, chat, "after the drain");
  EXPECT_EQ(message_texts(again, chat),
            (std::vector<std::string>{"before the drain", "after the drain"}));
}

TEST_F(FailoverTest, ANodeCutOffFromTheDatabaseStopsAndTheStandbyWaitsForIt) {
  start_pair();
  auto ann = login_through_balancer(role::customer, "ann");
  auto chat = start_conversation(ann, "before the outage");

  ASSERT_TRUE(database().stop_server());
  auto status = node(0).wait_exit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "n1 cannot renew: it must stop";
  EXPECT_EQ(*status, 75);
  EXPECT_NE(node(0).log().find("not renewed in time"), std::string::npos)
    << node(0).log_tail();
  EXPECT_EQ(node(1).log().find("serves now"), std::string::npos)
    << "n2 cannot claim without the database";

  ASSERT_TRUE(database().start_server());
  ASSERT_TRUE(wait_serving(1));
  json::object hello;
  auto again = login_through_balancer(role::customer, "ann", &hello);
  EXPECT_TRUE(lists(hello, chat)) << dump(hello);
}

} // namespace
} // namespace baton::cluster_tests
