#include "gateway/http/route.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

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
      {.get = true, .target = target, .authorization = header}, cfg, state, now,
      guard);
  }

  std::string bearer(role r, const std::string& user) {
    return "Bearer " + user + ":"
           + engine::auth::sign(cfg.auth.secret, r, user, now + 60);
  }

  engine::config::config cfg;
  std::int64_t now = 1'800'000'000;
  bare_token_guard guard;
  std::string header;
};

/// The value of the route's header `name`, or "<none>".
std::string header_of(const http_route& r, std::string_view name) {
  for (const auto& h : r.headers)
    if (h.name == name)
      return h.value;
  return "<none>";
}

/// The `message` of a JSON error body.
std::string message_of(const http_route& r) {
  auto v = boost::json::parse(r.body);
  return std::string{v.at("message").as_string()};
}

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
  EXPECT_EQ(route_request(req, cfg, {.ready = true}, now, guard).action,
            http_action::websocket);
  auto draining = route_request(req, cfg, {.draining = true}, now, guard);
  EXPECT_EQ(draining.status, 503u);
  EXPECT_EQ(draining.body,
            R"({"code":"unavailable","message":"shutting down"})");
  req.target = "/v1/ws?x=1";
  auto elsewhere = route_request(req, cfg, {.ready = true}, now, guard);
  EXPECT_EQ(elsewhere.status, 404u);
  EXPECT_EQ(elsewhere.content_type, application_json);
}

TEST_F(RouteTest, UnknownPathsAre404WhateverTheMethod) {
  for (bool get : {true, false}) {
    auto r = route_request({.get = get, .target = "/v1/nope"}, cfg,
                           {.ready = true}, now, guard);
    EXPECT_EQ(r.status, 404u);
    EXPECT_EQ(r.body, R"({"code":"not_found","message":"no such endpoint"})");
    EXPECT_TRUE(r.headers.empty());
  }
}

TEST_F(RouteTest, OtherMethodsOnAKnownPathAre405WithAllow) {
  for (std::string_view target :
       {"/healthz", "/readyz", "/metrics", "/v1/queues", "/v1/attribution?x=1",
        "/v1/ws"}) {
    SCOPED_TRACE(target);
    auto r = route_request({.target = target, .authorization = "Basic x"}, cfg,
                           {.ready = true}, now, guard);
    EXPECT_EQ(r.action, http_action::reply);
    EXPECT_EQ(r.status, 405u);
    EXPECT_EQ(r.content_type, application_json);
    EXPECT_EQ(header_of(r, "Allow"), "GET, HEAD");
    auto path = target.substr(0, target.find('?'));
    EXPECT_EQ(r.body, R"({"code":"bad_request","message":"the method is not )"
                      R"(allowed on )"
                        + std::string{path} + R"(: use GET or HEAD"})");
  }
}

TEST_F(RouteTest, HeadIsRoutedAsGet) {
  auto head = [&](std::string_view target, std::string authorization = {}) {
    header = std::move(authorization);
    return route_request(
      {.head = true, .target = target, .authorization = header}, cfg,
      {.ready = true}, now, guard);
  };
  EXPECT_EQ(head("/healthz").body, "ok\n");
  EXPECT_EQ(head("/metrics").action, http_action::metrics);
  EXPECT_EQ(head("/v1/queues").status, 401u);
  EXPECT_EQ(head("/v1/queues", bearer(role::supervisor, "sam")).action,
            http_action::queues);
  EXPECT_EQ(head("/v1/ws").status, 426u);
}

TEST_F(RouteTest, GetOfV1WsWithoutAnUpgradeIs426) {
  auto r = get("/v1/ws");
  EXPECT_EQ(r.action, http_action::reply);
  EXPECT_EQ(r.status, 426u);
  EXPECT_EQ(r.content_type, application_json);
  EXPECT_EQ(header_of(r, "Upgrade"), "websocket");
  EXPECT_EQ(header_of(r, "Connection"), "Upgrade");
  EXPECT_EQ(r.body, R"x({"code":"bad_request","message":"/v1/ws takes a )x"
                    R"x(WebSocket upgrade (Connection: Upgrade, Upgrade: )x"
                    R"x(websocket)"})x");
  EXPECT_EQ(get("/v1/ws?x=1").status, 426u);
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

