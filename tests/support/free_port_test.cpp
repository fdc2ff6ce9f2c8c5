#include "tests/support/free_port.hpp"

#include <gtest/gtest.h>

#include <set>

namespace baton::test_support {
namespace {

// A test starts several servers (nodes, a balancer, a database) each on a
// port asked for before any of them binds: none may be given twice.
TEST(FreePortTest, NoPortIsGivenTwice) {
  std::set<std::uint16_t> given;
  for (int i = 0; i < 2000; ++i) {
    auto port = free_loopback_port();
    ASSERT_NE(port, 0) << "none left after " << i;
    EXPECT_TRUE(given.insert(port).second) << port << " given twice";
  }
}

} // namespace
} // namespace baton::test_support
