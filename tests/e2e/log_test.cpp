// The operator's log (docs/operations.md): sessions, refused hellos and
// conversations at info, as text or JSON, and never a token or a message's
// text.

#include <boost/json/parse.hpp>

#include <sstream>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class LogTest : public server_test {
protected:
  /// A short day: alice signs in, a refused hello, a customer's conversation
  /// from start to close. The server's log once the last line is in.
  std::string a_short_day(bool json = false) {
    auto alice = login(role::agent, "alice");
    make_ready(alice);
    auto intruder = connect();
    EXPECT_EQ(error_code(intruder.request({{"type", "hello"},
                                           {"id", "h"},
                                           {"role", "agent"},
                                           {"user", "bob"},
                                           {"token", forged_token}})),
              "unauthorized");
    auto customer = login(role::customer, "cust-1");
    auto c = start_conversation(customer, secret_words);
    EXPECT_FALSE(c.empty());
    EXPECT_TRUE(accept_offer(alice, c));
    EXPECT_TRUE(is_ok(alice.request({{"type", "conversation.close"},
                                     {"id", next_id()},
                                     {"conversation", c}})));
    customer.close();
    EXPECT_TRUE(server().wait_log("conversation closed", reply_timeout));
    EXPECT_TRUE(server().wait_log(json ? R"("reason":"closed by the client")"
                                       : R"(reason="closed by the client")",
                                  reply_timeout));
    return server().log();
  }

  static constexpr std::string_view secret_words = "my card is 4242 4242";
  static constexpr std::string_view forged_token = "1767225600.deadbeef";
};

TEST_F(LogTest, TextLinesTellSessionsHellosAndConversations) {
  ASSERT_TRUE(start_server());
  auto log = a_short_day();
  for (auto line : {" info  session opened session=s-",
                    " role=agent user=alice", " info  hello refused session=s-",
                    "role=agent user=bob reason=", " info  [conversation c-",
                    "] conversation started channel=web",
                    "] conversation closed queue=", "by=alice reason=closed",
                    " info  [agent alice] agent status from=not_ready to=ready",
                    " info  session closed session=s-",
                    "role=customer user=cust-1 address=127.0.0.1"})
    EXPECT_NE(log.find(line), std::string::npos) << line << "\n" << log;
  EXPECT_EQ(log.find(secret_words), std::string::npos) << log;
  EXPECT_EQ(log.find(forged_token), std::string::npos) << log;
  EXPECT_EQ(log.find(token(role::agent, "alice")), std::string::npos) << log;
}

TEST_F(LogTest, JsonLinesAreEachOneObject) {
  server_config c;
  c.extra_toml = "[log]\nformat = \"json\"\n";
  ASSERT_TRUE(start_server(c));
  std::istringstream lines(a_short_day(true));
  int sessions = 0, conversations = 0;
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    ASSERT_TRUE(v.is_object()) << line;
    const auto& o = v.as_object();
    EXPECT_TRUE(o.contains("ts") && o.contains("level") && o.contains("msg"))
      << line;
    sessions += str(o, "msg") == "session opened";
    if (str(o, "msg") == "conversation started") {
      ++conversations;
      EXPECT_EQ(str(o, "conversation").rfind("c-", 0), 0u) << line;
    }
    EXPECT_EQ(line.find(secret_words), std::string::npos) << line;
  }
  EXPECT_EQ(sessions, 2);
  EXPECT_EQ(conversations, 1);
}

TEST_F(LogTest, DebugLevelAddsALinePerRequest) {
  server_config c;
  c.extra_toml = "[log]\nlevel = \"debug\"\n";
  ASSERT_TRUE(start_server(c));
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto refused = alice.request({{"type", "conversation.close"},
                                {"id", next_id()},
                                {"conversation", "c-nope"}});
  EXPECT_EQ(error_code(refused), "not_found");
  ASSERT_TRUE(server().wait_log("type=conversation.close result=not_found",
                                reply_timeout))
    << server().log();
  EXPECT_NE(server().log().find("type=agent.status result=ok us="),
            std::string::npos)
    << server().log();
}

TEST_F(LogTest, WarnLevelLeavesTheAccessLinesOut) {
  server_config c;
  c.extra_toml
    = "[log]\nlevel = \"warn\"\n[limits]\nsessions_per_address = 1\n";
  ASSERT_TRUE(start_server(c));
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  // A warning after it: had the session been logged, its line came first.
  auto second = connect();
  ASSERT_TRUE(server().wait_log("session refused", reply_timeout));
  auto log = server().log();
  EXPECT_EQ(log.find("session opened"), std::string::npos) << log;
}

} // namespace
} // namespace baton::e2e