TEST_F(RouteTest, EachRefusalOfACredentialSaysWhy) {
  auto t = [&](role r, const std::string& user, std::int64_t exp) {
    return engine::auth::sign(cfg.auth.secret, r, user, exp);
  };
  struct refusal {
    std::string header;
    std::string message;
    std::string challenge;
  };
  const std::string invalid_token = R"(Bearer error="invalid_token", )";
  for (const auto& [authorization, message, challenge] : std::vector<refusal>{
         {"", "missing Authorization header: needs a supervisor's bearer token",
          "Bearer"},
         {"Basic c2FtOng=",
          "the Authorization header is not a Bearer credential: needs a "
          "supervisor's bearer token",
          "Bearer"},
         {"Bearer sam:yesterday",
          "malformed bearer credential: expected <user>:<token> or <token>, "
          "the token as <exp>.<sig>",
          invalid_token
            + R"(error_description="malformed bearer credential: expected )"
              R"(<user>:<token> or <token>, the token as <exp>.<sig>")"},
         {"Bearer sam:" + t(role::supervisor, "sam", now),
          "the token has expired",
          invalid_token + R"(error_description="the token has expired")"},
         {"Bearer sam:" + t(role::agent, "sam", now + 60),
          "the token is not valid for a configured supervisor",
          invalid_token
            + R"(error_description="the token is not valid for a )"
              R"(configured supervisor")"},
       }) {
    SCOPED_TRACE(authorization);
    auto r = get("/v1/queues", authorization);
    EXPECT_EQ(r.status, 401u);
    EXPECT_EQ(r.content_type, application_json);
    EXPECT_EQ(boost::json::parse(r.body).at("code").as_string(),
              "unauthorized");
    EXPECT_EQ(message_of(r), message);
    EXPECT_EQ(header_of(r, "WWW-Authenticate"), challenge);
  }
}

TEST_F(RouteTest, BareTokensPastTheSecondsBudgetAre429) {
  bare_token_guard tight{1}; // one signature a second, sam the one supervisor
  auto ask = [&](std::string_view target, const std::string& token,
                 std::int64_t at) {
    header = "Bearer " + token;
    return route_request(
      {.get = true, .target = target, .authorization = header}, cfg,
      {.ready = true}, at, tight);
  };
  auto forged = std::to_string(now + 60) + "." + std::string(64, 'a');
  EXPECT_EQ(ask("/v1/queues", forged, now).status, 401u);
  for (auto target : {"/v1/queues", "/v1/attribution?customer=v-1&at=5"}) {
    SCOPED_TRACE(target);
    auto busy = ask(target, forged, now);
    EXPECT_EQ(busy.status, 429u);
    EXPECT_EQ(busy.content_type, application_json);
    EXPECT_EQ(busy.body,
              R"({"code":"rate_limited","message":"too many bare tokens to )"
              R"(check this second: name the user, as <user>:<token>, or try )"
              R"(again in a second"})");
    EXPECT_EQ(header_of(busy, "Retry-After"), "1");
  }
  auto named = "sam:"
               + engine::auth::sign(cfg.auth.secret, role::supervisor, "sam",
                                    now + 60);
  EXPECT_EQ(ask("/v1/queues", named, now).status, 200u);
  EXPECT_EQ(ask("/v1/queues", forged, now + 1).status, 401u);
}

TEST_F(RouteTest, AnUnknownUserReadsAsAWrongToken) {
  auto other_secret = [&](const std::string& user) {
    return engine::auth::sign("another-secret", role::supervisor, user,
                              now + 60);
  };
  auto unknown = get("/v1/queues", "Bearer mallory:" + other_secret("mallory"));
  auto wrong = get("/v1/queues", "Bearer sam:" + other_secret("sam"));
  // Even a genuine token, for a user who is no supervisor.
  auto genuine = get("/v1/queues",
                     "Bearer mallory:"
                       + engine::auth::sign(cfg.auth.secret, role::supervisor,
                                            "mallory", now + 60));
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_EQ(unknown.body, genuine.body);
  EXPECT_EQ(header_of(unknown, "WWW-Authenticate"),
            header_of(wrong, "WWW-Authenticate"));
}

TEST_F(RouteTest, AttributionGivesTheMostTellingRefusalOfBothRoles) {
  auto expired_service = "Bearer shop:"
                         + engine::auth::sign(cfg.auth.secret, role::service,
                                              "shop", now - 1);
  EXPECT_EQ(
    message_of(get("/v1/attribution?customer=v-1&at=5", expired_service)),
    "the token has expired");
  auto agent = "Bearer shop:"
               + engine::auth::sign(cfg.auth.secret, role::agent, "shop",
                                    now + 60);
  EXPECT_EQ(message_of(get("/v1/attribution?customer=v-1&at=5", agent)),
            "the token is not valid for a configured supervisor or a service");
  EXPECT_EQ(message_of(get("/v1/attribution")),
            "missing Authorization header: needs a supervisor's or a "
            "service's bearer token");
}

} // namespace
} // namespace baton::gateway
