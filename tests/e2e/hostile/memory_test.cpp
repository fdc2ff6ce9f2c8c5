// Hostile clients, memory (docs/security.md, "Bounds"): nothing one client
// does keeps growing the server's memory. Every count a client controls
// has a bound of `[limits]`, refused with `limit_reached`.

#include <fstream>
#include <iostream>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

/// The resident memory of process `pid`, in KiB (0 when unreadable).
std::int64_t rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      std::int64_t kib = 0;
      status >> kib;
      return kib;
    }
    status.ignore(1 << 16, '\n');
  }
  return 0;
}

class HostileMemoryTest : public server_test {
protected:
  /// An anonymous visitor: connect, hello, close.
  void visit() {
    ws_client c;
    ASSERT_TRUE(c.connect(port())) << c.error();
    auto hello
      = c.request({{"type", "hello"}, {"id", "h"}, {"role", "customer"}});
    ASSERT_TRUE(is_ok(hello)) << dump(hello);
    c.close();
  }

  /// The error code of one more `conversation.start` ("" when it starts).
  std::string one_more_start(ws_client& c) {
    return error_code(c.request({{"type", "conversation.start"},
                                 {"id", next_id()},
                                 {"queue", "general"},
                                 {"text", "one more"}}));
  }

  bool inboxes_gone() {
    return wait_metric(
      "baton_user_inboxes", [](double n) { return n == 0; }, 5000ms);
  }
};

TEST_F(HostileMemoryTest, AnonymousVisitsLeaveNothingBehind) {
  ASSERT_TRUE(start_server());
  // The first visits size the allocator's pools and the sockets' buffers.
  for (int i = 0; i < 2000 && !HasFailure(); ++i)
    visit();
  ASSERT_TRUE(inboxes_gone());
  auto before = rss_kib(server().pid());
  ASSERT_GT(before, 0);
  for (int i = 0; i < 20000 && !HasFailure(); ++i)
    visit();
  ASSERT_TRUE(inboxes_gone()) << scrape_metrics();
  auto after = rss_kib(server().pid());
  std::cerr << "note: RSS " << before << " KiB before 20,000 visits, " << after
            << " KiB after\n";
  EXPECT_LE(after, before + before / 10)
    << "RSS " << before << " KiB before 20,000 visits, " << after
    << " KiB after";
}

TEST_F(HostileMemoryTest, ACustomerWithNoSessionAndNothingOpenIsForgotten) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  {
    auto customer = login(role::customer, "cust-1");
    auto c = start_conversation(customer, "hello");
    ASSERT_TRUE(accept_offer(alice, c));
    ASSERT_TRUE(is_ok(customer.request(
      {{"type", "conversation.close"}, {"id", "x"}, {"conversation", c}})));
    customer.close();
  }
  // The closed conversation leaves memory, then its customer's inbox.
  ASSERT_TRUE(wait_metric(
    "baton_conversation_actors", [](double n) { return n == 0; }, 10000ms));
  EXPECT_TRUE(inboxes_gone()) << scrape_metrics();
}

TEST_F(HostileMemoryTest, OpenConversationsPerCustomerAreBounded) {
  server_config cfg;
  cfg.extra_toml = "[limits]\nopen_conversations_per_customer = 2\n";
  ASSERT_TRUE(start_server(cfg));
  auto customer = login(role::customer, "cust-1");
  auto first = start_conversation(customer, "one");
  ASSERT_FALSE(start_conversation(customer, "two").empty());
  EXPECT_EQ(one_more_start(customer), "limit_reached");
  // Closing one makes room again.
  ASSERT_TRUE(is_ok(customer.request(
    {{"type", "conversation.close"}, {"id", "c"}, {"conversation", first}})));
  EXPECT_FALSE(start_conversation(customer, "three again").empty());
  // Resuming is opening too: it is held to the same bound.
  auto resumed = customer.request(
    {{"type", "conversation.resume"}, {"id", "r"}, {"conversation", first}});
  EXPECT_EQ(error_code(resumed), "limit_reached") << dump(resumed);
  EXPECT_EQ(
    metric(
      "baton_limit_refusals_total{limit=\"open_conversations_per_customer\"}"),
    2.0);
}

