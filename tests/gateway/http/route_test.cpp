#include "gateway/http/route.hpp"

#include <gtest/gtest.h>

#include "engine/auth/token.hpp"

namespace baton::gateway {
namespace {

using engine::role;
using engine::config::staff_role;

class RouteTest : public ::testing::Test {
protected:
  RouteTest() {
    cfg.auth.secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
    engine::config::agent sam;
    sam.id = "sam";
    sam.roles = {staff_role::supervisor};
    cfg.agents = {sam};
  }

  http_route get(std::string_view target, std::string authorization = {},
                 http_server_state state = {.ready = true}) {
    header = std::move(authorization);
    return route_request(
      {.get = true, .target = target, .authorization = header}, cfg, state,
      now);
  }

  std::string bearer(role r, const std::string& user) {
    return "Bearer " + user + ":"
           + engine::auth::sign(cfg.auth.secret, r, user, now + 60);
  }

  engine::config::config cfg;
  std::int64_t now = 1'800'000'000;
  std::string header;
};

TEST_F(RouteTest, ProbesAnswerInPlainText) {
  auto health = get("/healthz?verbose");
  EXPECT_EQ(health.action, http_action::reply);
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_EQ(health.content_type, text_plain);
  EXPECT_EQ(get("/readyz").body, "ready\n");
  auto starting = get("/readyz", {}, {});
  EXPECT_EQ(starting.status, 503u);
  EXPECT_EQ(starting.body, "starting\n");
  auto draining = get("/readyz", {}, {.ready = true, .draining = true});
  EXPECT_EQ(draining.status, 503u);
  EXPECT_EQ(draining.body, "draining\n");
  auto failing = get("/readyz", {}, {.ready = true, .store_failing = true});
  EXPECT_EQ(failing.status, 503u);
  EXPECT_EQ(failing.body, "storage failing\n");
}

TEST_F(RouteTest, MetricsAreRenderedByTheSession) {
  auto r = get("/metrics");
  EXPECT_EQ(r.action, http_action::metrics);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, prometheus_text);
}

TEST_F(RouteTest, UpgradesOnlyToV1WsAndNotWhileDraining) {
  http_request_info req{.get = true, .upgrade = true, .target = "/v1/ws"};
  EXPECT_EQ(route_request(req, cfg, {.ready = true}, now).action,
            http_action::websocket);
  auto draining = route_request(req, cfg, {.draining = true}, now);
  EXPECT_EQ(draining.status, 503u);
  EXPECT_EQ(draining.body,
            R"({"code":"unavailable","message":"shutting down"})");
  req.target = "/v1/ws?x=1";
  auto elsewhere = route_request(req, cfg, {.ready = true}, now);
  EXPECT_EQ(elsewhere.status, 404u);
  EXPECT_EQ(elsewhere.content_type, application_json);
}

TEST_F(RouteTest, OnlyGetIsServed) {
  auto r = route_request({.get = false, .target = "/healthz"}, cfg,
                         {.ready = true}, now);
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.body, R"({"code":"not_found","message":"only GET is served"})");
  EXPECT_EQ(get("/v1/nope").status, 404u);
}

TEST_F(RouteTest, QueuesNeedASupervisor) {
  auto r = get("/v1/queues", bearer(role::supervisor, "sam"));
  EXPECT_EQ(r.action, http_action::queues);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, application_json);
  EXPECT_EQ(r.user, "sam");
  EXPECT_EQ(r.role, role::supervisor);
  auto refused = get("/v1/queues", bearer(role::service, "shop"));
  EXPECT_EQ(refused.action, http_action::reply);
  EXPECT_EQ(refused.status, 401u);
}

TEST_F(RouteTest, AttributionTakesASupervisorOrAServiceThenTheQuery) {
  auto r = get("/v1/attribution?customer=v-1&at=5",
               bearer(role::service, "shop"));
  EXPECT_EQ(r.action, http_action::attribution);
  EXPECT_EQ(r.user, "shop");
  EXPECT_EQ(r.role, role::service);
  EXPECT_EQ(r.query.customer, "v-1");
  EXPECT_EQ(r.query.at, 5);
  EXPECT_EQ(get("/v1/attribution?customer=v-1&at=5",
                bearer(role::supervisor, "sam"))
              .role,
            role::supervisor);
  // Credentials are checked before the query.
  EXPECT_EQ(get("/v1/attribution?at=x").status, 401u);
  auto bad = get("/v1/attribution?at=x", bearer(role::service, "shop"));
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(
    bad.body,
    R"({"code":"bad_request","message":"missing parameter 'customer'"})");
  EXPECT_EQ(get("/v1/attribution", bearer(role::service, "shop")).status, 400u);
}

} // namespace
} // namespace baton::gateway
