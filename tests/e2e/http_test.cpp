// The plain HTTP endpoints on the WebSocket port (docs/protocol.md,
// "Transport" and "Metrics").

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <set>
#include <vector>

#include <boost/json/parse.hpp>

#include "engine/auth/token.hpp"
#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class HttpTest : public server_test {};

std::string bearer(std::string_view credential) {
  return "Bearer " + std::string(credential);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// An answer with every header, read off the socket as it came.
struct raw_response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers; ///< lowercase
  std::string body;
  bool has(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (n == lower(name))
        return true;
    return false;
  }
  /// The value of `name`, "" when absent.
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (n == lower(name))
        return v;
    return {};
  }
};

/// `request`, bytes as they are, on a fresh connection: the answer is all
/// the server sends before it closes. Plain sockets: the e2e client speaks
/// GET only and keeps no headers but Content-Type.
std::optional<raw_response> exchange_raw(std::uint16_t port,
                                         const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return std::nullopt;
  timeval timeout{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string text;
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0
            && ::send(fd, request.data(), request.size(), MSG_NOSIGNAL)
                 == static_cast<ssize_t>(request.size());
  while (ok) {
    char buf[4096];
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0)
      break;
    ok = n > 0; // an error, or no answer within the timeout
    if (ok)
      text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  auto end = text.find("\r\n\r\n");
  if (!ok || end == std::string::npos || text.substr(0, 9) != "HTTP/1.1 ")
    return std::nullopt;
  raw_response res;
  res.status = std::atoi(text.c_str() + 9);
  res.body = text.substr(end + 4);
  std::string_view head(text.data(), end);
  head.remove_prefix(head.find("\r\n") + 2);
  while (!head.empty()) {
    auto eol = head.find("\r\n");
    auto line = head.substr(0, eol);
    head = eol == std::string_view::npos ? std::string_view{}
                                         : head.substr(eol + 2);
    auto colon = line.find(':');
    auto value = line.substr(colon + 1);
    value.remove_prefix(std::min(value.find_first_not_of(' '), value.size()));
    res.headers.emplace_back(lower(line.substr(0, colon)), std::string(value));
  }
  return res;
}

/// One request with any method, on a fresh connection that it closes
/// (`Connection: close`).
std::optional<raw_response>
exchange(std::uint16_t port, std::string_view method, std::string_view target,
         const http_headers& headers = {}) {
  std::string request = std::string(method) + " " + std::string(target)
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Connection: close\r\n";
  for (const auto& [name, value] : headers)
    request += name + ": " + value + "\r\n";
  request += "\r\n";
  return exchange_raw(port, request);
}

/// The body's `code` and `message`; fails the test when it is not a JSON
/// error object.
std::pair<std::string, std::string> error_of(const raw_response& res) {
  boost::system::error_code ec;
  auto body = json::parse(res.body, ec);
  if (ec || !body.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << res.body;
    return {};
  }
  return {str(body.as_object(), "code"), str(body.as_object(), "message")};
}

/// A connection to the server that sends nothing: -1 when it fails.
int idle_connection(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0
      && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST_F(HttpTest, PlainConnectionsCountAgainstMaxSessions) {
  server_config cfg;
  cfg.max_sessions = 3;
  ASSERT_TRUE(start_server(cfg));
  std::vector<int> idle;
  for (int i = 0; i < 3; ++i)
    idle.push_back(idle_connection(port()));
  ASSERT_TRUE(std::ranges::none_of(idle, [](int fd) { return fd < 0; }));
  EXPECT_FALSE(exchange(port(), "GET", "/healthz"))
    << "three idle connections hold every place: a fourth is closed unanswered";

  ::close(idle.back());
  idle.pop_back();
  // Its place comes back once the server has seen it close.
  bool answered = false;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!answered && std::chrono::steady_clock::now() < until)
    answered = exchange(port(), "GET", "/healthz").has_value();
  EXPECT_TRUE(answered);
  for (int fd : idle)
    ::close(fd);
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
         "# TYPE baton_http_connections gauge",
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
       {"/nope", "/v1/queue", "/v1/ws/extra", "/metrics/x", "/widget/x"}) {
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

TEST_F(HttpTest, GetOfV1WsWithoutAnUpgradeIs426) {
  ASSERT_TRUE(start_server());
  auto res = exchange(port(), "GET", "/v1/ws");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 426) << res->body;
  EXPECT_EQ(lower(res->header("Upgrade")), "websocket");
  EXPECT_NE(lower(res->header("Connection")).find("upgrade"), std::string::npos)
    << res->header("Connection");
  EXPECT_NE(res->header("Content-Type").find("application/json"),
            std::string::npos);
  auto [code, message] = error_of(*res);
  EXPECT_EQ(code, "bad_request");
  EXPECT_FALSE(message.empty());
  // The same port still upgrades.
  EXPECT_TRUE(connect().is_open());
}

TEST_F(HttpTest, OtherMethodsOnAKnownPathAre405WithAllow) {
  ASSERT_TRUE(start_server());
  for (auto [method, path] : std::vector<std::pair<const char*, const char*>>{
         {"POST", "/metrics"},
         {"DELETE", "/v1/queues"},
         {"PUT", "/healthz"},
         {"POST", "/v1/attribution?customer=v-1&at=1"},
         {"OPTIONS", "/readyz"},
         {"POST", "/v1/ws"}}) {
    SCOPED_TRACE(std::string(method) + " " + path);
    auto res = exchange(port(), method, path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 405) << res->body;
    EXPECT_EQ(res->header("Allow"), "GET, HEAD");
    EXPECT_EQ(error_of(*res).first, "bad_request");
  }
  // An unknown path stays 404, whatever the method.
  auto unknown = exchange(port(), "POST", "/v1/nope");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
  EXPECT_FALSE(unknown->has("Allow"));
}

TEST_F(HttpTest, HeadAnswersAsGetWithoutTheBody) {
  ASSERT_TRUE(start_server());
  auto health = exchange(port(), "HEAD", "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->header("Content-Length"), "3"); // "ok\n"
  EXPECT_EQ(health->body, "");

  auto metrics = exchange(port(), "HEAD", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->header("Content-Type").find("version=0.0.4"),
            std::string::npos);
  EXPECT_GT(std::atoi(metrics->header("Content-Length").c_str()), 1000);
  EXPECT_EQ(metrics->body, "");

  auto queues = exchange(
    port(), "HEAD", "/v1/queues",
    {{"Authorization", bearer("erin:" + token(role::supervisor, "erin"))}});
  ASSERT_TRUE(queues);
  EXPECT_EQ(queues->status, 200);
  EXPECT_GT(std::atoi(queues->header("Content-Length").c_str()), 10);
  EXPECT_EQ(queues->body, "");
}

TEST_F(HttpTest, EachRefusalOfACredentialIsItsOwn401) {
  ASSERT_TRUE(start_server());
  struct refusal {
    const char* what;
    http_headers headers;
    /// The `error` of the challenge, "" when it must have none.
    const char* error;
  };
  std::vector<refusal> refusals{
    {"missing", {}, ""},
    {"not bearer", {{"Authorization", "Basic ZXJpbjp4"}}, ""},
    {"malformed",
     {{"Authorization", bearer("erin:not-a-token")}},
     "invalid_token"},
    {"expired",
     {{"Authorization", bearer("erin:" + token(role::supervisor, "erin", -5))}},
     "invalid_token"},
    {"invalid",
     {{"Authorization", bearer("erin:" + token(role::agent, "erin"))}},
     "invalid_token"},
  };
  std::set<std::string> messages;
  for (const auto& [what, headers, error] : refusals) {
    SCOPED_TRACE(what);
    for (const char* path :
         {"/v1/queues", "/v1/attribution?customer=v-1&at=1"}) {
      auto res = exchange(port(), "GET", path, headers);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 401) << path << ": " << res->body;
      auto [code, message] = error_of(*res);
      EXPECT_EQ(code, "unauthorized") << res->body;
      messages.insert(message);
      auto challenge = res->header("WWW-Authenticate");
      EXPECT_EQ(challenge.substr(0, 6), "Bearer") << challenge;
      if (*error == '\0') {
        EXPECT_EQ(challenge.find("error="), std::string::npos) << challenge;
      } else {
        EXPECT_NE(challenge.find(std::string(" error=\"") + error + "\""),
                  std::string::npos)
          << challenge;
        // The description is the message (RFC 6750, section 3).
        EXPECT_NE(challenge.find("error_description=\"" + message + "\""),
                  std::string::npos)
          << challenge;
      }
    }
  }
  // Each reason its own text; missing, not-bearer and invalid also name
  // whom each endpoint takes.
  EXPECT_EQ(messages.size(), 8u);
  EXPECT_TRUE(messages.contains("the token has expired"));
}

// Whether mallory is configured must not show: a supervisor token for her
// reads as a wrong token for erin does.
TEST_F(HttpTest, An401DoesNotTellWhetherTheUserIsConfigured) {
  ASSERT_TRUE(start_server());
  auto unknown
    = exchange(port(), "GET", "/v1/queues",
               {{"Authorization",
                 bearer("mallory:" + token(role::supervisor, "mallory"))}});
  auto forged = engine::auth::sign("not-the-secret", role::supervisor, "erin",
                                   4'000'000'000);
  auto wrong = exchange(port(), "GET", "/v1/queues",
                        {{"Authorization", bearer("erin:" + forged)}});
  ASSERT_TRUE(unknown && wrong);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(unknown->body, wrong->body);
  EXPECT_EQ(unknown->header("WWW-Authenticate"),
            wrong->header("WWW-Authenticate"));
}

TEST_F(HttpTest, MetricsCarryProcessSeriesAndBuildInfo) {
  auto before = std::chrono::system_clock::now();
  ASSERT_TRUE(start_server());
  auto body = scrape_metrics();
  for (const char* family :
       {"process_cpu_seconds_total counter",
        "process_resident_memory_bytes gauge",
        "process_virtual_memory_bytes gauge", "process_open_fds gauge",
        "process_max_fds gauge", "process_start_time_seconds gauge",
        "baton_build_info gauge"}) {
    auto name = std::string(family).substr(0, std::string(family).find(' '));
    EXPECT_NE(body.find("# HELP " + name + " "), std::string::npos) << name;
    EXPECT_NE(body.find(std::string("# TYPE ") + family), std::string::npos)
      << family;
  }
  auto resident = find_metric(body, "process_resident_memory_bytes");
  auto virt = find_metric(body, "process_virtual_memory_bytes");
  auto cpu = find_metric(body, "process_cpu_seconds_total");
  auto max_fds = find_metric(body, "process_max_fds");
  auto start = find_metric(body, "process_start_time_seconds");
  ASSERT_TRUE(resident && virt && cpu && max_fds && start) << body;
  EXPECT_GT(*resident, 1 << 20);
  EXPECT_GE(*virt, *resident);
  EXPECT_GE(*cpu, 0.0);
  rlimit files{};
  ASSERT_EQ(::prlimit(server().pid(), RLIMIT_NOFILE, nullptr, &files), 0);
  EXPECT_EQ(*max_fds, static_cast<double>(files.rlim_cur));
  // Started by this test: boot time and start are rounded down by up to a
  // second each.
  auto unix_s = [](std::chrono::system_clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
  };
  EXPECT_GE(*start, unix_s(before) - 2.5);
  EXPECT_LE(*start, unix_s(std::chrono::system_clock::now()));

  // The version is the one `baton --version` prints.
  std::string printed;
  if (auto* p = ::popen(BATON_BINARY " --version", "r")) {
    char buf[128];
    while (std::fgets(buf, sizeof buf, p) != nullptr)
      printed += buf;
    ::pclose(p);
  }
  ASSERT_EQ(printed.substr(0, 6), "baton ") << printed;
  auto version = printed.substr(6, printed.find('\n') - 6);
  EXPECT_EQ(find_metric(body, "baton_build_info{version=\"" + version + "\"}"),
            1.0)
    << body;
}

TEST_F(HttpTest, OpenFdsFollowConnections) {
  ASSERT_TRUE(start_server());
  auto before = metric("process_open_fds");
  ASSERT_TRUE(before);
  std::vector<ws_client> clients;
  for (int i = 0; i < 3; ++i)
    clients.push_back(connect());
  // Each accepted session holds its socket; the process's numbers are read
  // again at most once a second.
  EXPECT_TRUE(wait_metric(
    "process_open_fds", [&](double n) { return n >= *before + 3; }, 5000ms));
}

TEST_F(HttpTest, ARequestThatCannotBeReadIsAnsweredThenClosed) {
  ASSERT_TRUE(start_server());
  using error = std::pair<std::string, std::string>;
  auto long_headers = exchange(port(), "GET", "/healthz",
                               {{"X-Padding", std::string(9000, 'x')}});
  ASSERT_TRUE(long_headers);
  EXPECT_EQ(long_headers->status, 431);
  EXPECT_EQ(error_of(*long_headers),
            (error{"bad_request",
                   "the request line and headers are larger than 8192 bytes"}));
  EXPECT_EQ(long_headers->header("connection"), "close");

  // One header alone over the limit is still the headers'.
  auto long_header = exchange(port(), "GET", "/healthz",
                              {{"Cookie", std::string(20000, 'c')}});
  ASSERT_TRUE(long_header);
  EXPECT_EQ(long_header->status, 431);

  auto long_target = exchange(port(), "GET", "/" + std::string(9000, 'p'), {});
  ASSERT_TRUE(long_target);
  EXPECT_EQ(long_target->status, 414);
  EXPECT_EQ(
    error_of(*long_target),
    (error{"bad_request", "the request line is longer than 8192 bytes"}));

  // The body is sent whole, unread by the server: the answer still arrives.
  auto long_body = exchange_raw(port(),
                                "POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Length: 60000\r\n\r\n"
                                  + std::string(60000, 'x'));
  ASSERT_TRUE(long_body);
  EXPECT_EQ(long_body->status, 413);
  EXPECT_EQ(
    error_of(*long_body),
    (error{"bad_request", "the request body is larger than 8192 bytes"}));

  auto garbled = exchange(port(), "GET", "/healthz and more", {});
  ASSERT_TRUE(garbled);
  EXPECT_EQ(garbled->status, 400);
  EXPECT_EQ(error_of(*garbled).first, "bad_request");

  // Any version but 1.0 and 1.1 does not parse.
  auto other_version
    = exchange_raw(port(), "GET /healthz HTTP/1.2\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(other_version);
  EXPECT_EQ(other_version->status, 400);
  EXPECT_EQ(
    error_of(*other_version),
    (error{"bad_request", "not a valid HTTP/1.1 request: bad version"}));
  EXPECT_GE(
    metric(R"(baton_request_errors_total{code="bad_request"})").value_or(0), 6);
}

} // namespace
} // namespace baton::e2e
