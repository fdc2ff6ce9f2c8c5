#include "gateway/http/bearer.hpp"

#include <stdexcept>

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
  bare_token_guard guard;
};

TEST_F(BearerTest, SupervisorWithUserOrBareToken) {
  auto t = token(role::supervisor, "sam", now + 60);
  EXPECT_EQ(bearer_supervisor(cfg, "Bearer sam:" + t, now, guard), "sam");
  EXPECT_EQ(bearer_supervisor(cfg, "Bearer " + t, now, guard), "sam");
}

TEST_F(BearerTest, SupervisorRefusesOtherSchemesRolesUsersAndExpired) {
  auto t = token(role::supervisor, "sam", now + 60);
  EXPECT_FALSE(bearer_supervisor(cfg, "", now, guard));
  EXPECT_FALSE(bearer_supervisor(cfg, "Basic sam:" + t, now, guard));
  EXPECT_FALSE(bearer_supervisor(cfg, "bearer sam:" + t, now, guard));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer alice:" + t, now, guard));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer sam:" + t, now + 60, guard));
  // A supervisor's token for a user who is not a configured supervisor.
  auto alice = token(role::supervisor, "alice", now + 60);
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer alice:" + alice, now, guard));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer " + alice, now, guard));
  auto agent = token(role::agent, "sam", now + 60);
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer sam:" + agent, now, guard));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer ", now, guard));
  EXPECT_FALSE(bearer_supervisor(cfg, "Bearer :", now, guard));
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

TEST_F(BearerTest, SupervisorRefusalsSayWhy) {
  auto why = [&](const std::string& header, std::int64_t at) {
    auto r = check_supervisor(cfg, header, at, guard);
    return std::holds_alternative<bearer_refusal>(r)
             ? std::get<bearer_refusal>(r)
             : throw std::logic_error("accepted " + header);
  };
  auto t = token(role::supervisor, "sam", now + 60);
  using enum bearer_refusal;
  EXPECT_EQ(why("", now), missing);
  EXPECT_EQ(why("Basic sam:" + t, now), not_bearer);
  EXPECT_EQ(why("bearer sam:" + t, now), not_bearer);
  EXPECT_EQ(why("Bearer", now), malformed);
  EXPECT_EQ(why("Bearer ", now), malformed);
  EXPECT_EQ(why("Bearer :" + t, now), malformed);
  EXPECT_EQ(why("Bearer sam:", now), malformed);
  EXPECT_EQ(why("Bearer sam:123.abc", now), malformed);
  EXPECT_EQ(why("Bearer 123.abc", now), malformed);
  EXPECT_EQ(why("Bearer sam:" + t, now + 60), expired);
  EXPECT_EQ(why("Bearer " + t, now + 60), expired);
  EXPECT_EQ(why("Bearer sam:" + token(role::agent, "sam", now + 60), now),
            invalid);
  EXPECT_EQ(why("Bearer " + token(role::agent, "sam", now + 60), now), invalid);
  // Signed for alice, who is no supervisor, or for nobody configured:
  // forged or genuine, expired or not, it reads as a wrong token.
  for (const char* user : {"alice", "mallory"})
    for (auto exp : {now + 60, now - 60}) {
      auto genuine = token(role::supervisor, user, exp);
      auto forged = engine::auth::sign("other", role::supervisor, user, exp);
      EXPECT_EQ(why("Bearer " + std::string{user} + ":" + genuine, now),
                invalid)
        << user;
      EXPECT_EQ(why("Bearer " + std::string{user} + ":" + forged, now), invalid)
        << user;
    }
}

TEST_F(BearerTest, ABareTokenIsMalformedEvenWithNoSupervisorConfigured) {
  cfg.agents.clear();
  auto r = check_supervisor(cfg, "Bearer 12.zz", now, guard);
  EXPECT_EQ(std::get<bearer_refusal>(r), bearer_refusal::malformed);
  r = check_supervisor(cfg, "Bearer " + token(role::supervisor, "sam", now),
                       now, guard);
  EXPECT_EQ(std::get<bearer_refusal>(r), bearer_refusal::invalid);
}

