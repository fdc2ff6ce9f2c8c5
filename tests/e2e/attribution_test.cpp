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
    auto customer = login(role::customer, "cust-1");
    auto id = start_conversation(customer, "Which size?");
    EXPECT_TRUE(accept_offer(alice, id));
    auto sent = alice.request({{"type", "message.send"},
                               {"id", next_id()},
                               {"conversation", id},
                               {"text", "Size M fits you"}},
                              reply_timeout);
    EXPECT_TRUE(is_ok(sent)) << dump(sent);
    auto seen = customer.wait_for("message", "text", "Size M fits you",
                                  reply_timeout);
    EXPECT_TRUE(seen);
    return seen ? integer(*seen, "ts").value_or(0) : 0;
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
