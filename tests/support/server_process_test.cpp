#include "tests/support/server_process.hpp"

#include <signal.h>
#include <stdlib.h>

#include <gtest/gtest.h>

#include <string>

namespace baton::test_support {
namespace {

using namespace std::chrono_literals;

constexpr int sigterm_status = 128 + SIGTERM;

/// A tiny stand-in for a server: /bin/sh running `script`.
server_process::options shell(std::string script) {
  server_process::options o;
  o.binary = "/bin/sh";
  o.args = {"-c", std::move(script)};
  o.start_timeout = 5000ms;
  return o;
}

constexpr const char* listening
  = "echo 'info  listening address=127.0.0.1:4242 port=4242' >&2";

TEST(ServerProcessTest, ReadyWithThePortOfItsListeningLine) {
  server_process p;
  ASSERT_TRUE(p.start(shell(std::string(listening) + "; exec sleep 30")))
    << p.error() << "\n"
    << p.log();
  EXPECT_EQ(p.port(), 4242);
  EXPECT_TRUE(p.running());
  EXPECT_GT(p.pid(), 0);
  EXPECT_EQ(p.stop(), sigterm_status);
  EXPECT_FALSE(p.running());
}

TEST(ServerProcessTest, ChildSeesListenAndExtraEnvironmentButNoOtherBaton) {
  ::setenv("BATON_SUPPORT_TEST_LEAK", "leaked", 1);
  server_process p;
  auto o = shell("echo \"listen=$BATON_SERVER_LISTEN "
                 "leak=${BATON_SUPPORT_TEST_LEAK:-none} extra=$EXTRA\"; "
                 + std::string(listening) + "; exec sleep 30");
  o.listen = "127.0.0.1:0";
  o.env = {"EXTRA=given"};
  bool started = p.start(o);
  ::unsetenv("BATON_SUPPORT_TEST_LEAK");
  ASSERT_TRUE(started) << p.error() << "\n" << p.log();
  EXPECT_NE(p.log().find("listen=127.0.0.1:0 leak=none extra=given"),
            std::string::npos)
    << p.log();
}

TEST(ServerProcessTest, ConfigComesBeforeTheOtherArguments) {
  server_process p;
  server_process::options o;
  o.binary = "/bin/echo";
  o.config_path = "centre.toml";
  o.args = {"--threads", "2"};
  EXPECT_FALSE(p.start(o));
  EXPECT_NE(p.log().find("--config centre.toml --threads 2\n"),
            std::string::npos)
    << p.log();
}

TEST(ServerProcessTest, BatonVersionExitsBeforeListening) {
  server_process p;
  server_process::options o;
  o.binary = BATON_BINARY;
  o.args = {"--version"};
  EXPECT_FALSE(p.start(o));
  EXPECT_NE(p.error().find("exited before listening (status 0)"),
            std::string::npos)
    << p.error();
  EXPECT_EQ(p.log().rfind("baton ", 0), 0u) << p.log();
  EXPECT_EQ(p.wait_exit(0ms), 0);
  EXPECT_FALSE(p.running());
}

TEST(ServerProcessTest, MissingBinaryIsNamed) {
  server_process p;
  server_process::options o;
  o.binary = "/nonexistent/baton";
  EXPECT_FALSE(p.start(o));
  EXPECT_NE(p.error().find("/nonexistent/baton"), std::string::npos)
    << p.error();
  EXPECT_EQ(p.stop(), std::nullopt);
}

TEST(ServerProcessTest, SilentChildIsStoppedAtTheStartTimeout) {
  server_process p;
  auto o = shell("exec sleep 30");
  o.start_timeout = 200ms;
  EXPECT_FALSE(p.start(o));
  EXPECT_NE(p.error().find("within 200 ms"), std::string::npos) << p.error();
  EXPECT_FALSE(p.running());
  EXPECT_EQ(p.stop(), sigterm_status);
}

TEST(ServerProcessTest, SignalAndLaterOutputAreSeen) {
  server_process p;
  ASSERT_TRUE(
    p.start(shell("trap 'echo reloaded; exit 3' HUP; " + std::string(listening)
                  + "; while :; do sleep 0.05; done")))
    << p.error();
  EXPECT_FALSE(p.wait_log("reloaded", 100ms));
  ASSERT_TRUE(p.signal(SIGHUP));
  EXPECT_TRUE(p.wait_log("reloaded", 5000ms)) << p.log();
  EXPECT_EQ(p.wait_exit(5000ms), 3);
  EXPECT_FALSE(p.signal(SIGHUP)) << "reaped: nothing to signal";
  EXPECT_EQ(p.stop(), 3);
}

TEST(ServerProcessTest, OutputAroundTheListeningLineDoesNotHideIt) {
  // 20 kB before the line and 80 kB after it, with a limit of 10 kB: the log
  // is not cut before start() has read the port.
  auto lines = [](int n) {
    return "i=0; while [ $i -lt " + std::to_string(n)
           + " ]; do echo 0123456789012345678901234567890123456789; "
             "i=$((i+1)); done; ";
  };
  server_process p;
  auto o = shell(lines(500) + listening + "; " + lines(2000) + "exec sleep 30");
  o.log_limit = 10000;
  o.log_keep = 1000;
  ASSERT_TRUE(p.start(o)) << p.error();
  EXPECT_EQ(p.port(), 4242);
}

TEST(ServerProcessTest, LogIsCutToItsTailOnceThePortIsKnown) {
  server_process p;
  auto o = shell(std::string(listening)
                 + "; i=0; while [ $i -lt 2000 ]; do "
                   "echo 0123456789012345678901234567890123456789; "
                   "i=$((i+1)); done; echo done; exec sleep 30");
  o.log_limit = 10000;
  o.log_keep = 1000;
  ASSERT_TRUE(p.start(o)) << p.error();
  ASSERT_TRUE(p.wait_log("done", 5000ms)) << p.log_tail();
  auto log = p.log();
  EXPECT_LE(log.size(), 10000u);
  EXPECT_EQ(log.find("listening"), std::string::npos);
  EXPECT_EQ(p.log_tail(5), "done\n");
}

} // namespace
} // namespace baton::test_support