TEST_F(BearerTest, ABareTokenFoundGoodIsCheckedAgainWithoutASearch) {
  bare_token_guard tight{1}; // one signature a second: sam's search spends it
  auto t = token(role::supervisor, "sam", now + 60);
  auto forged = std::to_string(now + 60) + "." + std::string(64, 'a');
  EXPECT_EQ(bearer_supervisor(cfg, "Bearer " + t, now, tight), "sam");
  EXPECT_EQ(std::get<bearer_refusal>(
              check_supervisor(cfg, "Bearer " + forged, now, tight)),
            bearer_refusal::busy);
  EXPECT_EQ(bearer_supervisor(cfg, "Bearer " + t, now, tight), "sam");
  // A named token is one signature, whatever the budget.
  EXPECT_EQ(bearer_supervisor(cfg, "Bearer sam:" + t, now, tight), "sam");
  // Each second pays one signature back.
  EXPECT_EQ(std::get<bearer_refusal>(
              check_supervisor(cfg, "Bearer " + forged, now + 1, tight)),
            bearer_refusal::invalid);
  EXPECT_EQ(std::get<bearer_refusal>(
              check_supervisor(cfg, "Bearer " + forged, now + 1, tight)),
            bearer_refusal::busy);
}

TEST_F(BearerTest, ARememberedBareTokenFollowsTheRosterAndTheSecret) {
  auto t = token(role::supervisor, "sam", now + 60);
  EXPECT_EQ(bearer_supervisor(cfg, "Bearer " + t, now, guard), "sam");
  auto reloaded = cfg;
  reloaded.agents[1].roles.clear(); // sam is a supervisor no more
  EXPECT_EQ(std::get<bearer_refusal>(
              check_supervisor(reloaded, "Bearer " + t, now, guard)),
            bearer_refusal::invalid);
  EXPECT_FALSE(guard.found_for(t));
  EXPECT_EQ(bearer_supervisor(cfg, "Bearer " + t, now, guard), "sam");
  reloaded = cfg;
  reloaded.auth.secret = "another-secret-another-secret-another";
  EXPECT_FALSE(bearer_supervisor(reloaded, "Bearer " + t, now, guard));
  EXPECT_EQ(std::get<bearer_refusal>(
              check_supervisor(cfg, "Bearer " + t, now + 60, guard)),
            bearer_refusal::expired);
}

TEST_F(BearerTest, ServiceRefusalsSayWhy) {
  auto t = token(role::service, "shop", now + 60);
  auto why = [&](const std::string& header, std::int64_t at) {
    return std::get<bearer_refusal>(check_service(cfg, header, at));
  };
  using enum bearer_refusal;
  EXPECT_EQ(why("", now), missing);
  EXPECT_EQ(why("Token " + t, now), not_bearer);
  EXPECT_EQ(why("Bearer " + t, now), malformed); // a service names itself
  EXPECT_EQ(why("Bearer :" + t, now), malformed);
  EXPECT_EQ(why("Bearer shop:" + t, now + 60), expired);
  EXPECT_EQ(why("Bearer other:" + t, now), invalid);
}

TEST_F(BearerTest, TheMoreTellingRefusalWins) {
  using enum bearer_refusal;
  EXPECT_EQ(refusal_of(malformed, expired), expired);
  EXPECT_EQ(refusal_of(invalid, malformed), invalid);
  EXPECT_EQ(refusal_of(expired, invalid), expired);
  EXPECT_EQ(refusal_of(missing, missing), missing);
  EXPECT_EQ(refusal_of(busy, malformed), busy); // a bare token, unchecked
}

} // namespace
} // namespace baton::gateway
