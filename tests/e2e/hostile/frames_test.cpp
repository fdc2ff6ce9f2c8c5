// Hostile clients, frames and stored conversations (docs/security.md):
// every frame takes from the rate, a client that keeps sending garbage is
// closed, and a stranger cannot pull archived conversations back into
// memory.

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class HostileFramesTest : public server_test {};

TEST_F(HostileFramesTest, BadFramesAreRateLimitedThenClosed) {
  server_config cfg;
  cfg.max_requests_per_second = 50;
  ASSERT_TRUE(start_server(cfg));
  auto c = login(role::customer, "cust-1");
  int sent = 0;
  for (; sent < 5000 && c.is_open(); ++sent)
    if (!c.send(sent % 2 == 0 ? "{not json" : R"({"type":"no.such.verb"})"))
      break;
  ASSERT_TRUE(c.wait_closed(reply_timeout)) << "still open after " << sent;
  EXPECT_EQ(c.close_code(), 1008) << c.close_reason();
  std::size_t limited = 0;
  for (const auto& f : c.received())
    limited += error_code(f) == "rate_limited";
  EXPECT_GT(limited, 0u);
  EXPECT_EQ(metric("baton_limit_refusals_total{limit=\"bad_frames\"}"), 1.0);
}

TEST_F(HostileFramesTest, AStrangersResumeLeavesRetiredConversationsStored) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto owner = login(role::customer, "cust-1");
  std::vector<std::string> closed;
  for (int i = 0; i < 3; ++i) {
    auto c = start_conversation(owner, "hello");
    ASSERT_TRUE(accept_offer(alice, c));
    ASSERT_TRUE(is_ok(owner.request({{"type", "conversation.close"},
                                     {"id", next_id()},
                                     {"conversation", c}})));
    closed.push_back(c);
  }
  ASSERT_TRUE(wait_metric(
    "baton_conversation_actors", [](double n) { return n == 0; }, 10000ms));
  auto stranger = login(role::customer, "cust-2");
  for (const auto& c : closed) {
    auto r = stranger.request({{"type", "conversation.resume"},
                               {"id", next_id()},
                               {"conversation", c}});
    EXPECT_EQ(error_code(r), "not_found") << dump(r);
  }
  // Refused before anything was loaded: no actor came back.
  EXPECT_EQ(metric("baton_conversation_actors"), 0.0);
  // Its owner's resume brings one back, and it leaves again once closed.
  ASSERT_TRUE(is_ok(owner.request({{"type", "conversation.resume"},
                                   {"id", next_id()},
                                   {"conversation", closed[0]}})));
  EXPECT_EQ(metric("baton_conversation_actors"), 1.0);
  ASSERT_TRUE(is_ok(owner.request({{"type", "conversation.close"},
                                   {"id", next_id()},
                                   {"conversation", closed[0]}})));
  EXPECT_TRUE(wait_metric(
    "baton_conversation_actors", [](double n) { return n == 0; }, 10000ms));
}

} // namespace
} // namespace baton::e2e
