// The plain HTTP endpoints on the WebSocket port (spec/protocol.md,
// "Transport" and "Metrics").

#include <boost/json/parse.hpp>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class HttpTest : public server_test {};

std::string bearer(std::string_view credential) {
  return "Bearer " + std::string(credential);
}

TEST_F(HttpTest, HealthzAndReadyzAnswer200WhileServing) {
  ASSERT_TRUE(start_server());
  auto health = http_get(port(), "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body.substr(0, 2), "ok") << health->body;
  auto ready = http_get(port(), "/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
}

TEST_F(HttpTest, MetricsCarryEveryNameOfTheProtocol) {
  ASSERT_TRUE(start_server());
  auto res = http_get(port(), "/metrics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->content_type.find("text/plain"), std::string::npos)
    << res->content_type;
  EXPECT_NE(res->content_type.find("version=0.0.4"), std::string::npos)
    << res->content_type;
  const auto& body = res->body;
  // Every metric is declared with its type...
  for (const char* decl : {
         "# TYPE baton_conversations_active gauge",
         "# TYPE baton_conversations_waiting gauge",
         "# TYPE baton_agents gauge",
         "# TYPE baton_offers_total counter",
         "# TYPE baton_transfers_total counter",
         "# TYPE baton_messages_total counter",
         "# TYPE baton_route_latency_seconds histogram",
         "# TYPE baton_ws_sessions gauge",
         "# TYPE baton_ws_frames_total counter",
         "# TYPE baton_request_errors_total counter",
       })
    EXPECT_NE(body.find(decl), std::string::npos) << "missing: " << decl;
  // ... and has series with the protocol's labels.
  for (const char* series : {
         "baton_conversations_active",
         "baton_conversations_waiting{queue=\"general\"}",
         "baton_conversations_waiting{queue=\"sales\"}",
         "baton_agents{status=\"ready\"}",
         "baton_agents{status=\"not_ready\"}",
         "baton_agents{status=\"offline\"}",
         "baton_offers_total{result=\"accepted\"}",
         "baton_offers_total{result=\"timeout\"}",
         "baton_transfers_total{kind=\"transfer\",result=\"completed\"}",
         "baton_messages_total{visibility=\"all\"}",
         "baton_messages_total{visibility=\"agents\"}",
         "baton_route_latency_seconds_bucket{le=\"+Inf\"}",
         "baton_route_latency_seconds_sum",
         "baton_route_latency_seconds_count",
         "baton_ws_sessions",
         "baton_ws_frames_total{direction=\"in\"}",
         "baton_ws_frames_total{direction=\"out\"}",
         "baton_request_errors_total{code=\"bad_request\"}",
         "baton_request_errors_total{code=\"unauthorized\"}",
         "baton_request_errors_total{code=\"rate_limited\"}",
       })
    EXPECT_TRUE(find_metric(body, series)) << "missing series: " << series;
}

TEST_F(HttpTest, MetricsFollowSessionsFramesAndErrors) {
  ASSERT_TRUE(start_server());
  EXPECT_EQ(metric("baton_ws_sessions"), 0.0);
  auto errors_before
    = metric("baton_request_errors_total{code=\"bad_request\"}");
  auto frames_before = metric("baton_ws_frames_total{direction=\"in\"}");
  ASSERT_TRUE(errors_before && frames_before);

  auto c = login(role::customer, "cust-m");
  ASSERT_TRUE(c.is_open());
  EXPECT_EQ(metric("baton_ws_sessions"), 1.0);
  ASSERT_TRUE(c.send(R"({"type":"no.such.verb","id":"m1"})"));
  EXPECT_EQ(error_code(c.reply_to("m1", reply_timeout)), "bad_request");
  EXPECT_EQ(metric("baton_request_errors_total{code=\"bad_request\"}"),
            *errors_before + 1);
  EXPECT_EQ(metric("baton_ws_frames_total{direction=\"in\"}"),
            *frames_before + 2); // hello and the bad one

  c.close();
  EXPECT_TRUE(wait_metric(
    "baton_ws_sessions", [](double v) { return v == 0; }, reply_timeout))
    << scrape_metrics();
}

TEST_F(HttpTest, QueuesNeedASupervisorBearerToken) {
  ASSERT_TRUE(start_server());
  auto refused = [&](const http_headers& h, const char* what) {
    auto res = http_get(port(), "/v1/queues", h);
    ASSERT_TRUE(res) << what;
    EXPECT_EQ(res->status, 401) << what << ": " << res->body;
    boost::system::error_code ec;
    auto body = json::parse(res->body, ec);
    ASSERT_FALSE(ec) << what << ": " << res->body;
    EXPECT_EQ(str(body.as_object(), "code"), "unauthorized") << res->body;
  };
  refused({}, "no Authorization");
  refused({{"Authorization", "Basic ZXJpbjp4"}}, "not a bearer");
  refused({{"Authorization", bearer("erin:" + token(role::agent, "erin"))}},
          "erin with an agent token");
  refused({{"Authorization", bearer("alice:" + token(role::agent, "alice"))}},
          "an agent's token");
  refused(
    {{"Authorization", bearer("cust-1:" + token(role::customer, "cust-1"))}},
    "a customer's token");
  refused(
    {{"Authorization", bearer("erin:" + token(role::supervisor, "erin", -5))}},
    "an expired supervisor token");
  refused({{"Authorization", bearer(token(role::supervisor, "alice"))}},
          "a bare token for a member who is no supervisor");

  auto accepted = [&](const http_headers& h, const char* what) {
    auto res = http_get(port(), "/v1/queues", h);
    ASSERT_TRUE(res) << what;
    ASSERT_EQ(res->status, 200) << what << ": " << res->body;
    EXPECT_NE(res->content_type.find("application/json"), std::string::npos);
    boost::system::error_code ec;
    auto body = json::parse(res->body, ec);
    ASSERT_FALSE(ec) << res->body;
    auto* queues = body.as_object().if_contains("queues");
    ASSERT_TRUE(queues && queues->is_array()) << res->body;
    std::vector<std::string> ids;
    for (const auto& q : queues->as_array()) {
      ids.push_back(str(q.as_object(), "queue"));
      for (const char* field : {"name", "agents_available", "agents_ready",
                                "agents_busy", "waiting", "longest_wait_ms"})
        EXPECT_TRUE(q.as_object().contains(field))
          << "queue row without " << field << ": " << res->body;
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"general", "sales"})) << res->body;
  };
  accepted(
    {{"Authorization", bearer("erin:" + token(role::supervisor, "erin"))}},
    "user:token");
  accepted({{"Authorization", bearer(token(role::supervisor, "erin"))}},
           "a bare supervisor token");
}

// The hello of a supervisor must name a configured supervisor; the same
// token should not open /v1/queues either.
TEST_F(HttpTest, QueuesRefuseASupervisorTokenOfAnUnknownUser) {
  ASSERT_TRUE(start_server());
  auto credential = "mallory:" + token(role::supervisor, "mallory");
  auto res = http_get(port(), "/v1/queues",
                      {{"Authorization", bearer(credential)}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401)
    << "a supervisor token for a user who is not in the configuration "
       "opened /v1/queues: "
    << res->body;

  auto ws = connect();
  auto reply = ws.request({{"type", "hello"},
                           {"id", "h"},
                           {"role", "supervisor"},
                           {"user", "mallory"},
                           {"token", token(role::supervisor, "mallory")}});
  EXPECT_EQ(error_code(reply), "unauthorized") << dump(reply);
}

TEST_F(HttpTest, UnknownPathIs404WithAJsonBody) {
  ASSERT_TRUE(start_server());
  for (const char* path :
       {"/", "/nope", "/v1/queue", "/v1/ws/extra", "/metrics/x"}) {
    SCOPED_TRACE(path);
    auto res = http_get(port(), path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << res->body;
    EXPECT_NE(res->content_type.find("application/json"), std::string::npos)
      << res->content_type;
    boost::system::error_code ec;
    auto body = json::parse(res->body, ec);
    ASSERT_FALSE(ec) << res->body;
    ASSERT_TRUE(body.is_object()) << res->body;
    EXPECT_EQ(str(body.as_object(), "code"), "not_found") << res->body;
    EXPECT_FALSE(str(body.as_object(), "message").empty()) << res->body;
  }
}

} // namespace
} // namespace baton::e2e
