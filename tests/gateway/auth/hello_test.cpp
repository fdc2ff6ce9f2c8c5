#include "gateway/auth/hello.hpp"

#include <gtest/gtest.h>

#include "engine/auth/token.hpp"

namespace baton::gateway {
namespace {

using engine::role;

class HelloTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto loaded = engine::config::load_string(
      R"(
[auth]
secret = "s3cret-s3cret-s3cret-s3cret-s3cret"

[[agents]]
id = "alice"
name = "Alice"

[[agents]]
id = "sam"
roles = ["supervisor"]
)",
      "hello.toml", [](std::string_view) { return std::nullopt; });
    ASSERT_TRUE(loaded.ok());
    cfg = *loaded.value;
  }

  hello_outcome hello(role r, std::string user, std::string token,
                      std::string name = {}) {
    return authenticate(cfg, {r, user, token, name}, now,
                        [] { return std::string{"v-1"}; });
  }

  std::string token(role r, const std::string& user, std::int64_t exp) {
    return engine::auth::sign(cfg.auth.secret, r, user, exp);
  }

  engine::config::config cfg;
  std::int64_t now = 1'800'000'000;
};

TEST_F(HelloTest, AgentWithValidTokenGetsItsConfiguredName) {
  auto out = hello(role::agent, "alice", token(role::agent, "alice", now + 60));
  ASSERT_TRUE(std::holds_alternative<hello_accepted>(out));
  const auto& who = std::get<hello_accepted>(out).who;
  EXPECT_EQ(who.user, "alice");
  EXPECT_EQ(who.name, "Alice");
  EXPECT_FALSE(std::get<hello_accepted>(out).resume_token);
}

TEST_F(HelloTest, RefusesBadExpiredForeignAndUnconfigured) {
  auto refused = [&](hello_outcome o) {
    return std::holds_alternative<hello_refused>(o);
  };
  EXPECT_TRUE(
    refused(hello(role::agent, "alice", token(role::agent, "alice", now - 1))));
  EXPECT_TRUE(
    refused(hello(role::agent, "alice", token(role::agent, "bob", now + 60))));
  EXPECT_TRUE(refused(
    hello(role::supervisor, "alice", token(role::agent, "alice", now + 60))));
  EXPECT_TRUE(refused(
    hello(role::agent, "ghost", token(role::agent, "ghost", now + 60))));
  EXPECT_TRUE(refused(hello(role::supervisor, "alice",
                            token(role::supervisor, "alice", now + 60))))
    << "alice is not a supervisor";
  EXPECT_TRUE(refused(hello(role::agent, "alice", "garbage")));
  EXPECT_TRUE(refused(hello(role::agent, "", "")));
}

TEST_F(HelloTest, SupervisorAndCustomerWithTokens) {
  EXPECT_TRUE(std::holds_alternative<hello_accepted>(
    hello(role::supervisor, "sam", token(role::supervisor, "sam", now + 60))));
  // Customers need not be configured.
  EXPECT_TRUE(std::holds_alternative<hello_accepted>(hello(
    role::customer, "cust-9", token(role::customer, "cust-9", now + 60))));
}

TEST_F(HelloTest, AnonymousCustomerGetsAnIdAndAResumeToken) {
  auto out = hello(role::customer, "", "", "Carol");
  ASSERT_TRUE(std::holds_alternative<hello_accepted>(out));
  const auto& accepted = std::get<hello_accepted>(out);
  EXPECT_EQ(accepted.who.user, "v-1");
  EXPECT_EQ(accepted.who.name, "Carol");
  ASSERT_TRUE(accepted.resume_token);
  EXPECT_EQ(engine::auth::verify(cfg.auth.secret, role::customer, "v-1",
                                 *accepted.resume_token, now + 3600),
            engine::auth::verify_result::ok);
  cfg.auth.allow_anonymous_customers = false;
  EXPECT_TRUE(
    std::holds_alternative<hello_refused>(hello(role::customer, "", "")));
}

TEST_F(HelloTest, AVisitorComingBackWithItsResumeTokenIsStillAVisitor) {
  auto fresh = std::get<hello_accepted>(hello(role::customer, "", ""));
  EXPECT_TRUE(fresh.visitor);
  auto back = hello(role::customer, "v-1", *fresh.resume_token);
  ASSERT_TRUE(std::holds_alternative<hello_accepted>(back));
  EXPECT_TRUE(std::get<hello_accepted>(back).visitor);
  EXPECT_FALSE(std::get<hello_accepted>(back).resume_token);
  // A customer the shop signed, and staff, are not.
  EXPECT_FALSE(
    std::get<hello_accepted>(hello(role::customer, "cust-9",
                                   token(role::customer, "cust-9", now + 60)))
      .visitor);
  EXPECT_FALSE(
    std::get<hello_accepted>(
      hello(role::agent, "alice", token(role::agent, "alice", now + 60)))
      .visitor);
}

TEST_F(HelloTest, ATokenValidPastTheYear9999ExpiresAtItsEnd) {
  constexpr std::int64_t end_of_9999 = 253'402'300'799;
  constexpr std::int64_t far = 9'000'000'000'000'000'000; // 19 digits
  auto out = hello(role::agent, "alice", token(role::agent, "alice", far));
  ASSERT_TRUE(std::holds_alternative<hello_accepted>(out));
  EXPECT_EQ(std::get<hello_accepted>(out).expires_at_s, end_of_9999);
  actors::caller alice{"alice", role::agent, "Alice"};
  auto refreshed = refresh(cfg, alice, token(role::agent, "alice", far), now);
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(refreshed));
  EXPECT_EQ(std::get<std::int64_t>(refreshed), end_of_9999);
  EXPECT_EQ(token_expiry("1800000060.ab"), 1'800'000'060);
  EXPECT_FALSE(token_expiry("1800000060"));
  EXPECT_FALSE(token_expiry("-5.ab"));
}

} // namespace
} // namespace baton::gateway
