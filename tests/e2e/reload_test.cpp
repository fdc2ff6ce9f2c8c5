// SIGHUP to the real binary: a valid change takes effect without dropping
// anyone; a broken file changes nothing and the server keeps serving.

#include <csignal>
#include <fstream>
#include <sstream>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class ReloadTest : public server_test {
protected:
  /// Appends `toml` to the running server's configuration file.
  void append_to_config(std::string_view toml) {
    std::ofstream out(config_path(), std::ios::app);
    out << '\n' << toml << '\n';
    ASSERT_TRUE(out.good());
  }

  /// `hello` as agent `user`: the reply, ok or error.
  std::optional<json::object> hello_as_agent(ws_client& c,
                                             std::string_view user) {
    return c.request({{"type", "hello"},
                      {"id", next_id()},
                      {"role", "agent"},
                      {"user", std::string(user)},
                      {"token", token(role::agent, user)}},
                     reply_timeout);
  }
};

constexpr auto new_agent = R"([[agents]]
id = "dan"
name = "Dan"
queues = ["general"])";

TEST_F(ReloadTest, ANewAgentLogsInAfterSighupAndNobodyIsDropped) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto customer = login(role::customer, "cust-1");
  auto id = start_conversation(customer, "Hello?");
  ASSERT_TRUE(accept_offer(alice, id));

  auto early = connect();
  EXPECT_EQ(error_code(hello_as_agent(early, "dan")), "unauthorized");

  append_to_config(new_agent);
  ASSERT_TRUE(server().signal(SIGHUP));
  ASSERT_TRUE(server().wait_log("configuration reloaded", reply_timeout))
    << server().log();

  auto dan = connect();
  auto hello = hello_as_agent(dan, "dan");
  ASSERT_TRUE(is_ok(hello)) << dump(hello);
  make_ready(dan);
  auto other = login(role::customer, "cust-2");
  auto second = start_conversation(other, "Anyone?");
  EXPECT_TRUE(accept_offer(dan, second)) << "dan takes work";

  // The conversation from before goes on, on the same sockets.
  auto sent = alice.request({{"type", "message.send"},
                             {"id", next_id()},
                             {"conversation", id},
                             {"text", "Still here"}},
                            reply_timeout);
  EXPECT_TRUE(is_ok(sent)) << dump(sent);
  EXPECT_TRUE(
    customer.wait_for("message", "text", "Still here", reply_timeout));
}

TEST_F(ReloadTest, ABrokenFileChangesNothingAndTheServerKeepsServing) {
  ASSERT_TRUE(start_server());
  append_to_config(std::string(new_agent) + "\ncapacity = \"lots\"");
  ASSERT_TRUE(server().signal(SIGHUP));
  ASSERT_TRUE(server().wait_log("reload refused", reply_timeout))
    << server().log();
  EXPECT_NE(server().log().find("capacity"), std::string::npos)
    << "the error names the key";

  auto dan = connect();
  EXPECT_EQ(error_code(hello_as_agent(dan, "dan")), "unauthorized")
    << "dan was not added";
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto customer = login(role::customer, "cust-1");
  auto id = start_conversation(customer, "Hello?");
  EXPECT_TRUE(accept_offer(alice, id));
}

/// A queue taken out of the configuration while the node was down: its
/// waiting conversations come back in the default queue, and say so.
TEST_F(ReloadTest, AQueueRemovedWhileDownMovesItsConversationsOnRestart) {
  server_config c;
  c.extra_toml = "[[queues]]\nid = \"vip\"\nname = \"VIP\"\n";
  ASSERT_TRUE(start_server(c));
  auto pat = login(role::customer, "pat");
  auto id = start_conversation(pat, "Hello", "vip");
  ASSERT_FALSE(id.empty());
  kill(server().pid(), SIGKILL);
  pat = ws_client{};
  c.extra_toml.clear();
  rewrite_config(c);
  ASSERT_TRUE(restart_after_exit());

  json::object hello;
  pat = login(role::customer, "pat", &hello);
  const auto& listed = hello.at("conversations").as_array();
  ASSERT_EQ(listed.size(), 1u) << dump(hello);
  EXPECT_EQ(str(listed[0].as_object(), "queue"), "general") << dump(hello);
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  EXPECT_TRUE(accept_offer(alice, id));
}

// Assigned when the node went down, it stays with its agent; sent back to
// its queue later (here a transfer its target refused), it goes to the
// default queue, not to the removed one.
TEST_F(
  ReloadTest,
  AnAssignedConversationWhoseQueueWasRemovedWhileDownReturnsToTheDefaultQueue) {
  server_config c;
  const std::string kept
    = std::string{"[transfer]\nrequire_consent = false\n"}
      + "[[topics]]\nid = \"billing\"\nname = \"Billing\"\n" + new_agent;
  c.extra_toml = "[[queues]]\nid = \"vip\"\nname = \"VIP\"\n" + kept;
  ASSERT_TRUE(start_server(c));
  auto pat = login(role::customer, "pat");
  auto id = start_conversation(pat, "Hello", "vip");
  ASSERT_FALSE(id.empty());
  auto erin = login(role::supervisor, "erin");
  auto alice = login(role::agent, "alice");
  auto assign = erin.request({{"type", "conversation.assign"},
                              {"id", next_id()},
                              {"conversation", id},
                              {"agent", "alice"}},
                             reply_timeout);
  ASSERT_TRUE(is_ok(assign)) << dump(assign);
  ASSERT_TRUE(accept_offer(alice, id));
  kill(server().pid(), SIGKILL);
  pat = ws_client{};
  erin = ws_client{};
  alice = ws_client{};
  c.extra_toml = kept;
  rewrite_config(c);
  ASSERT_TRUE(restart_after_exit());

  alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  make_ready(bob);
  auto transfer = alice.request({{"type", "transfer.request"},
                                 {"id", next_id()},
                                 {"conversation", id},
                                 {"to_agent", "bob"},
                                 {"topic", "billing"},
                                 {"mode", "cold"}},
                                reply_timeout);
  ASSERT_TRUE(is_ok(transfer)) << dump(transfer);
  auto offer = bob.wait_for("offer", "conversation", id, reply_timeout);
  ASSERT_TRUE(offer);
  auto rejected = bob.request({{"type", "offer.reject"},
                               {"id", next_id()},
                               {"offer", str(offer, "offer")}},
                              reply_timeout);
  ASSERT_TRUE(is_ok(rejected)) << dump(rejected);

  auto dan = login(role::agent, "dan");
  make_ready(dan);
  EXPECT_TRUE(accept_offer(dan, id));
  json::object hello;
  pat = login(role::customer, "pat", &hello);
  const auto& listed = hello.at("conversations").as_array();
  ASSERT_EQ(listed.size(), 1u) << dump(hello);
  EXPECT_EQ(str(listed[0].as_object(), "queue"), "general") << dump(hello);
}

} // namespace
} // namespace baton::e2e
