// A queue's wait estimate over real sockets: none until the queue has seen
// its line move, then the time a conversation entering now would wait
// (docs/routing.md, "Wait estimates").

#include <thread>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class QueueEstimateTest : public server_test {
protected:
  std::optional<json::object> ask(ws_client& c, json::object req) {
    req["id"] = next_id();
    return c.request(req, reply_timeout);
  }

  /// The `general` row of `queue.list`, as `who` sees it.
  json::object general_row(ws_client& who) {
    auto list = ask(who, {{"type", "queue.list"}});
    EXPECT_TRUE(is_ok(list)) << dump(list);
    if (!is_ok(list))
      return {};
    for (const auto& q : list->at("queues").as_array())
      if (str(q.as_object(), "queue") == "general")
        return q.as_object();
    ADD_FAILURE() << "no general row: " << dump(list);
    return {};
  }
};

TEST_F(QueueEstimateTest, NoneUntilTheLineHasMovedThenAnEstimate) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  EXPECT_FALSE(general_row(alice).contains("estimated_wait_s"))
    << "nothing seen yet: no estimate";

  // Five conversations wait, each until Alice takes it, and are closed.
  for (int i = 0; i < 5; ++i) {
    auto customer = login(role::customer, "cust-" + std::to_string(i));
    auto c = start_conversation(customer, "Hello");
    ASSERT_FALSE(c.empty());
    ASSERT_TRUE(accept_offer(alice, c));
    ASSERT_TRUE(
      is_ok(ask(alice, {{"type", "conversation.close"}, {"conversation", c}})));
  }
  auto row = general_row(alice);
  ASSERT_TRUE(row.contains("estimated_wait_s")) << dump(row);
  auto estimate = integer(row, "estimated_wait_s");
  ASSERT_TRUE(estimate);
  // Each waited a moment only: a conversation entering now would too.
  EXPECT_GE(*estimate, 0);
  EXPECT_LE(*estimate, 5);
}

TEST_F(QueueEstimateTest, AWaitingCustomerHearsItsPlaceAsTheLineMoves) {
  server_config c;
  c.position_update_ms = 200;
  ASSERT_TRUE(start_server(c));
  auto first = login(role::customer, "cust-1");
  auto second = login(role::customer, "cust-2");
  auto a = start_conversation(first, "First in line");
  ASSERT_FALSE(a.empty());
  auto b = start_conversation(second, "Second in line");
  ASSERT_FALSE(b.empty());

  auto place = first.wait_for("conversation.position", "conversation", a,
                              reply_timeout);
  ASSERT_TRUE(place);
  EXPECT_EQ(integer(*place, "position"), 1);
  EXPECT_FALSE(place->contains("estimated_wait_s"))
    << "no departures yet: no estimate, rather than a guess";
  place = second.wait_for("conversation.position", "conversation", b,
                          reply_timeout);
  ASSERT_TRUE(place);
  EXPECT_EQ(integer(*place, "position"), 2);
  // A customer who comes back (a reload) reads its place in `hello`.
  json::object again;
  auto back = login(role::customer, "cust-2", &again);
  const auto& listed = again.at("conversations").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("position"), 2);
  EXPECT_FALSE(listed[0].as_object().contains("estimated_wait_s"));

  // The first leaves the line: the second is at its head.
  ASSERT_TRUE(
    is_ok(ask(first, {{"type", "conversation.close"}, {"conversation", a}})));
  place = second.wait_for("conversation.position", "conversation", b,
                          reply_timeout);
  ASSERT_TRUE(place);
  EXPECT_EQ(integer(*place, "position"), 1);

  // Taken by an agent: no more places.
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  ASSERT_TRUE(accept_offer(alice, b));
  ASSERT_TRUE(
    second.wait_for("conversation.assigned", "conversation", b, reply_timeout));
  EXPECT_FALSE(
    second.wait_for("conversation.position", "conversation", b, quiet_period));
  // Staff never get a customer's place.
  EXPECT_FALSE(
    alice.wait_for("conversation.position", "conversation", b, quiet_period));
}

TEST_F(QueueEstimateTest, AWaitPastTheQueuesBoundIsToldAtOnce) {
  server_config c;
  c.extra_toml = R"(
[[queues]]
id = "busy"
name = "Busy"
max_estimated_wait_s = 1
)";
  ASSERT_TRUE(start_server(c));
  // Nobody to serve it: conversations leave the line only by giving up,
  // one every quarter of a second at least (the time between departures
  // is what the estimate measures, so here time must pass).
  std::vector<ws_client> waiting;
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    waiting.push_back(login(role::customer, "early-" + std::to_string(i)));
    ids.push_back(start_conversation(waiting.back(), "Hello", "busy"));
    ASSERT_FALSE(ids.back().empty());
  }
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(milliseconds(250));
    ASSERT_TRUE(is_ok(ask(waiting[i], {{"type", "conversation.close"},
                                       {"conversation", ids[i]}})));
  }
  // Nine more arrive: from the sixth place on the estimate is at least
  // 6 x 0.25 s, past the bound, and they are turned away (without counting
  // as the line moving: they never joined it).
  for (int i = 0; i < 9; ++i) {
    waiting.push_back(login(role::customer, "later-" + std::to_string(i)));
    ASSERT_FALSE(start_conversation(waiting.back(), "Hello", "busy").empty());
  }
  auto late = login(role::customer, "late");
  auto id = start_conversation(late, "Still open?", "busy");
  ASSERT_FALSE(id.empty());
  auto told = late.wait_for("conversation.no_agents", "conversation", id,
                            reply_timeout);
  ASSERT_TRUE(told) << "told at once, not after the wait timeout";
  EXPECT_EQ(str(told, "text"), "All our agents are busy and the wait would "
                               "be long. Please try again later.");
  auto closed = late.wait_for("conversation.closed", "conversation", id,
                              reply_timeout);
  ASSERT_TRUE(closed);
  EXPECT_EQ(str(closed, "reason"), "no_agents");
  EXPECT_FALSE(
    late.wait_for("conversation.position", "conversation", id, quiet_period))
    << "turned away: no place in line";
}

} // namespace
} // namespace baton::e2e
