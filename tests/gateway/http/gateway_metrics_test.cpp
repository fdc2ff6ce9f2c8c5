#include "gateway/http/gateway_metrics.hpp"

#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

TEST(GatewayMetricsTest, RendersEveryMetricTheProtocolNames) {
  actors::routing_metrics routing({"sales"});
  gateway_metrics gateway;
  routing.conversations_waiting.at("sales").set(3);
  routing.count_offer(actors::offer_result::timeout);
  routing.route_latency.observe(0.002);
  gateway.ws_sessions.add(2);
  gateway.count_error(engine::errc::forbidden);
  auto text = render_metrics(routing, gateway);
  for (const char* line :
       {"baton_conversations_active 0",
        "baton_conversations_waiting{queue=\"sales\"} 3",
        "baton_agents{status=\"ready\"} 0",
        "baton_offers_total{result=\"timeout\"} 1",
        "baton_transfers_total{kind=\"transfer\",result=\"completed\"} 0",
        "baton_messages_total{visibility=\"all\"} 0",
        "baton_route_latency_seconds_bucket{le=\"0.005\"} 1",
        "baton_route_latency_seconds_bucket{le=\"0.001\"} 0",
        "baton_route_latency_seconds_count 1", "baton_ws_sessions 2",
        "baton_ws_frames_total{direction=\"in\"} 0",
        "baton_request_errors_total{code=\"forbidden\"} 1",
        "# TYPE baton_route_latency_seconds histogram"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
}

} // namespace
} // namespace baton::gateway
