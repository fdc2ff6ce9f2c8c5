#include "gateway/http/gateway_metrics.hpp"

#include <set>
#include <string_view>

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
  auto text = render_metrics(routing, gateway, {});
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

TEST(GatewayMetricsTest, ProcessSeriesAreNamedAsTheClientLibrariesName) {
  actors::routing_metrics routing({});
  gateway_metrics gateway;
  process_stats p{.cpu_seconds = 12.34,
                  .resident_bytes = 123456789,
                  .virtual_bytes = 987654321,
                  .open_fds = 17,
                  .max_fds = 1048576,
                  .start_time_seconds = 1712345678.25};
  auto text = render_metrics(routing, gateway, p);
  // Whole numbers, not the stream's 1.23457e+08.
  for (const char* line :
       {"# TYPE process_cpu_seconds_total counter\n"
        "process_cpu_seconds_total 12.34\n",
        "# TYPE process_resident_memory_bytes gauge\n"
        "process_resident_memory_bytes 123456789\n",
        "# TYPE process_virtual_memory_bytes gauge\n"
        "process_virtual_memory_bytes 987654321\n",
        "# TYPE process_open_fds gauge\nprocess_open_fds 17\n",
        "# TYPE process_max_fds gauge\n"
        "process_max_fds 1048576\n",
        "# TYPE process_start_time_seconds gauge\n"
        "process_start_time_seconds 1712345678.25\n",
        "# HELP process_cpu_seconds_total Total user and "
        "system CPU time spent in seconds.\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
}

TEST(GatewayMetricsTest, ProcessSeriesThatCouldNotBeReadAreLeftOut) {
  actors::routing_metrics routing({});
  gateway_metrics gateway;
  auto text = render_metrics(routing, gateway, {.open_fds = 5});
  EXPECT_NE(text.find("\nprocess_open_fds 5\n"), std::string::npos);
  EXPECT_EQ(text.find("process_resident_memory_bytes"), std::string::npos);
  EXPECT_EQ(text.find("process_start_time_seconds"), std::string::npos);
}

TEST(GatewayMetricsTest, BuildInfoCarriesTheVersion) {
  actors::routing_metrics routing({});
  gateway_metrics gateway;
  ASSERT_FALSE(build_version().empty());
  auto text = render_metrics(routing, gateway, {});
  EXPECT_NE(text.find("# TYPE baton_build_info gauge\nbaton_build_info{"
                      "version=\""
                      + std::string{build_version()} + "\"} 1\n"),
            std::string::npos)
    << text;
}

TEST(GatewayMetricsTest, SumsKeepEveryDigit) {
  actors::routing_metrics routing({});
  gateway_metrics gateway;
  routing.route_latency.observe(1234.5678);
  auto text = render_metrics(routing, gateway, {});
  EXPECT_NE(text.find("\nbaton_route_latency_seconds_sum 1234.5678\n"),
            std::string::npos)
    << text;
}

/// Every sample belongs to a family declared with `# HELP` then `# TYPE`.
TEST(GatewayMetricsTest, EverySeriesHasHelpAndType) {
  actors::routing_metrics routing({"sales", "general"});
  gateway_metrics gateway;
  auto text = render_metrics(routing, gateway, read_process_stats());
  std::set<std::string, std::less<>> helped, typed;
  std::string_view rest = text;
  int samples = 0;
  while (!rest.empty()) {
    auto eol = rest.find('\n');
    ASSERT_NE(eol, std::string_view::npos) << "the text ends with a newline";
    auto line = rest.substr(0, eol);
    rest.remove_prefix(eol + 1);
    auto word = [&](std::size_t i) {
      std::string_view l = line;
      for (; i > 0; --i)
        l.remove_prefix(l.find(' ') + 1);
      return std::string{l.substr(0, l.find(' '))};
    };
    if (line.starts_with("# HELP ")) {
      helped.insert(word(2));
    } else if (line.starts_with("# TYPE ")) {
      EXPECT_TRUE(helped.contains(word(2))) << line;
      typed.insert(word(2));
    } else {
      ++samples;
      auto name = std::string{line.substr(0, line.find_first_of("{ "))};
      for (std::string_view suffix : {"_bucket", "_sum", "_count"})
        if (!typed.contains(name) && name.ends_with(suffix))
          name.resize(name.size() - suffix.size());
      EXPECT_TRUE(typed.contains(name)) << line;
    }
  }
  EXPECT_GT(samples, 40);
  for (const char* family :
       {"process_cpu_seconds_total", "process_resident_memory_bytes",
        "process_virtual_memory_bytes", "process_open_fds", "process_max_fds",
        "process_start_time_seconds", "baton_build_info"})
    EXPECT_TRUE(typed.contains(family)) << family;
}

} // namespace
} // namespace baton::gateway