TEST_F(HostileMemoryTest, ResumesSentTogetherAreHeldToTheBound) {
  server_config cfg;
  cfg.extra_toml = "[limits]\nopen_conversations_per_customer = 2\n";
  ASSERT_TRUE(start_server(cfg));
  auto customer = login(role::customer, "cust-1");
  std::vector<std::string> closed;
  for (int i = 0; i < 5; ++i) {
    auto c = start_conversation(customer, "hello again");
    ASSERT_FALSE(c.empty());
    ASSERT_TRUE(is_ok(customer.request({{"type", "conversation.close"},
                                        {"id", next_id()},
                                        {"conversation", c}})));
    closed.push_back(c);
  }
  // All five at once: none is answered before the others arrive.
  std::vector<std::string> ids;
  for (const auto& c : closed) {
    ids.push_back(next_id());
    ASSERT_TRUE(customer.send(json::object{{"type", "conversation.resume"},
                                           {"id", ids.back()},
                                           {"conversation", c}}));
  }
  int resumed = 0;
  int refused = 0;
  for (const auto& id : ids) {
    auto r = customer.reply_to(id, reply_timeout);
    ASSERT_TRUE(r) << id;
    resumed += is_ok(r);
    refused += error_code(r) == "limit_reached";
  }
  EXPECT_EQ(resumed, 2);
  EXPECT_EQ(refused, 3);
}

TEST_F(HostileMemoryTest, AnAnonymousSessionStartsABoundedNumber) {
  server_config cfg;
  cfg.extra_toml = "[limits]\nstarts_per_anonymous_session = 3\n"
                   "open_conversations_per_customer = 100\n";
  ASSERT_TRUE(start_server(cfg));
  auto visitor = connect();
  ASSERT_TRUE(is_ok(
    visitor.request({{"type", "hello"}, {"id", "h"}, {"role", "customer"}})));
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(start_conversation(visitor, "hi").empty());
  EXPECT_EQ(one_more_start(visitor), "limit_reached");
}

TEST_F(HostileMemoryTest, AVisitorBackWithItsResumeTokenStartsABoundedNumber) {
  server_config cfg;
  cfg.extra_toml = "[limits]\nstarts_per_anonymous_session = 3\n"
                   "open_conversations_per_customer = 100\n";
  ASSERT_TRUE(start_server(cfg));
  std::string user, resume;
  {
    auto first = connect();
    auto hello
      = first.request({{"type", "hello"}, {"id", "h"}, {"role", "customer"}});
    ASSERT_TRUE(is_ok(hello)) << dump(hello);
    user = str(hello, "user");
    resume = str(hello, "resume_token");
  }
  // Its id and token cost it nothing: coming back with them must not lift
  // the bound a fresh visitor has.
  auto visitor = connect();
  ASSERT_TRUE(is_ok(visitor.request({{"type", "hello"},
                                     {"id", "h"},
                                     {"role", "customer"},
                                     {"user", user},
                                     {"token", resume}})));
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(start_conversation(visitor, "hi").empty());
  EXPECT_EQ(one_more_start(visitor), "limit_reached");
}

TEST_F(HostileMemoryTest, TextsAndConversationsAreBoundedInBytesAndEvents) {
  server_config cfg;
  cfg.extra_toml = "[limits]\nmax_text_bytes = 100\n"
                   "messages_per_conversation = 10\n";
  ASSERT_TRUE(start_server(cfg));
  auto customer = login(role::customer, "cust-1");
  auto c = start_conversation(customer, "hi");
  ASSERT_FALSE(c.empty());
  auto send = [&](std::string text) {
    return customer.request({{"type", "message.send"},
                             {"id", next_id()},
                             {"conversation", c},
                             {"text", std::move(text)}});
  };
  EXPECT_EQ(error_code(send(std::string(101, 'x'))), "limit_reached");
  int sent = 0;
  std::optional<json::object> last;
  while (sent < 20 && is_ok(last = send("again")))
    ++sent;
  EXPECT_EQ(error_code(last), "limit_reached") << dump(last);
  EXPECT_LT(sent, 10);
}

