#include "gateway/http/attribution_query.hpp"

#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

attribution_request good(std::string_view query) {
  auto r = parse_attribution_query(query);
  if (auto* why = std::get_if<std::string>(&r)) {
    ADD_FAILURE() << why << " for " << query;
    return {};
  }
  return std::get<attribution_request>(r);
}

std::string bad(std::string_view query) {
  auto r = parse_attribution_query(query);
  auto* why = std::get_if<std::string>(&r);
  if (why == nullptr) {
    ADD_FAILURE() << "accepted: " << query;
    return {};
  }
  return *why;
}

TEST(AttributionQueryTest, ReadsCustomerAndTimeInAnyOrder) {
  auto r = good("customer=v-1&at=1767225600000");
  EXPECT_EQ(r.customer, "v-1");
  EXPECT_EQ(r.at, 1767225600000);
  EXPECT_EQ(good("at=5&customer=c&utm=x").customer, "c");
}

TEST(AttributionQueryTest, DecodesPercentEscapes) {
  EXPECT_EQ(good("customer=shop%3Au%4012&at=1").customer, "shop:u@12");
}

TEST(AttributionQueryTest, RefusesWhatIsMissingOrMalformed) {
  EXPECT_EQ(bad(""), "missing parameter 'customer'");
  EXPECT_EQ(bad("customer=c"), "missing parameter 'at'");
  EXPECT_NE(bad("customer=a%20b&at=1").find("identifier"), std::string::npos);
  EXPECT_NE(bad("customer=&at=1").find("identifier"), std::string::npos);
  EXPECT_NE(bad("customer=c&at=soon").find("Unix milliseconds"),
            std::string::npos);
  EXPECT_NE(bad("customer=c&at=-5").find("Unix milliseconds"),
            std::string::npos);
  EXPECT_NE(bad("customer=c&at=").find("Unix milliseconds"), std::string::npos);
  EXPECT_NE(bad("customer=c&at=12x").find("Unix milliseconds"),
            std::string::npos);
  EXPECT_NE(bad("customer=c%2&at=1").find("%-escape"), std::string::npos);
  EXPECT_NE(bad("customer=c&customer=d&at=1").find("twice"), std::string::npos);
}

} // namespace
} // namespace baton::gateway
