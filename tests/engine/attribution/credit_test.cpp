#include "engine/attribution/credit.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace baton::engine::attribution {
namespace {

class CreditTest : public ::testing::Test {
protected:
  std::set<std::string, std::less<>> managers{"max"};
  is_manager_fn is_manager = [this](std::string_view agent) {
    return managers.count(agent) > 0;
  };

  std::optional<std::string> credit_of(std::vector<std::string> newest_first,
                                       bool prefer = false) {
    return credit(newest_first, prefer, is_manager);
  }
};

TEST_F(CreditTest, NobodyTalkedToTheCustomer) {
  EXPECT_EQ(credit_of({}), std::nullopt);
  EXPECT_EQ(credit_of({}, true), std::nullopt);
}

TEST_F(CreditTest, TheNewestSenderWins) {
  EXPECT_EQ(credit_of({"bob", "alice"}), "bob");
}

TEST_F(CreditTest, AManagerIsCreditedUnlessPreferringNonManagers) {
  EXPECT_EQ(credit_of({"max", "alice"}, false), "max");
  EXPECT_EQ(credit_of({"max", "alice"}, true), "alice");
}

TEST_F(CreditTest, AManagerAloneInTheWindowIsStillCredited) {
  EXPECT_EQ(credit_of({"max"}, true), "max");
  EXPECT_EQ(credit_of({"max", "max"}, true), "max");
}

TEST_F(CreditTest, PreferringSkipsEveryManager) {
  managers.insert("mia");
  EXPECT_EQ(credit_of({"max", "mia", "alice", "bob"}, true), "alice");
}

TEST_F(CreditTest, AStaffAgentNewestIsCreditedEvenWhenPreferring) {
  EXPECT_EQ(credit_of({"bob", "max"}, true), "bob");
}

} // namespace
} // namespace baton::engine::attribution