TEST_F(HostileMemoryTest, AnAgentsRequestsAreBoundedByTheConversationsEvents) {
  server_config cfg;
  cfg.extra_toml = "[limits]\nmessages_per_conversation = 30\n";
  ASSERT_TRUE(start_server(cfg));
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = start_conversation(customer, "hi");
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(accept_offer(alice, c));
  // Bob is offline: each conference asked of him fails at once and adds
  // its events, and she may ask again, as often as she likes.
  std::optional<json::object> last;
  int asked = 0;
  while (asked < 40) {
    last = alice.request({{"type", "conference.request"},
                          {"id", next_id()},
                          {"conversation", c},
                          {"to_agent", "bob"}});
    if (!is_ok(last))
      break;
    ++asked;
    ASSERT_TRUE(alice.wait_for("conference.failed", reply_timeout));
  }
  EXPECT_EQ(error_code(last), "limit_reached") << dump(last);
  EXPECT_LT(asked, 30);
  // Full, it can still be closed.
  EXPECT_TRUE(is_ok(alice.request(
    {{"type", "conversation.close"}, {"id", next_id()}, {"conversation", c}})));
}

TEST_F(HostileMemoryTest, AConversationsTextsAreBoundedInBytesTogether) {
  server_config cfg;
  cfg.extra_toml = "[limits]\ntext_bytes_per_conversation = 1000\n";
  ASSERT_TRUE(start_server(cfg));
  auto customer = login(role::customer, "cust-1");
  auto c = start_conversation(customer, std::string(100, 'h'));
  ASSERT_FALSE(c.empty());
  auto send = [&] {
    return customer.request({{"type", "message.send"},
                             {"id", next_id()},
                             {"conversation", c},
                             {"text", std::string(300, 'x')}});
  };
  // 100 + 3 × 300 fit in 1000 bytes; a fourth would not.
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(is_ok(send()));
  auto refused = send();
  EXPECT_EQ(error_code(refused), "limit_reached") << dump(refused);
  EXPECT_TRUE(wait_metric(
    R"(baton_limit_refusals_total{limit="text_bytes_per_conversation"})",
    [](double n) { return n == 1; }, reply_timeout));
}

TEST_F(HostileMemoryTest, ClosingAndResumingIsBoundedLikeMessages) {
  server_config cfg;
  cfg.extra_toml = "[limits]\nmessages_per_conversation = 10\n";
  ASSERT_TRUE(start_server(cfg));
  auto customer = login(role::customer, "cust-1");
  auto c = start_conversation(customer, "hi");
  ASSERT_FALSE(c.empty());
  auto ask = [&](const char* verb) {
    return customer.request(
      {{"type", verb}, {"id", next_id()}, {"conversation", c}});
  };
  // Each round adds a close, a reopen and a queued to its log.
  int rounds = 0;
  std::optional<json::object> resumed;
  while (rounds < 20 && is_ok(ask("conversation.close"))
         && is_ok(resumed = ask("conversation.resume")))
    ++rounds;
  EXPECT_EQ(error_code(resumed), "limit_reached") << dump(resumed);
  EXPECT_LT(rounds, 10);
}

TEST_F(HostileMemoryTest, SessionsPerUserAndPerAddressAreBounded) {
  server_config cfg;
  cfg.extra_toml = "[limits]\nsessions_per_user = 2\n"
                   "sessions_per_address = 4\n";
  ASSERT_TRUE(start_server(cfg));
  auto one = login(role::customer, "cust-1");
  auto two = login(role::customer, "cust-1");
  auto three = connect();
  auto refused = three.request({{"type", "hello"},
                                {"id", "h"},
                                {"role", "customer"},
                                {"user", "cust-1"},
                                {"token", token(role::customer, "cust-1")}});
  EXPECT_EQ(error_code(refused), "limit_reached") << dump(refused);
  EXPECT_TRUE(three.wait_closed(reply_timeout));
  EXPECT_EQ(three.close_code(), 1008);
  // Two more sockets from 127.0.0.1 fill its four; the next is closed.
  auto four = connect();
  auto five = connect();
  ASSERT_TRUE(wait_metric(
    "baton_ws_sessions", [](double n) { return n == 4; }, reply_timeout));
  auto six = connect();
  EXPECT_TRUE(six.wait_closed(reply_timeout));
  EXPECT_EQ(six.close_code(), 1008) << six.close_reason();
}

} // namespace
} // namespace baton::e2e
