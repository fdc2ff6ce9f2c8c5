#include "gateway/session/write_queue.hpp"

#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

write_queue::frame text(std::size_t n) {
  return std::make_shared<const std::string>(n, 'x');
}

TEST(WriteQueueTest, RefusesWhenTheWaitingFramesPassTheLimit) {
  write_queue q(100);
  EXPECT_TRUE(q.push(text(500))) << "the frame being written does not count";
  EXPECT_TRUE(q.push(text(60)));
  EXPECT_TRUE(q.push(text(40)));
  EXPECT_EQ(q.bytes(), 100u);
  EXPECT_FALSE(q.push(text(1)));
  q.pop(); // the 500 is written; the 60 is being written now
  EXPECT_EQ(q.bytes(), 40u);
  EXPECT_TRUE(q.push(text(60)));
  EXPECT_FALSE(q.push(text(1)));
}

TEST(WriteQueueTest, EmptiesCleanly) {
  write_queue q(10);
  EXPECT_TRUE(q.push(text(50)));
  EXPECT_TRUE(q.push(text(10)));
  q.pop();
  q.pop();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.bytes(), 0u);
}

} // namespace
} // namespace baton::gateway
