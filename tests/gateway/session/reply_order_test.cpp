#include "gateway/session/reply_order.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace baton::gateway {
namespace {

TEST(ReplyOrderTest, RepliesLeaveInRequestOrderWhateverOrderTheyCome) {
  reply_order<std::string> order;
  std::vector<std::string> written;
  auto write = [&](std::string s) { written.push_back(std::move(s)); };
  auto a = order.take(), b = order.take(), c = order.take();
  order.complete(c, "c", write);
  order.complete(b, "b", write);
  EXPECT_TRUE(written.empty()) << "a is still owed";
  EXPECT_EQ(order.outstanding(), 3u);
  order.complete(a, "a", write);
  EXPECT_EQ(written, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(order.outstanding(), 0u);
}

TEST(ReplyOrderTest, AnImmediateReplyWaitsForEarlierOnes) {
  reply_order<std::string> order;
  std::vector<std::string> written;
  auto write = [&](std::string s) { written.push_back(std::move(s)); };
  auto slow = order.take();
  order.complete(order.take(), "fast", write);
  EXPECT_TRUE(written.empty());
  order.complete(slow, "slow", write);
  EXPECT_EQ(written, (std::vector<std::string>{"slow", "fast"}));
}

} // namespace
} // namespace baton::gateway
