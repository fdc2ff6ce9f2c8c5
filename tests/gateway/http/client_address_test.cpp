#include "gateway/http/client_address.hpp"

#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

const std::vector<std::string> balancers{"10.0.0.5", "10.0.0.6"};

TEST(ClientAddressTest, APeerNotTrustedIsTheClientWhateverItForwards) {
  EXPECT_EQ(client_address("203.0.113.7", "198.51.100.1", balancers),
            "203.0.113.7");
  EXPECT_EQ(client_address("203.0.113.7", "", {}), "203.0.113.7");
}

TEST(ClientAddressTest, ATrustedProxyNamesTheClientItHeardFrom) {
  EXPECT_EQ(client_address("10.0.0.5", "198.51.100.1", balancers),
            "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.5", "198.51.100.1, 10.0.0.6", balancers),
            "198.51.100.1")
    << "two proxies of ours in a row";
}

TEST(ClientAddressTest, WhatTheClientWroteBeforeTheProxyIsNotBelieved) {
  EXPECT_EQ(client_address("10.0.0.5", "1.2.3.4, 198.51.100.1", balancers),
            "198.51.100.1")
    << "the rightmost address not ours, not the client's own claim";
  EXPECT_EQ(client_address("10.0.0.5", "1.2.3.4,not-an-address", balancers),
            "10.0.0.5")
    << "a malformed entry ends the walk: the proxy is all that is known";
}

TEST(ClientAddressTest, NoHeaderFromATrustedProxyLeavesThePeer) {
  EXPECT_EQ(client_address("10.0.0.5", "", balancers), "10.0.0.5");
}

TEST(ClientAddressTest, AddressesCompareAsAddresses) {
  EXPECT_EQ(client_address("::1", "2001:db8::0001", {"0:0:0:0:0:0:0:1"}),
            "2001:db8::1");
}

} // namespace
} // namespace baton::gateway
