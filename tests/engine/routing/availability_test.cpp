#include "engine/routing/availability.hpp"

#include <gtest/gtest.h>

namespace baton::engine {
namespace {

constexpr agent_standing ready_with_room{agent_status::ready, true, 1, 2};

agent_standing with(agent_status s, bool connected, std::int32_t load) {
  return {s, connected, load, 2};
}

TEST(AvailabilityTest, RoutingNeedsReadyConnectedAndRoom) {
  EXPECT_EQ(unavailable(ready_with_room, reach::routing), std::nullopt);
  EXPECT_EQ(unavailable(with(agent_status::ready, false, 0), reach::routing),
            offer_end::agent_offline);
  EXPECT_EQ(unavailable(with(agent_status::offline, true, 0), reach::routing),
            offer_end::agent_offline)
    << "an agent who chose offline is offline to routing";
  EXPECT_EQ(unavailable(with(agent_status::not_ready, true, 0), reach::routing),
            offer_end::agent_not_ready);
  EXPECT_EQ(unavailable(with(agent_status::ready, true, 2), reach::routing),
            offer_end::agent_full);
}

TEST(AvailabilityTest, AnAssignmentReachesEveryStatusButNeedsASessionAndRoom) {
  for (auto s :
       {agent_status::ready, agent_status::not_ready, agent_status::offline})
    EXPECT_EQ(unavailable(with(s, true, 1), reach::any_status), std::nullopt)
      << to_string(s);
  EXPECT_EQ(unavailable(with(agent_status::not_ready, false, 0),
                        reach::any_status),
            offer_end::agent_offline)
    << "nobody is there to see the offer";
  EXPECT_EQ(unavailable(with(agent_status::not_ready, true, 2),
                        reach::any_status),
            offer_end::agent_full);
}

TEST(AvailabilityTest, OverCapacityNeedsOnlyASession) {
  EXPECT_EQ(unavailable(with(agent_status::not_ready, true, 5),
                        reach::over_capacity),
            std::nullopt);
  EXPECT_EQ(unavailable(with(agent_status::ready, false, 0),
                        reach::over_capacity),
            offer_end::agent_offline);
}

} // namespace
} // namespace baton::engine
