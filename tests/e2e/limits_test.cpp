// Per-session limits over real sockets (docs/protocol.md, "Error codes";
// docs/configuration.md, [server]): the request rate, and the bounded write
// queue that cuts off a client that stops reading.

#include <iostream>

#include <boost/json/serialize.hpp>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using clock = std::chrono::steady_clock;
using engine::role;

class LimitsTest : public server_test {
protected:
  /// A customer with a long display name (so each typing event is ~350
  /// bytes) starts a conversation that `agent` accepts; returns its id.
  std::string chat_with(ws_client& agent, ws_client& customer) {
    auto hello = customer.request({{"type", "hello"},
                                   {"id", "h"},
                                   {"role", "customer"},
                                   {"user", "cust-1"},
                                   {"token", token(role::customer, "cust-1")},
                                   {"name", std::string(250, 'N')}});
    EXPECT_TRUE(is_ok(hello)) << dump(hello);
    auto c = start_conversation(customer, "hello");
    EXPECT_FALSE(c.empty());
    EXPECT_TRUE(accept_offer(agent, c));
    return c;
  }
};

std::string typing_in(const std::string& conversation) {
  return json::serialize(
    json::object{{"type", "typing"}, {"conversation", conversation}});
}

bool is_reply(const json::object& o) {
  return str(o, "type") == "ok" || str(o, "type") == "error";
}

TEST_F(LimitsTest, BurstOverTheRateGetsRateLimitedInOrder) {
  server_config cfg;
  cfg.max_requests_per_second = 5;
  ASSERT_TRUE(start_server(cfg));
  auto c = login(role::customer, "cust-1"); // hello takes one token
  ASSERT_TRUE(c.is_open());

  constexpr int burst = 20;
  for (int i = 1; i <= burst; ++i)
    ASSERT_TRUE(c.send(json::object{{"type", "conversation.list"},
                                    {"id", "b" + std::to_string(i)}}));
  int ok = 0, limited = 0;
  for (int i = 1; i <= burst; ++i) {
    auto r = c.wait_for(is_reply, reply_timeout);
    ASSERT_TRUE(r) << "reply " << i << " missing";
    EXPECT_EQ(str(r, "re"), "b" + std::to_string(i)) << dump(r);
    if (is_ok(r))
      ++ok;
    else if (error_code(r) == "rate_limited")
      ++limited;
    else
      ADD_FAILURE() << "neither ok nor rate_limited: " << dump(r);
  }
  EXPECT_GE(ok, 1);
  EXPECT_LE(ok, 5);
  EXPECT_GE(limited, burst - 5);
  EXPECT_EQ(metric("baton_request_errors_total{code=\"rate_limited\"}"),
            double(limited));

  // The session stays: nothing arrives (no close) while the bucket refills,
  // then requests are served again.
  auto unexpected = c.next(milliseconds(1100));
  EXPECT_FALSE(unexpected) << dump(unexpected);
  ASSERT_TRUE(c.is_open()) << c.error();
  auto again = c.request({{"type", "conversation.list"}, {"id", "after"}});
  EXPECT_TRUE(is_ok(again)) << dump(again);
}

