// Hostile clients, frames and stored conversations (docs/security.md):
// every frame takes from the rate, a client that keeps sending garbage is
// closed, a session's requests awaiting replies are bounded, and a
// stranger cannot pull archived conversations back into memory.

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

TEST_F(HostileFramesTest, RequestsAwaitingRepliesAreBounded) {
  server_config cfg;
  // A message's reply waits up to a second for its commit.
  cfg.group_commit_ms = 1000;
  cfg.extra_toml = "[limits]\nrequests_in_flight_per_session = 1\n";
  ASSERT_TRUE(start_server(cfg));
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto customer = login(role::customer, "cust-1");
  auto conversation = start_conversation(customer, "hello");
  ASSERT_TRUE(accept_offer(alice, conversation));
  ASSERT_TRUE(customer.send({{"type", "message.send"},
                             {"id", "m"},
                             {"conversation", conversation},
                             {"text", "committed first"}}));
  auto typing = customer.request(
    {{"type", "typing"}, {"id", "t"}, {"conversation", conversation}});
  EXPECT_EQ(error_code(typing), "limit_reached") << dump(typing);
  EXPECT_EQ(str(typing, "message"),
            "too many requests awaiting their replies: at most 1 "
            "(limits.requests_in_flight_per_session)");
  EXPECT_TRUE(is_ok(customer.reply_to("m", reply_timeout)));
  EXPECT_TRUE(is_ok(customer.request(
    {{"type", "typing"}, {"id", "t2"}, {"conversation", conversation}})))
    << "answered: room again";
  EXPECT_EQ(
    metric(
      R"(baton_limit_refusals_total{limit="requests_in_flight_per_session"})")
      .value_or(0),
    1);
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
