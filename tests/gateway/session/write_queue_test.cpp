#include "gateway/session/write_queue.hpp"

#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

write_queue::frame text(std::size_t n) {
  return std::make_shared<const std::string>(n, 'x');
}

TEST(WriteQueueTest, RefusesWhenTheFramesHeldPassTheLimit) {
  write_queue q(100);
  EXPECT_TRUE(q.push(text(50)));
  EXPECT_TRUE(q.push(text(30)));
  EXPECT_TRUE(q.push(text(20)));
  EXPECT_EQ(q.bytes(), 100u);
  EXPECT_FALSE(q.push(text(1)));
  q.pop(); // the 50 is written
  EXPECT_EQ(q.bytes(), 50u);
  EXPECT_TRUE(q.push(text(50)));
  EXPECT_FALSE(q.push(text(1)));
}

TEST(WriteQueueTest, TheFrameBeingWrittenCountsToo) {
  write_queue q(100);
  EXPECT_FALSE(q.push(text(101))) << "alone, and still over the bound";
  EXPECT_TRUE(q.empty());
  EXPECT_TRUE(q.push(text(100)));
  EXPECT_FALSE(q.push(text(1)));
}

TEST(WriteQueueTest, EmptiesCleanly) {
  write_queue q(100);
  EXPECT_TRUE(q.push(text(50)));
  EXPECT_TRUE(q.push(text(10)));
  q.pop();
  q.pop();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.bytes(), 0u);
}

} // namespace
} // namespace baton::gateway
