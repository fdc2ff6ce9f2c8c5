// Hostile clients, frames and stored conversations (docs/security.md):
// every frame takes from the rate, a client that keeps sending garbage is
// closed, and a stranger cannot pull archived conversations back into
// memory.

#include <boost/json/serialize.hpp>

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

TEST_F(HostileFramesTest, AnOversizedWaitingListFitsTheFrameBound) {
  server_config cfg;
  cfg.extra_toml = "[[queues]]\nid = \"returns\"\nmode = \"pull\"\n"
                   "[[agents]]\nid = \"dora\"\nname = \"Dora\"\n"
                   "queues = [\"returns\"]\n"
                   "[limits]\nopen_conversations_per_customer = 1000\n";
  ASSERT_TRUE(start_server(cfg));
  auto dora = login(role::agent, "dora");
  auto customer = login(role::customer, "cust-1");
  // 150 waiting conversations whose first messages are 10 KB each: 1.5 MB
  // of content, 23 times the frame bound.
  const std::string long_text(10000, 'w');
  for (int i = 0; i < 150; ++i)
    ASSERT_FALSE(start_conversation(customer, long_text, "returns").empty());
  auto list = dora.request({{"type", "waitlist.list"}, {"id", "w"}});
  ASSERT_TRUE(is_ok(list)) << dump(list);
  auto encoded = json::serialize(*list);
  EXPECT_LE(encoded.size(), 65536u);
  EXPECT_TRUE(list->at("more").as_bool());
  const auto& entries = list->at("entries").as_array();
  ASSERT_FALSE(entries.empty());
  EXPECT_LT(entries[0].as_object().at("content").as_string().size(), 600u);
  // Dora stays connected and served.
  EXPECT_TRUE(dora.is_open());
  EXPECT_TRUE(is_ok(dora.request({{"type", "queue.list"}, {"id", "q"}})));
}

} // namespace
} // namespace baton::e2e
