#include "engine/attribution/ledger.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace baton::engine::attribution {
namespace {

constexpr duration_ms window = 1000;

class LedgerTest : public ::testing::Test {
protected:
  ledger log{window};
  std::set<std::string, std::less<>> managers{"max"};
  is_manager_fn is_manager = [this](std::string_view agent) {
    return managers.count(agent) > 0;
  };

  std::optional<std::string> credit(time_ms at, bool prefer = false) {
    return log.credit("cust", at, prefer, is_manager);
  }
};

TEST_F(LedgerTest, NobodyTalkedToTheCustomer) {
  EXPECT_EQ(credit(5000), std::nullopt);
  log.record("other", "alice", 4900);
  EXPECT_EQ(credit(5000), std::nullopt);
}

TEST_F(LedgerTest, TheLastAgentBeforeTheOrderWins) {
  log.record("cust", "alice", 100);
  log.record("cust", "bob", 200);
  EXPECT_EQ(credit(250), "bob");
  EXPECT_EQ(credit(200), "bob") << "a message at the order's time counts";
  EXPECT_EQ(credit(150), "alice") << "later messages do not count";
  EXPECT_EQ(credit(50), std::nullopt);
}

TEST_F(LedgerTest, OnlyTheWindowCounts) {
  log.record("cust", "alice", 100);
  EXPECT_EQ(credit(100 + window), "alice");
  EXPECT_EQ(credit(101 + window), std::nullopt);
}

TEST_F(LedgerTest, MessagesOutOfOrderAreSortedIn) {
  log.record("cust", "bob", 300);
  log.record("cust", "alice", 200);
  EXPECT_EQ(credit(250), "alice");
  EXPECT_EQ(credit(350), "bob");
}

TEST_F(LedgerTest, AManagerIsCreditedUnlessPreferringNonManagers) {
  log.record("cust", "alice", 100);
  log.record("cust", "max", 200);
  EXPECT_EQ(credit(300, false), "max");
  EXPECT_EQ(credit(300, true), "alice");
}

TEST_F(LedgerTest, AManagerAloneInTheWindowIsStillCredited) {
  log.record("cust", "alice", 100);
  log.record("cust", "max", 1500);
  EXPECT_EQ(credit(1600, true), "max") << "alice is out of the window";
  log.record("cust", "max", 1550);
  EXPECT_EQ(credit(1600, true), "max");
}

TEST_F(LedgerTest, PreferringSkipsEveryManager) {
  managers.insert("mia");
  log.record("cust", "alice", 100);
  log.record("cust", "mia", 150);
  log.record("cust", "max", 200);
  EXPECT_EQ(credit(300, true), "alice");
}

TEST_F(LedgerTest, OldMessagesArePrunedAsNewOnesCome) {
  log.record("cust", "alice", 100);
  log.record("cust", "bob", 100 + 2 * window);
  EXPECT_EQ(credit(100 + window / 2), std::nullopt) << "alice's went";
}

TEST_F(LedgerTest, PruneForgetsQuietCustomers) {
  log.record("cust", "alice", 100);
  log.record("other", "bob", 900);
  log.prune(100 + window + 1);
  EXPECT_EQ(log.customers(), 1u);
  EXPECT_EQ(log.credit("other", 1000, false, is_manager), "bob");
}

TEST_F(LedgerTest, OneCustomerKeepsABoundedLog) {
  ledger wide{1'000'000};
  for (time_ms t = 0; t < 3000; ++t)
    wide.record("cust", t % 2 == 0 ? "alice" : "bob", t);
  EXPECT_EQ(wide.credit("cust", 2999, false, is_manager), "bob");
  EXPECT_EQ(wide.credit("cust", 10, false, is_manager), std::nullopt)
    << "only the newest " << ledger::max_per_customer << " are kept";
}

} // namespace
} // namespace baton::engine::attribution
