#include "gateway/http/bearer.hpp"

#include <gtest/gtest.h>

#include "engine/auth/token.hpp"

namespace baton::gateway {
namespace {

using engine::role;
using engine::config::staff_role;

class BearerTest : public ::testing::Test {
protected:
  BearerTest() {
    cfg.auth.secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
    engine::config::agent alice;
    alice.id = "alice";
    engine::config::agent sam;
    sam.id = "sam";
    sam.roles = {staff_role::supervisor};
    cfg.agents = {alice, sam};
  }

  std::string token(role r, const std::string& user, std::int64_t exp) {
    return engine::auth::sign(cfg.auth.secret, r, user, exp);
  }

  engine::config::config cfg;
  std::int64_t now = 1'800'000'000;
};

TEST_F(BearerTest, SupervisorWithUserOrBareToken) {
  auto t = token(role::supervisor, "sam", now + 60);
  EXPECT_EQ(bearer_supervisor(cfg, "Bearer sam:" + t, now), "sam");
  EXPECT_EQ(bearer_supervisor(cfg, "Bearer " + t, now), "sam");
}

TEST_F(BearerTest, SupervisorRefusesOtherSchemesRolesUsersAndExpired) {
  auto t = token(role::supervisor, "sam", now + 60);
  EXPECT_FALSE(bearer_supervisor(cfg, "", now));
  EXPECT_FALSE(bearer_supervisor(cfg, "Basic sam:" + t, now));
  EXPECT_FALSE(bearer_supervisor(cfg, "bearer sam:" + t, now));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer alice:" + t, now));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer sam:" + t, now + 60));
  // A supervisor's token for a user who is not a configured supervisor.
  auto alice = token(role::supervisor, "alice", now + 60);
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer alice:" + alice, now));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer " + alice, now));
  auto agent = token(role::agent, "sam", now + 60);
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer sam:" + agent, now));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer ", now));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer :", now));
}

TEST_F(BearerTest, ServiceNeedsTheUserAndNoConfiguration) {
  auto t = token(role::service, "shop", now + 60);
  EXPECT_EQ(bearer_service(cfg, "Bearer shop:" + t, now), "shop");
  EXPECT_FALSE(bearer_service(cfg, "Bearer " + t, now));
  EXPECT_FALSE(bearer_service(cfg, "Bearer other:" + t, now));
  EXPECT_FALSE(bearer_service(cfg, "Bearer shop:" + t, now + 60));
  auto supervisor = token(role::supervisor, "sam", now + 60);
  EXPECT_FALSE(bearer_service(cfg, "Bearer sam:" + supervisor, now));
}

} // namespace
} // namespace baton::gateway
