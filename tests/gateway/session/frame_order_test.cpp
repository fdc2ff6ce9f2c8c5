#include "gateway/session/frame_order.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace baton::gateway {
namespace {

frame_order::frame make(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

class FrameOrderTest : public ::testing::Test {
protected:
  std::vector<std::string> written;
  std::function<void(frame_order::frame)> write = [this](frame_order::frame f) {
    written.push_back(*f);
  };
  frame_order order;
};

TEST_F(FrameOrderTest, RepliesLeaveInRequestOrderWhateverOrderTheyCome) {
  auto a = order.take(), b = order.take(), c = order.take();
  order.complete(c, make("c"), write);
  order.complete(b, make("b"), write);
  EXPECT_TRUE(written.empty()) << "a is still owed";
  EXPECT_EQ(order.outstanding(), 3u);
  order.complete(a, make("a"), write);
  EXPECT_EQ(written, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(order.outstanding(), 0u);
}

TEST_F(FrameOrderTest, AnImmediateReplyWaitsForEarlierOnes) {
  auto slow = order.take();
  order.complete(order.take(), make("fast"), write);
  EXPECT_TRUE(written.empty());
  order.complete(slow, make("slow"), write);
  EXPECT_EQ(written, (std::vector<std::string>{"slow", "fast"}));
}

TEST_F(FrameOrderTest, RepliesWaitingForAnEarlierOneCountTheirBytes) {
  auto slow = order.take();
  order.complete(order.take(), make("a page of history"), write);
  order.complete(order.take(), make("another"), write);
  EXPECT_EQ(order.held_bytes(), std::string("a page of history").size()
                                  + std::string("another").size());
  order.complete(slow, make("slow"), write);
  EXPECT_EQ(order.held_bytes(), 0u);
}

TEST_F(FrameOrderTest, AnEventWithNoReplyOwedLeavesAtOnce) {
  order.event(make("e"), write);
  EXPECT_EQ(written, (std::vector<std::string>{"e"}));
}

TEST_F(FrameOrderTest, AnEventARequestCausedWaitsForItsReply) {
  auto t = order.take();
  order.event(make("agent.status event"), write);
  EXPECT_TRUE(written.empty());
  EXPECT_EQ(order.held_bytes(), std::string("agent.status event").size());
  order.complete(t, make("ok"), write);
  EXPECT_EQ(written, (std::vector<std::string>{"ok", "agent.status event"}));
  EXPECT_EQ(order.held_bytes(), 0u);
}

TEST_F(FrameOrderTest, AnEventDoesNotWaitForRequestsThatCameAfterIt) {
  auto first = order.take();
  order.event(make("e1"), write);
  auto second = order.take();
  order.event(make("e2"), write);
  order.complete(first, make("r1"), write);
  // e1 came before the second request: it cannot be that request's doing.
  EXPECT_EQ(written, (std::vector<std::string>{"r1", "e1"}));
  order.complete(second, make("r2"), write);
  EXPECT_EQ(written, (std::vector<std::string>{"r1", "e1", "r2", "e2"}));
}

TEST_F(FrameOrderTest, EventsKeepTheirOrderBehindRepliesThatComeLate) {
  auto a = order.take();
  order.event(make("e1"), write);
  auto b = order.take();
  order.event(make("e2"), write);
  order.event(make("e3"), write);
  order.complete(b, make("rb"), write);
  EXPECT_TRUE(written.empty()) << "a is still owed";
  order.complete(a, make("ra"), write);
  EXPECT_EQ(written, (std::vector<std::string>{"ra", "e1", "rb", "e2", "e3"}));
  order.event(make("e4"), write);
  EXPECT_EQ(written.back(), "e4");
}

} // namespace
} // namespace baton::gateway
