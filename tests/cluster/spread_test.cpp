// The shards spread over three nodes (cluster.spread): each node serves its
// share and takes clients for all, so a conversation goes through whatever
// nodes hold its customer, its agent and itself, and a node killed under
// them hands its shards to the others, whose directories bring its
// conversations back (docs/cluster.md, "Spreading the shards").

#include <chrono>
#include <csignal>
#include <thread>

#include "engine/cluster/shards.hpp"
#include "engine/ids.hpp"
#include "engine/storage/postgres_leases.hpp"
#include "tests/cluster/cluster_fixture.hpp"

namespace baton::cluster_tests {
namespace {

using engine::role;

constexpr std::uint32_t shard_count = 16; // the fixture's [cluster] shards

class SpreadTest : public cluster_test {
protected:
  void SetUp() override {
    relay_ = true; // each node takes the others' calls (cluster.listen)
    more_toml_ = "spread = true\nexpected_nodes = 3\n";
    cluster_test::SetUp();
  }

  /// The three nodes up, each told the table of holders.
  void start_three() {
    for (std::size_t i = 0; i < node_count; ++i)
      ASSERT_TRUE(start_node(i));
    for (std::size_t i = 0; i < node_count; ++i)
      ASSERT_TRUE(
        node(i).wait_log("the directories' table told", takeover_timeout))
        << node(i).log_tail();
  }

  /// The node holding `id`'s shard, as the database says.
  std::size_t owner_of(std::string_view id) {
    engine::storage::postgres_leases leases(
      database_url(), engine::storage::postgres_leases::access::tables_exist);
    auto shard = engine::cluster::shard_of(id, shard_count);
    for (const auto& s : leases.shards())
      for (std::size_t i = 0; i < node_count; ++i)
        if (s.shard == shard && s.owner == node_id(i))
          return i;
    ADD_FAILURE() << "no node holds the shard of " << id;
    return 0;
  }

  std::size_t owner_of(role r, std::string_view user) {
    return owner_of(engine::user_key(r, std::string{user}));
  }

  /// Node `i`'s baton_cluster_shards_held.
  double shards_held(std::size_t i) {
    auto scrape = http_get(node_port(i), "/metrics");
    if (!scrape || scrape->status != 200)
      return -1;
    return find_metric(scrape->body, "baton_cluster_shards_held").value_or(-1);
  }

