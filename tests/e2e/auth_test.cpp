// Authentication over real sockets (docs/protocol.md, "Authentication"):
// every bad credential gets `unauthorized`, then the server closes with 1008.

#include "engine/auth/token.hpp"
#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class AuthTest : public server_test {
protected:
  /// Sends `hello`, expects `unauthorized` with `re`, then a close 1008.
  void expect_refused(const json::object& hello) {
    auto c = connect();
    ASSERT_TRUE(c.is_open());
    auto reply = c.request(hello, reply_timeout);
    EXPECT_EQ(error_code(reply), "unauthorized")
      << "sent " << dump(hello) << "\ngot " << dump(reply);
    EXPECT_EQ(str(reply, "re"), str(hello, "id")) << dump(reply);
    EXPECT_TRUE(c.wait_closed(reply_timeout))
      << "still open after a refused hello " << dump(hello);
    EXPECT_EQ(c.close_code(), 1008) << c.error();
    // Nothing but the error came before the close.
    for (const auto& f : c.inbox())
      ADD_FAILURE() << "unexpected frame after a refused hello: " << dump(f);
  }

  static json::object hello(std::string_view r, std::string_view user,
                            std::string tok) {
    return {{"type", "hello"},
            {"id", "h1"},
            {"role", std::string(r)},
            {"user", std::string(user)},
            {"token", std::move(tok)}};
  }

  static std::int64_t now_s() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch())
      .count();
  }
};

TEST_F(AuthTest, BadSignatureIsRefused) {
  ASSERT_TRUE(start_server());
  auto good = token(role::customer, "cust-1");
  auto flipped = good;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  expect_refused(hello("customer", "cust-1", flipped));
  // Signed with another secret.
  expect_refused(hello("agent", "alice",
                       engine::auth::sign("not-the-secret", role::agent,
                                          "alice", now_s() + 3600)));
  // The expiry changed after signing.
  auto dot = good.find('.');
  expect_refused(hello("customer", "cust-1",
                       std::to_string(now_s() + 7200) + good.substr(dot)));
}

TEST_F(AuthTest, ExpiredTokenIsRefused) {
  ASSERT_TRUE(start_server());
  expect_refused(
    hello("customer", "cust-1", token(role::customer, "cust-1", -1)));
  expect_refused(hello("agent", "alice", token(role::agent, "alice", -3600)));
}

TEST_F(AuthTest, MalformedTokenIsRefused) {
  ASSERT_TRUE(start_server());
  for (std::string t :
       {"garbage", "12345", ".abcdef", "1767225600.", "1767225600.XYZ"})
    expect_refused(hello("customer", "cust-1", t));
}

TEST_F(AuthTest, TokenOfAnotherUserIsRefused) {
  ASSERT_TRUE(start_server());
  expect_refused(hello("customer", "cust-2", token(role::customer, "cust-1")));
  expect_refused(hello("agent", "bob", token(role::agent, "alice")));
}

TEST_F(AuthTest, TokenOfAnotherRoleIsRefused) {
  ASSERT_TRUE(start_server());
  // A customer's token does not make an agent, nor an agent's a supervisor.
  expect_refused(hello("agent", "alice", token(role::customer, "alice")));
  expect_refused(hello("supervisor", "erin", token(role::agent, "erin")));
  expect_refused(hello("customer", "alice", token(role::agent, "alice")));
}

TEST_F(AuthTest, StaffNotInTheConfigurationIsRefused) {
  ASSERT_TRUE(start_server());
  // Signed correctly, but nobody configured these.
  expect_refused(hello("agent", "zed", token(role::agent, "zed")));
  expect_refused(hello("supervisor", "zed", token(role::supervisor, "zed")));
  // Configured, but not in that role.
  expect_refused(
    hello("supervisor", "alice", token(role::supervisor, "alice")));
  expect_refused(hello("agent", "erin", token(role::agent, "erin")));
}

TEST_F(AuthTest, AnonymousCustomerIsRefusedWhenNotAllowed) {
  server_config cfg;
  cfg.allow_anonymous_customers = false;
  ASSERT_TRUE(start_server(cfg));
  expect_refused({{"type", "hello"}, {"id", "h1"}, {"role", "customer"}});
}

TEST_F(AuthTest, ValidCredentialsAreAccepted) {
  ASSERT_TRUE(start_server());
  for (auto [r, user] :
       {std::pair{role::customer, "cust-1"}, std::pair{role::agent, "alice"},
        std::pair{role::supervisor, "erin"}}) {
    SCOPED_TRACE(user);
    json::object reply;
    auto c = login(r, user, &reply);
    ASSERT_TRUE(c.is_open());
    EXPECT_EQ(str(reply, "user"), user) << dump(reply);
    EXPECT_EQ(str(reply, "role"), engine::to_string(r)) << dump(reply);
    EXPECT_EQ(str(reply, "session").substr(0, 2), "s-") << dump(reply);
    EXPECT_TRUE(reply.contains("conversations")) << dump(reply);
    EXPECT_TRUE(reply.contains("offers")) << dump(reply);
    EXPECT_FALSE(reply.contains("resume_token")) << dump(reply);
  }
}

TEST_F(AuthTest, ATokenThatNeverExpiresKeepsItsSession) {
  ASSERT_TRUE(start_server());
  // The largest expiry a token can carry: a "never" some issuers write.
  constexpr std::int64_t never = 9'223'372'036'854'775'807;
  for (auto exp : {never, std::int64_t{100'000'000'000}}) {
    SCOPED_TRACE(exp);
    auto c = connect();
    ASSERT_TRUE(c.is_open());
    auto reply
      = c.request(hello("agent", "alice",
                        engine::auth::sign(secret, role::agent, "alice", exp)),
                  reply_timeout);
    ASSERT_EQ(str(reply, "type"), "ok") << dump(reply);
    // Its expiry timer neither wrapped round nor fired: the session goes on.
    auto listed = c.request({{"type", "queue.list"}, {"id", "q"}},
                            reply_timeout);
    EXPECT_EQ(str(listed, "type"), "ok") << dump(listed);
    EXPECT_TRUE(c.is_open()) << c.error();
    auto refreshed = c.request(
      {{"type", "auth.refresh"},
       {"id", "r"},
       {"token", engine::auth::sign(secret, role::agent, "alice", exp)}},
      reply_timeout);
    EXPECT_EQ(integer(*refreshed, "expires_at"),
              std::min(exp, std::int64_t{253'402'300'799}) * 1000)
      << dump(refreshed);
  }
}

} // namespace
} // namespace baton::e2e
