#include "gateway/session/write_queue.hpp"

#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

write_queue::frame text(std::size_t n) {
  return std::make_shared<const std::string>(n, 'x');
}

TEST(WriteQueueTest, RefusesPastTheByteLimit) {
  write_queue q(100);
  EXPECT_TRUE(q.push(text(60)));
  EXPECT_TRUE(q.push(text(40)));
  EXPECT_FALSE(q.push(text(1)));
  EXPECT_EQ(q.bytes(), 100u);
  q.pop();
  EXPECT_EQ(q.bytes(), 40u);
  EXPECT_TRUE(q.push(text(60)));
}

TEST(WriteQueueTest, OneFrameLargerThanTheLimitStillGoesWhenEmpty) {
  write_queue q(10);
  EXPECT_TRUE(q.push(text(50))) << "a single big reply is not a slow client";
  EXPECT_FALSE(q.push(text(1)));
  EXPECT_EQ(q.front()->size(), 50u);
}

} // namespace
} // namespace baton::gateway
