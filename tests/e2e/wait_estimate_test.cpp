// A queue's wait estimate over real sockets: none until the queue has seen
// its line move, then the time a conversation entering now would wait
// (docs/routing.md, "Wait estimates").

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class WaitEstimateTest : public server_test {
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

TEST_F(WaitEstimateTest, NoneUntilTheLineHasMovedThenAnEstimate) {
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
    ASSERT_TRUE(is_ok(
      ask(alice, {{"type", "conversation.close"}, {"conversation", c}})));
  }
  auto row = general_row(alice);
  ASSERT_TRUE(row.contains("estimated_wait_s")) << dump(row);
  auto estimate = integer(row, "estimated_wait_s");
  ASSERT_TRUE(estimate);
  // Each waited a moment only: a conversation entering now would too.
  EXPECT_GE(*estimate, 0);
  EXPECT_LE(*estimate, 5);
}

} // namespace
} // namespace baton::e2e
