// Attribution through the real server: agents' messages to a customer over
// WebSockets, the credit asked for over HTTP by a supervisor or a service.

#include <chrono>

#include <boost/json/parse.hpp>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class AttributionTest : public server_test {
protected:
  std::optional<http_response> ask(std::string_view query,
                                   const std::string& credential) {
    http_headers h;
    if (!credential.empty())
      h.push_back({"Authorization", "Bearer " + credential});
    return http_get(port(), "/v1/attribution" + std::string(query), h);
  }

  std::string supervisor() {
    return "erin:" + token(role::supervisor, "erin");
  }

  static json::object body_of(const std::optional<http_response>& res) {
    boost::system::error_code ec;
    auto v = json::parse(res ? res->body : "", ec);
    EXPECT_FALSE(ec) << (res ? res->body : "<no response>");
    return ec || !v.is_object() ? json::object{} : v.as_object();
  }

  /// `alice` takes a conversation of `cust-1` and says something; returns
  /// the message's `ts`.
  std::int64_t alice_speaks(ws_client& alice) {
    return speaks(alice, "Size M fits you");
  }

  /// `staff` takes a new conversation of `cust-1` and says `text` to her;
  /// returns the message's `ts` as she saw it.
  std::int64_t speaks(ws_client& staff, const std::string& text) {
    auto customer = login(role::customer, "cust-1");
    auto id = start_conversation(customer, "Which size?");
    EXPECT_TRUE(accept_offer(staff, id));
    auto sent = staff.request({{"type", "message.send"},
                               {"id", next_id()},
                               {"conversation", id},
                               {"text", text}},
                              reply_timeout);
    EXPECT_TRUE(is_ok(sent)) << dump(sent);
    auto seen = customer.wait_for("message", "text", text, reply_timeout);
    EXPECT_TRUE(seen);
    return seen ? integer(*seen, "ts").value_or(0) : 0;
  }

  /// The agent credited with an order of `cust-1` at `at`; "" for nobody.
  std::string credited_at(std::int64_t at) {
    auto res = ask("?customer=cust-1&at=" + std::to_string(at), supervisor());
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    auto body = body_of(res);
    return body["agent"].is_string() ? str(body, "agent") : "";
  }

  void not_ready(ws_client& agent) {
    auto reply = agent.request(
      {{"type", "agent.status"}, {"id", next_id()}, {"status", "not_ready"}},
      reply_timeout);
    EXPECT_TRUE(is_ok(reply)) << dump(reply);
  }

  void say(ws_client& who, const std::string& conversation,
           const std::string& text, const char* type = "message.send") {
    auto reply = who.request({{"type", type},
                              {"id", next_id()},
                              {"conversation", conversation},
                              {"text", text}},
                             reply_timeout);
    EXPECT_TRUE(is_ok(reply)) << type << ": " << dump(reply);
  }
};

TEST_F(AttributionTest, CreditsTheAgentWhoLastSpokeToTheCustomer) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto at = alice_speaks(alice);
  ASSERT_GT(at, 0);

  auto when = std::to_string(at + 1000);
  auto res = ask("?customer=cust-1&at=" + when, supervisor());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->content_type.find("application/json"), std::string::npos);
  EXPECT_EQ(str(body_of(res), "agent"), "alice") << res->body;

  auto service = ask("?at=" + when + "&customer=cust-1",
                     "shop:" + token(role::service, "shop"));
  ASSERT_TRUE(service);
  EXPECT_EQ(service->status, 200) << service->body;
  EXPECT_EQ(str(body_of(service), "agent"), "alice");

  auto before = ask("?customer=cust-1&at=" + std::to_string(at - 1),
                    supervisor());
  ASSERT_TRUE(before);
  EXPECT_TRUE(body_of(before)["agent"].is_null()) << before->body;
  auto stranger = ask("?customer=cust-2&at=" + when, supervisor());
  ASSERT_TRUE(stranger);
  EXPECT_TRUE(body_of(stranger)["agent"].is_null()) << stranger->body;
}

TEST_F(AttributionTest, AStaffAgentIsPreferredToAManagerWithinTheWindow) {
  server_config c;
  c.extra_toml = "[[agents]]\nid = \"max\"\nname = \"Max\"\n"
                 "queues = [\"general\"]\nroles = [\"agent\", \"manager\"]\n"
                 "[attribution]\nwindow_ms = 60000\n"
                 "prefer_non_manager = true\n";
  ASSERT_TRUE(start_server(c));
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto alice_at = speaks(alice, "This one fits you");
  ASSERT_GT(alice_at, 0);
  not_ready(alice);
  auto max = login(role::agent, "max");
  make_ready(max);
  auto max_at = speaks(max, "Shall I add the warranty?");
  ASSERT_GE(max_at, alice_at);

  EXPECT_EQ(credited_at(max_at), "alice")
    << "max is a manager and alice spoke earlier in the window";
  EXPECT_EQ(credited_at(alice_at - 1), "") << "nobody spoke before";
  EXPECT_EQ(credited_at(alice_at + 60001), "max")
    << "alice is out of the window: the manager is all there is";
  EXPECT_EQ(credited_at(max_at + 60001), "");
}

TEST_F(AttributionTest, WhispersAndTheCustomersOwnMessagesDoNotCount) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto customer = login(role::customer, "cust-1");
  auto id = start_conversation(customer, "Is it in stock?");
  ASSERT_TRUE(accept_offer(alice, id));
  say(alice, id, "VIP", "whisper.send");
  say(customer, id, "I will buy it");
  auto seen = alice.wait_for("message", "text", "I will buy it", reply_timeout);
  ASSERT_TRUE(seen);
  EXPECT_EQ(credited_at(integer(*seen, "ts").value_or(0) + 1000), "");
}

// Attribution reads the stored conversations: a restart forgets nothing.
TEST_F(AttributionTest, AnOrderAfterARestartIsStillCredited) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto at = alice_speaks(alice);
  ASSERT_GT(at, 0);
  alice.close();
  ASSERT_TRUE(server().signal(SIGKILL));
  ASSERT_TRUE(restart_after_exit());
  EXPECT_EQ(credited_at(at + 1000), "alice");
}

TEST_F(AttributionTest, NeedsASupervisorOrServiceToken) {
  ASSERT_TRUE(start_server());
  for (const std::string& credential :
       {std::string{}, "alice:" + token(role::agent, "alice"),
        "cust-1:" + token(role::customer, "cust-1"),
        "shop:" + token(role::service, "shop", -60)}) {
    auto res = ask("?customer=cust-1&at=1", credential);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << credential << ": " << res->body;
    EXPECT_EQ(str(body_of(res), "code"), "unauthorized");
  }
}

TEST_F(AttributionTest, ABadQueryIsABadRequest) {
  ASSERT_TRUE(start_server());
  for (std::string_view query :
       {"", "?customer=cust-1", "?at=5", "?customer=cust-1&at=soon",
        "?customer=a%20b&at=5", "?customer=cust-1&at=-1"}) {
    auto res = ask(query, supervisor());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << query << ": " << res->body;
    auto body = body_of(res);
    EXPECT_EQ(str(body, "code"), "bad_request") << res->body;
    EXPECT_FALSE(str(body, "message").empty());
  }
}

} // namespace
} // namespace baton::e2e
