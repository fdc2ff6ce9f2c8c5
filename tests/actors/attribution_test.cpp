// Who may ask for attribution. The credit itself is decided from the
// stored messages: tests/e2e/attribution_test.cpp, and the stores' answer
// in tests/engine/storage/agent_messages_test.cpp.

#include "routing_fixture.hpp"

namespace baton::actors::testing {
namespace {

using engine::errc;

constexpr auto centre = R"(
[[queues]]
id = "general"

[[agents]]
id = "alice"
name = "Alice"

)";

caller service_user() {
  return {"shop", engine::role::service, "shop"};
}

class AttributionTest : public RoutingFixture {
protected:
  void SetUp() override {
    boot(centre);
  }

  reply ask(const std::string& customer_id, engine::time_ms at,
            const caller& who = service_user()) {
    return call(who, attribution_query{customer_id, at});
  }
};

TEST_F(AttributionTest, OnlySupervisorsAndServicesMayAsk) {
  login("alice");
  EXPECT_EQ(ask("cust", 0, agent("alice")).code, errc::forbidden);
  EXPECT_EQ(ask("cust", 0, customer("cust")).code, errc::forbidden);
  // Allowed, and then told that this service has no store to read the
  // messages from (tests/e2e/attribution_test.cpp reads a real one).
  EXPECT_EQ(ask("cust", 0, {"sam", engine::role::supervisor, "Sam"}).code,
            errc::unavailable);
  EXPECT_EQ(ask("cust", 0).code, errc::unavailable);
}

} // namespace
} // namespace baton::actors::testing