  /// `user` logged in at node `i`, asked again while its directory has not
  /// learnt every queue and agent yet ("this node is starting") or while
  /// the holder of `user` is moving after a kill.
  ws_client login_when_ready(std::size_t i, role r, std::string_view user,
                             json::object* hello_reply = nullptr) {
    auto deadline = std::chrono::steady_clock::now() + takeover_timeout;
    for (;;) {
      ws_client c;
      if (c.connect(node_port(i))) {
        auto reply = c.request({{"type", "hello"},
                                {"id", next_id()},
                                {"role", std::string(engine::to_string(r))},
                                {"user", std::string(user)},
                                {"token", token(r, user)}},
                               reply_timeout);
        if (is_ok(reply)) {
          if (hello_reply != nullptr)
            *hello_reply = *reply;
          return c;
        }
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        ADD_FAILURE() << user << " cannot log in at " << node_id(i);
        return ws_client{};
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
  }

  std::optional<json::object> ask(ws_client& c, json::object req) {
    req["id"] = next_id();
    return c.request(req, reply_timeout);
  }
};

TEST_F(SpreadTest, EachNodeServesItsShareAndAConversationCrossesThem) {
  start_three();
  double total = 0;
  for (std::size_t i = 0; i < node_count; ++i) {
    auto held = shards_held(i);
    EXPECT_GT(held, 0) << node_id(i) << " serves a share";
    total += held;
  }
  EXPECT_EQ(total, shard_count) << "every shard has one owner";
  auto status = cluster_status();
  for (std::size_t i = 0; i < node_count; ++i)
    EXPECT_NE(status.find(node_id(i) + "  serves "), std::string::npos)
      << status;

  // Ann on a node that does not hold her; Alice with a session on each of
  // the two nodes that do not hold her.
  auto ann_home = owner_of(role::customer, "ann");
  auto alice_home = owner_of(role::agent, "alice");
  auto ann = login_when_ready((ann_home + 1) % node_count, role::customer,
                              "ann");
  auto alice = login_when_ready((alice_home + 1) % node_count, role::agent,
                                "alice");
  auto alice_too = login_when_ready((alice_home + 2) % node_count, role::agent,
                                    "alice");
  make_ready(alice);

  auto chat = start_conversation(ann, "where is my parcel?");
  ASSERT_FALSE(chat.empty());
  EXPECT_EQ(owner_of(chat), ann_home) << "in its customer's shard";
  ASSERT_TRUE(accept_offer(alice_too, chat))
    << "the offer reaches both of her sessions";
  ASSERT_TRUE(is_ok(ask(ann, {{"type", "message.send"},
                              {"conversation", chat},
                              {"text", "order 42"}})));
  EXPECT_TRUE(alice.wait_for("message", "text", "order 42", reply_timeout));
  EXPECT_TRUE(alice_too.wait_for("message", "text", "order 42", reply_timeout));
  ASSERT_TRUE(is_ok(ask(alice, {{"type", "message.send"},
                                {"conversation", chat},
                                {"text", "looking now"}})));
  EXPECT_TRUE(ann.wait_for("message", "text", "looking now", reply_timeout));

  ASSERT_TRUE(is_ok(
    ask(alice, {{"type", "conversation.close"}, {"conversation", chat}})));
  EXPECT_TRUE(
    ann.wait_for("conversation.closed", "conversation", chat, reply_timeout));
  EXPECT_EQ(message_texts(ann, chat),
            (std::vector<std::string>{"where is my parcel?", "order 42",
                                      "looking now"}));
}

TEST_F(SpreadTest, AKilledOwnersConversationsAnswerThroughTheOthers) {
  start_three();
  auto doomed = owner_of(role::customer, "ann");
  // Both on nodes that live on; Alice's own holder may be the one killed.
  auto ann = login_when_ready((doomed + 1) % node_count, role::customer, "ann");
  auto alice = login_when_ready((doomed + 2) % node_count, role::agent,
                                "alice");
  make_ready(alice);
  auto chat = start_conversation(ann, "my order is late");
  ASSERT_FALSE(chat.empty());
  ASSERT_TRUE(accept_offer(alice, chat));
  ASSERT_TRUE(is_ok(ask(ann, {{"type", "message.send"},
                              {"conversation", chat},
                              {"text", "order 42"}})));
  ASSERT_TRUE(alice.wait_for("message", "text", "order 42", reply_timeout));

  ASSERT_TRUE(node(doomed).signal(SIGKILL));

  // Her inbox went with its node: she logs in again where she was, and
  // finds the conversation once its shard's new owner brought it back.
  json::object hello;
  ws_client again;
  auto deadline = std::chrono::steady_clock::now() + takeover_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    again = login_when_ready((doomed + 1) % node_count, role::customer, "ann",
                             &hello);
    if (lists(hello, chat))
      break;
    std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_TRUE(lists(hello, chat)) << dump(hello);
  EXPECT_NE(owner_of(chat), doomed);
  ASSERT_TRUE(is_ok(ask(again, {{"type", "message.send"},
                                {"conversation", chat},
                                {"text", "still there?"}})));
  EXPECT_EQ(
    message_texts(again, chat),
    (std::vector<std::string>{"my order is late", "order 42", "still there?"}))
    << "nothing acknowledged is lost";

  // Alice, told to reconnect if her holder went too, is still in it.
  auto alice_again = login_when_ready((doomed + 2) % node_count, role::agent,
                                      "alice", &hello);
  EXPECT_TRUE(lists(hello, chat)) << "still assigned: " << dump(hello);
  ASSERT_TRUE(is_ok(ask(again, {{"type", "message.send"},
                                {"conversation", chat},
                                {"text", "thanks"}})));
  EXPECT_TRUE(alice_again.wait_for("message", "text", "thanks", reply_timeout));

  double total = 0;
  for (std::size_t i = 0; i < node_count; ++i)
    if (i != doomed)
      total += shards_held(i);
  EXPECT_EQ(total, shard_count) << "the survivors hold every shard";
}

} // namespace
} // namespace baton::cluster_tests