/// An agent whose socket stops being read: its events pile up, the server's
/// bounded write queue overflows, and the server drops it, not the others.
TEST_F(LimitsTest, ClientThatStopsReadingIsCutOffAndOthersGoOn) {
  server_config cfg;
  cfg.max_write_queue_bytes = 65536; // the smallest allowed
  cfg.max_requests_per_second = 1000000;
  ASSERT_TRUE(start_server(cfg));

  connect_options tiny;
  tiny.receive_buffer = 4096;
  auto alice = login(role::agent, "alice", nullptr, tiny);
  ASSERT_TRUE(alice.is_open());
  make_ready(alice);

  // A long display name makes each typing event ~350 bytes.
  auto customer = connect();
  ASSERT_TRUE(customer.is_open());
  auto c = chat_with(alice, customer);
  ASSERT_FALSE(HasFailure());
  const auto typing = typing_in(c);
  auto deadline = clock::now() + milliseconds(20000);
  int sent = 0;
  bool dropped = false;
  while (!dropped && clock::now() < deadline) {
    ASSERT_TRUE(customer.send(typing)) << customer.error();
    ++sent;
    auto r = customer.wait_for(is_reply, reply_timeout);
    ASSERT_TRUE(is_ok(r)) << "typing #" << sent << " got " << dump(r) << " ("
                          << customer.error() << ")";
    customer.inbox().clear();
    if (sent % 25 == 0)
      dropped = metric("baton_ws_sessions") == 1.0;
  }
  ASSERT_TRUE(dropped) << "alice was not cut off after " << sent
                       << " typing events; /metrics:\n"
                       << scrape_metrics();
  std::cerr << "note: alice was cut off after " << sent << " typing events\n";

  // The others go on.
  ASSERT_TRUE(customer.is_open()) << customer.error();
  auto m = customer.request({{"type", "message.send"},
                             {"id", "after"},
                             {"conversation", c},
                             {"text", "are you there?"}});
  EXPECT_TRUE(is_ok(m)) << dump(m);
  auto health = http_get(port(), "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto bob = login(role::agent, "bob");
  ASSERT_TRUE(bob.is_open());
  make_ready(bob);
  EXPECT_EQ(metric("baton_ws_sessions"), 2.0);

  // Alice's socket was closed: reading what was buffered ends in EOF.
  EXPECT_TRUE(alice.wait_closed(milliseconds(5000)))
    << "alice's connection is still open after " << alice.frames_received()
    << " frames";
}

/// The control of the test above: the same events to an agent that reads
/// them as they come do not get it cut off.
TEST_F(LimitsTest, ReaderThatKeepsUpIsNotCutOff) {
  server_config cfg;
  cfg.max_write_queue_bytes = 65536;
  cfg.max_requests_per_second = 1000000;
  ASSERT_TRUE(start_server(cfg));
  connect_options tiny;
  tiny.receive_buffer = 4096;
  auto alice = login(role::agent, "alice", nullptr, tiny);
  ASSERT_TRUE(alice.is_open());
  make_ready(alice);
  auto customer = connect();
  auto c = chat_with(alice, customer);
  ASSERT_FALSE(HasFailure());
  const auto typing = typing_in(c);
  for (int i = 1; i <= 500; ++i) {
    ASSERT_TRUE(customer.send(typing)) << customer.error();
    auto r = customer.wait_for(is_reply, reply_timeout);
    ASSERT_TRUE(is_ok(r)) << dump(r);
    customer.inbox().clear();
    ASSERT_TRUE(alice.wait_for("typing", reply_timeout))
      << "typing #" << i << ": " << alice.error();
    alice.inbox().clear();
  }
  EXPECT_TRUE(alice.is_open());
  EXPECT_EQ(metric("baton_ws_sessions"), 2.0);
}

/// A few events at once to an agent whose socket has plenty of room: the
/// kernel takes them at once, so nothing is "waiting to be written" for
/// long, and a client that reads must not be taken for one that does not.
TEST_F(LimitsTest, ShortBurstToAReaderDoesNotCutItOff) {
  server_config cfg;
  cfg.max_write_queue_bytes = 65536;
  cfg.max_requests_per_second = 1000000;
  ASSERT_TRUE(start_server(cfg));
  auto alice = login(role::agent, "alice"); // default receive buffer
  ASSERT_TRUE(alice.is_open());
  make_ready(alice);
  auto customer = connect();
  auto c = chat_with(alice, customer);
  ASSERT_FALSE(HasFailure());
  const auto typing = typing_in(c);
  constexpr int burst = 20; // ~7 KB of events in all
  for (int i = 0; i < burst; ++i)
    ASSERT_TRUE(customer.send(typing));
  for (int i = 0; i < burst; ++i)
    ASSERT_TRUE(is_ok(customer.wait_for(is_reply, reply_timeout)));
  int got = 0;
  while (got < burst && alice.wait_for("typing", reply_timeout))
    ++got;
  EXPECT_EQ(got, burst) << "alice, reading, was cut off after " << got << " of "
                        << burst << " typing events (" << alice.error() << ")";
  EXPECT_TRUE(alice.is_open());
}

TEST_F(LimitsTest, BehindATrustedProxyEachForwardedClientIsCounted) {
  server_config cfg;
  cfg.trusted_proxies = R"(["127.0.0.1"])";
  cfg.extra_toml = "[limits]\nsessions_per_address = 1\n";
  ASSERT_TRUE(start_server(cfg));
  auto from = [](std::string client) {
    connect_options o;
    o.headers = {{"X-Forwarded-For", std::move(client)}};
    return o;
  };
  auto hello = [&](ws_client& c) {
    return is_ok(
      c.request({{"type", "hello"}, {"id", next_id()}, {"role", "customer"}}));
  };
  auto first = connect(from("198.51.100.1"));
  auto second = connect(from("198.51.100.2"));
  EXPECT_TRUE(hello(first));
  EXPECT_TRUE(hello(second)) << "another client behind the same proxy";
  auto again = connect(from("198.51.100.1"));
  ASSERT_TRUE(again.wait_closed(reply_timeout));
  EXPECT_EQ(again.close_code(), 1008) << again.close_reason();
}

} // namespace
} // namespace baton::e2e
