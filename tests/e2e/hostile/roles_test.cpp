// Hostile clients, roles and ids (docs/security.md): a token acts only as
// the role it names, and a customer learns nothing of conversations that
// are not its own, not even whether they exist.

#include <boost/json/serialize.hpp>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class HostileRolesTest : public server_test {
protected:
  void SetUp() override {
    ASSERT_TRUE(start_server());
  }

  /// A conversation of cust-1 that alice has accepted.
  std::string assigned_conversation(ws_client& alice, ws_client& customer) {
    make_ready(alice);
    auto c = start_conversation(customer, "hello");
    EXPECT_TRUE(accept_offer(alice, c));
    return c;
  }
};

TEST_F(HostileRolesTest, AServiceTokenOpensNoSession) {
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  auto c = assigned_conversation(alice, customer);
  auto service = connect();
  auto hello = service.request({{"type", "hello"},
                                {"id", "h"},
                                {"role", "service"},
                                {"user", "shop"},
                                {"token", token(role::service, "shop")}});
  EXPECT_EQ(error_code(hello), "unauthorized") << dump(hello);
  EXPECT_TRUE(service.wait_closed(reply_timeout));
  EXPECT_EQ(service.close_code(), 1008);
  // The conversation is untouched: alice still talks in it.
  EXPECT_TRUE(is_ok(alice.request({{"type", "message.send"},
                                   {"id", "m"},
                                   {"conversation", c},
                                   {"text", "still here"}})));
}

TEST_F(HostileRolesTest, ABotCarryingAnAgentsIdIsNotThatAgent) {
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  auto c = assigned_conversation(alice, customer);
  auto fake = login(role::bot, "alice");
  for (auto verb : {"whisper.send", "message.send"}) {
    auto r = fake.request(
      {{"type", verb}, {"id", "w"}, {"conversation", c}, {"text", "psst"}});
    EXPECT_EQ(error_code(r), "forbidden") << verb << ": " << dump(r);
  }
  auto close = fake.request(
    {{"type", "conversation.close"}, {"id", "x"}, {"conversation", c}});
  EXPECT_EQ(error_code(close), "forbidden") << dump(close);
}

TEST_F(HostileRolesTest, ACustomerNamedLikeASupervisorSharesNothingWithHer) {
  auto erin = login(role::supervisor, "erin");
  auto fake = login(role::customer, "erin");
  ASSERT_TRUE(
    is_ok(erin.request({{"type", "supervise.subscribe"}, {"id", "s"}})));
  ASSERT_TRUE(erin.wait_for(
    [](const json::object& f) { return str(f, "type") == "queue.stats"; },
    reply_timeout));
  auto leaked = fake.wait_for(
    [](const json::object& f) { return str(f, "type") == "queue.stats"; },
    quiet_period);
  EXPECT_FALSE(leaked) << dump(leaked);
}

TEST_F(HostileRolesTest, StaffAreNamedByTheRosterNotByTheirHello) {
  auto alice = connect();
  ASSERT_TRUE(is_ok(alice.request({{"type", "hello"},
                                   {"id", "h"},
                                   {"role", "agent"},
                                   {"user", "alice"},
                                   {"name", "Your Bank"},
                                   {"token", token(role::agent, "alice")}})));
  auto customer = login(role::customer, "cust-1");
  auto c = assigned_conversation(alice, customer);
  ASSERT_TRUE(is_ok(alice.request({{"type", "message.send"},
                                   {"id", "m"},
                                   {"conversation", c},
                                   {"text", "How can I help?"}})));
  auto seen = customer.wait_for(
    [](const json::object& f) {
      return str(f, "type") == "message" && str(f, "text") == "How can I help?";
    },
    reply_timeout);
  ASSERT_TRUE(seen);
  auto from = json::serialize(seen->at("from"));
  EXPECT_EQ(from.find("Your Bank"), std::string::npos) << from;
  EXPECT_NE(from.find("Alice"), std::string::npos) << from;
}

TEST_F(HostileRolesTest, UnknownAndForeignIdsAnswerAlike) {
  auto alice = login(role::agent, "alice");
  auto owner = login(role::customer, "cust-1");
  auto c = assigned_conversation(alice, owner);
  auto stranger = login(role::customer, "cust-2");
  // Same shape as a real id, never issued.
  auto unknown = c.substr(0, c.size() - 6) + "ZZZZZZ";
  for (auto verb : {"message.send", "typing", "conversation.close",
                    "conversation.history", "conversation.resume"}) {
    auto ask = [&](const std::string& id) {
      return stranger.request({{"type", verb},
                               {"id", next_id()},
                               {"conversation", id},
                               {"text", "x"}});
    };
    auto foreign = ask(c);
    auto missing = ask(unknown);
    EXPECT_EQ(error_code(foreign), "not_found")
      << verb << ": " << dump(foreign);
    EXPECT_EQ(error_code(foreign), error_code(missing)) << verb;
    EXPECT_EQ(str(foreign, "message"), str(missing, "message")) << verb;
  }
}

} // namespace
} // namespace baton::e2e
