#include "gateway/http/bare_token_guard.hpp"

#include <string>

#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

constexpr std::int64_t now = 1'800'000'000;

TEST(BareTokenGuardTest, ASearchBeyondTheBudgetIsPaidBackOverTheSecondsAfter) {
  bare_token_guard guard{10};
  EXPECT_TRUE(guard.may_search(now));
  guard.searched(now, 25); // a roster of 25 supervisors
  EXPECT_FALSE(guard.may_search(now));
  EXPECT_FALSE(guard.may_search(now + 1)); // 15 still owed
  EXPECT_TRUE(guard.may_search(now + 2));  // 5 owed: less than a second's
  guard.searched(now + 2, 5);
  EXPECT_FALSE(guard.may_search(now + 2));
  // A clock set back repays nothing then, but each second after it does.
  EXPECT_FALSE(guard.may_search(now - 3600));
  EXPECT_TRUE(guard.may_search(now - 3599));
}

TEST(BareTokenGuardTest, ASearchThatReadTheClockBeforeAnotherRepaysNothing) {
  bare_token_guard guard{10};
  EXPECT_TRUE(guard.may_search(now - 1)); // one I/O thread starts a search
  EXPECT_TRUE(guard.may_search(now));     // another, a second later
  guard.searched(now, 10);
  guard.searched(now - 1, 10); // the first ends, with the time it read
  EXPECT_FALSE(guard.may_search(now)) << "second `now` was paid once";
  EXPECT_FALSE(guard.may_search(now + 1));
  EXPECT_TRUE(guard.may_search(now + 2));
}

TEST(BareTokenGuardTest, SmallSearchesShareTheSecond) {
  bare_token_guard guard{3};
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(guard.may_search(now)) << i;
    guard.searched(now, 1);
  }
  EXPECT_FALSE(guard.may_search(now));
  EXPECT_TRUE(guard.may_search(now + 1));
}

TEST(BareTokenGuardTest, RemembersAtMostItsBound) {
  bare_token_guard guard;
  guard.remember("t-0", "sam");
  EXPECT_EQ(guard.found_for("t-0"), "sam");
  guard.forget("t-0");
  EXPECT_FALSE(guard.found_for("t-0"));
  for (std::size_t i = 0; i <= bare_token_guard::remembered_at_most; ++i)
    guard.remember("t-" + std::to_string(i), "sam");
  // The bound was reached: those before are forgotten, the last is kept.
  EXPECT_FALSE(guard.found_for("t-0"));
  EXPECT_EQ(guard.found_for(
              "t-" + std::to_string(bare_token_guard::remembered_at_most)),
            "sam");
}

} // namespace
} // namespace baton::gateway
