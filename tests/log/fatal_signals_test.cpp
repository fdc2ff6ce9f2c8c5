#include "log/fatal_signals.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace baton::log {
namespace {

// A fault says what it was and where before the process ends by it; the
// status is the signal's, as without the report.
TEST(FatalSignalsDeathTest, AFaultIsNamedWithItsStackBeforeTheProcessEnds) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
    {
      report_fatal_signals();
      std::raise(SIGSEGV);
    },
    ::testing::KilledBySignal(SIGSEGV),
    "fatal signal SIGSEGV: the process stops; the stack of the thread it "
    "hit:\n.*log_tests");
  EXPECT_EXIT(
    {
      report_fatal_signals();
      std::abort();
    },
    ::testing::KilledBySignal(SIGABRT), "fatal signal SIGABRT");
}

} // namespace
} // namespace baton::log
