// The process: start-up on a free port, and the graceful stop on SIGTERM
// (docs/protocol.md, "Connecting"; docs/configuration.md,
// server.drain_timeout_ms).

#include <signal.h>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using clock = std::chrono::steady_clock;
using engine::role;

class LifecycleTest : public server_test {};

/// app/server.cpp and the test brief: `BATON_SERVER_LISTEN=127.0.0.1:0`
/// binds a free port and logs it.
TEST_F(LifecycleTest, ListenOnPortZeroBindsAFreePort) {
  ASSERT_TRUE(start_server()); // writes the configuration
  baton_process second;
  baton_process::options o;
  o.binary = BATON_BINARY;
  o.config_path = config_path().string();
  o.listen = "127.0.0.1:0";
  o.env = {"BATON_STORAGE_PATH="
           + (config_path().parent_path() / "second.db").string()};
  ASSERT_TRUE(second.start(o)) << second.error() << "\n" << second.log();
  EXPECT_NE(second.port(), 0);
  EXPECT_NE(second.port(), port());
  auto health = http_get(second.port(), "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(second.stop(), 0) << second.log();
}

TEST_F(LifecycleTest, SigtermDrainsThenClosesWith1001AndExitsZero) {
  ASSERT_TRUE(start_server()); // drain_timeout_ms = 1000
  auto customer = login(role::customer, "cust-1");
  ASSERT_TRUE(customer.is_open());
  http_connection probe; // opened before the drain
  ASSERT_TRUE(probe.connect(port()));
  auto ready = probe.get("/readyz");
  ASSERT_TRUE(ready) << probe.error();
  EXPECT_EQ(ready->status, 200);

  auto signalled = clock::now();
  ASSERT_TRUE(server().signal(SIGTERM));
  ASSERT_TRUE(server().wait_log("draining", milliseconds(2000)))
    << server().log();

  // Not ready any more, on a connection that was open. The log line comes
  // just before the drain flag is set, so ask until the answer changes (it
  // must, long before the drain timeout).
  std::optional<http_response> draining;
  auto until = signalled + milliseconds(500);
  do
    draining = probe.get("/readyz");
  while (draining && draining->status == 200 && clock::now() < until);
  ASSERT_TRUE(draining) << probe.error();
  EXPECT_EQ(draining->status, 503) << draining->body;
  // ... and for a load balancer's fresh probe.
  std::string why;
  auto fresh = http_get(port(), "/readyz", {}, reply_timeout, &why);
  EXPECT_TRUE(fresh && fresh->status == 503)
    << "GET /readyz on a new connection while draining: "
    << (fresh ? std::to_string(fresh->status) + " " + fresh->body
              : "no response: " + why);
  // No new sessions.
  ws_client late;
  EXPECT_FALSE(late.connect(port())) << "a WebSocket opened while draining";

  // The open session is still served until the drain timeout...
  auto listed = customer.request({{"type", "conversation.list"}, {"id", "d"}});
  EXPECT_TRUE(is_ok(listed)) << dump(listed);
  // ... then closed with 1001.
  ASSERT_TRUE(customer.wait_closed(milliseconds(4000)));
  auto after = clock::now() - signalled;
  EXPECT_EQ(customer.close_code(), 1001) << customer.error();
  EXPECT_GE(after, milliseconds(900)) << "closed before drain_timeout_ms";
  EXPECT_LE(after, milliseconds(3000));

  auto status = server().wait_exit(milliseconds(5000));
  ASSERT_TRUE(status) << "baton still running 5 s after the drain\n"
                      << server().log();
  EXPECT_EQ(*status, 0) << server().log();
  // Its last line may still be on its way from the pipe.
  EXPECT_TRUE(server().wait_log("stopped", milliseconds(2000)))
    << server().log();
}

} // namespace
} // namespace baton::e2e
