// Sessions end with their credentials (docs/security.md): a token's expiry
// ends its session unless `auth.refresh` brings a new one, and staff taken
// off the roster by a reload are disconnected.

#include <csignal>
#include <fstream>
#include <sstream>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class HostileSessionTest : public server_test {};

TEST_F(HostileSessionTest, ASessionEndsWhenItsTokenExpires) {
  ASSERT_TRUE(start_server());
  auto c = connect();
  auto hello = c.request({{"type", "hello"},
                          {"id", "h"},
                          {"role", "customer"},
                          {"user", "cust-1"},
                          {"token", token(role::customer, "cust-1", 1)}});
  ASSERT_TRUE(is_ok(hello)) << dump(hello);
  ASSERT_TRUE(c.wait_closed(3000ms));
  EXPECT_EQ(c.close_code(), 1008);
  EXPECT_EQ(c.close_reason(), "token_expired");
}

TEST_F(HostileSessionTest, AuthRefreshKeepsTheSessionGoing) {
  ASSERT_TRUE(start_server());
  auto c = connect();
  ASSERT_TRUE(is_ok(c.request({{"type", "hello"},
                               {"id", "h"},
                               {"role", "agent"},
                               {"user", "alice"},
                               {"token", token(role::agent, "alice", 1)}})));
  // A token for someone else is refused, and the session stays.
  auto wrong = c.request({{"type", "auth.refresh"},
                          {"id", "w"},
                          {"token", token(role::agent, "bob", 3600)}});
  EXPECT_EQ(error_code(wrong), "unauthorized") << dump(wrong);
  auto refreshed = c.request({{"type", "auth.refresh"},
                              {"id", "r"},
                              {"token", token(role::agent, "alice", 3600)}});
  ASSERT_TRUE(is_ok(refreshed)) << dump(refreshed);
  EXPECT_GT(integer(*refreshed, "expires_at").value_or(0), 0);
  // Past the first token's expiry, the session is still served.
  EXPECT_FALSE(c.wait_closed(2500ms)) << c.close_reason();
  EXPECT_TRUE(is_ok(c.request({{"type", "queue.list"}, {"id", "q"}})));
}

TEST_F(HostileSessionTest, StaffTakenOffTheRosterAreDisconnected) {
  ASSERT_TRUE(start_server());
  auto bob = login(role::agent, "bob");
  auto alice = login(role::agent, "alice");
  // The roster without bob.
  std::stringstream text;
  text << std::ifstream(config_path()).rdbuf();
  auto config = text.str();
  auto at = config.find("id = \"bob\"");
  ASSERT_NE(at, std::string::npos);
  auto begin = config.rfind("[[agents]]", at);
  auto end = config.find("[[agents]]", at);
  config.erase(begin, end - begin);
  std::ofstream(config_path()) << config;
  ASSERT_TRUE(server().signal(SIGHUP));
  ASSERT_TRUE(server().wait_log("configuration reloaded", reply_timeout))
    << server().log();
  ASSERT_TRUE(bob.wait_closed(reply_timeout));
  EXPECT_EQ(bob.close_code(), 1008);
  EXPECT_EQ(bob.close_reason(), "removed_from_roster");
  EXPECT_TRUE(is_ok(alice.request({{"type", "queue.list"}, {"id", "q"}})));
}

} // namespace
} // namespace baton::e2e
