#include "gateway/session/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiterTest, AllowsABurstOfTheRateThenRefuses) {
  rate_limiter limit(5);
  rate_limiter::clock::time_point t{};
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(limit.allow(t)) << i;
  EXPECT_FALSE(limit.allow(t));
}

TEST(RateLimiterTest, RefillsWithTime) {
  rate_limiter limit(10);
  rate_limiter::clock::time_point t{};
  for (int i = 0; i < 10; ++i)
    limit.allow(t);
  EXPECT_FALSE(limit.allow(t));
  EXPECT_FALSE(limit.allow(t + 50ms));
  EXPECT_TRUE(limit.allow(t + 100ms)) << "one token per 100 ms";
  EXPECT_FALSE(limit.allow(t + 100ms));
  // A long pause refills no more than one burst.
  auto later = t + 1h;
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(limit.allow(later));
  EXPECT_FALSE(limit.allow(later));
}

} // namespace
} // namespace baton::gateway
