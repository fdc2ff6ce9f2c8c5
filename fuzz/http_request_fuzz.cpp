// libFuzzer target for the HTTP request path (run it with
// `fuzz/run.sh SECONDS http_request_fuzz`).
//
// The input is what a client sends on one connection. Beast's
// request_parser reads requests from it with the server's limits, one after
// another while the connection is kept alive, as http_session does; each
// request is routed by gateway::route_request from the facts http_session
// gives it (gateway/http/beast_request.hpp), once per server state
// (starting, ready, draining). Beyond "no crash, no sanitizer report, no
// exception", it checks:
// - the status is one the gateway answers with (200, 400, 401, 404, 405,
//   426, 503),
//   error bodies are JSON objects {"code","message"} whose code goes with
//   the status, and the response Beast builds from the route reads back;
// - only an upgrade to exactly /v1/ws, while not draining, is handed to a
//   WebSocket session, and Beast's handshake on it answers 101 exactly when
//   it accepts;
// - /v1/queues and /v1/attribution reach the routing core only as a
//   configured supervisor or a service whose token checks out, with a
//   query that parse_attribution_query accepts;
// - the bearer parsers and the query parser, called on every request's
//   Authorization header and query whatever the path, return only what the
//   credential and the query say (round trip through percent-encoding).
// Tokens are signed with `secret` below at a fixed `now`: the seeds in
// fuzz/corpus-http/ carry valid ones, so mutations start from requests that
// are let in.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

// Boost.JSON's sources, as baton_json's json/boost_json.cpp does; only this
// target's own sources are linked here.
#include <boost/json/src.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "engine/auth/token.hpp"
#include "fuzz/check.hpp"
#include "gateway/http/attribution_query.hpp"
#include "gateway/http/bearer.hpp"
#include "gateway/http/beast_request.hpp"
#include "gateway/http/route.hpp"

namespace {

namespace json = boost::json;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using namespace baton;
using namespace baton::gateway;

constexpr std::string_view secret = "fuzz-secret";
constexpr std::int64_t now = 1'700'000'000; ///< Unix seconds

/// The roster the seeds' tokens are made for: `sam` and `max` supervise,
/// `alice` is an agent. `shop` (role service) needs no entry.
const engine::config::config& fuzz_config() {
  static const engine::config::config cfg = [] {
    using engine::config::staff_role;
    engine::config::config c;
    c.auth.secret = std::string{secret};
    engine::config::agent alice;
    alice.id = "alice";
    engine::config::agent sam;
    sam.id = "sam";
    sam.roles = {staff_role::supervisor};
    engine::config::agent max;
    max.id = "max";
    max.roles = {staff_role::agent, staff_role::manager,
                 staff_role::supervisor};
    c.agents = {alice, sam, max};
    return c;
  }();
  return cfg;
}

/// Unbounded: every bare token is searched for, as the checks below assume.
bare_token_guard& fuzz_guard() {
  static bare_token_guard guard{SIZE_MAX};
  return guard;
}

bool is_supervisor(std::string_view user) {
  const auto* a = fuzz_config().find_agent(user);
  return a != nullptr && a->has_role(engine::config::staff_role::supervisor);
}

bool token_ok(engine::role r, std::string_view user, std::string_view token) {
  return engine::auth::verify(secret, r, user, token, now)
         == engine::auth::verify_result::ok;
}

/// What bearer_supervisor and bearer_service return is the user the
/// credential names (or, bare, the supervisor its token is for).
void check_bearer(std::string_view header, std::string_view in) {
  constexpr std::string_view prefix = "Bearer ";
  auto credential = header.substr(std::min(prefix.size(), header.size()));
  if (auto user = bearer_supervisor(fuzz_config(), header, now, fuzz_guard())) {
    CHECK(header.substr(0, prefix.size()) == prefix, in);
    CHECK(is_supervisor(*user), in);
    auto colon = credential.find(':');
    if (colon == std::string_view::npos)
      CHECK(token_ok(engine::role::supervisor, *user, credential), in);
    else
      CHECK(credential.substr(0, colon) == *user
              && token_ok(engine::role::supervisor, *user,
                          credential.substr(colon + 1)),
            in);
  }
  if (auto user = bearer_service(fuzz_config(), header, now)) {
    CHECK(header.substr(0, prefix.size()) == prefix, in);
    auto colon = credential.find(':');
    CHECK(colon != std::string_view::npos, in);
    CHECK(credential.substr(0, colon) == *user, in);
    CHECK(token_ok(engine::role::service, *user, credential.substr(colon + 1)),
          in);
  }
}

std::string percent_encode(std::string_view s) {
  constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

/// An accepted query names a valid customer and a time, and says the same
/// once re-encoded, with other parameters around it.
void check_query(std::string_view query, std::string_view in) {
  auto parsed = parse_attribution_query(query);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    CHECK(!why->empty(), in);
    return;
  }
  const auto& q = std::get<attribution_request>(parsed);
  CHECK(engine::is_valid_id(q.customer), in);
  CHECK(q.at >= 0, in);
  CHECK(query.find("customer") != std::string_view::npos, in);
  CHECK(query.find("at") != std::string_view::npos, in);
  auto again = parse_attribution_query("utm=a%zz&at=" + std::to_string(q.at)
                                       + "&customer="
                                       + percent_encode(q.customer) + "&x");
  const auto* r = std::get_if<attribution_request>(&again);
  CHECK(r != nullptr && r->customer == q.customer && r->at == q.at, in);
}

/// An error route's body: {"code": code, "message": non-empty}.
void check_error_body(const http_route& r, std::string_view code,
                      std::string_view in) {
  CHECK(r.content_type == application_json, in);
  json::error_code ec;
  auto v = json::parse(r.body, ec);
  CHECK(!ec && v.is_object() && v.get_object().size() == 2, in);
  const auto& o = v.get_object();
  const auto* c = o.if_contains("code");
  const auto* m = o.if_contains("message");
  CHECK(c != nullptr && c->is_string() && c->get_string() == code, in);
  CHECK(m != nullptr && m->is_string() && !m->get_string().empty(), in);
}

/// The response http_session's make_response builds: serialised and read
/// back, it says the same.
void check_response(const http::request<http::string_body>& req,
                    const http_route& route, std::string_view in) {
  CHECK(http::int_to_status(route.status) != http::status::unknown, in);
  http::response<http::string_body> res{static_cast<http::status>(route.status),
                                        req.version()};
  res.set(http::field::server, "baton");
  res.set(http::field::content_type, route.content_type);
  for (const auto& h : route.headers)
    res.set(h.name, h.value);
  res.keep_alive(req.keep_alive());
  res.body() = route.body;
  res.prepare_payload();
  std::ostringstream out;
  out << res;
  auto text = out.str();

  http::response_parser<http::string_body> parser;
  parser.eager(true);
  beast::error_code ec;
  auto used = parser.put(net::buffer(text), ec);
  CHECK(!ec && parser.is_done() && used == text.size(), in);
  const auto& back = parser.get();
  CHECK(back.result_int() == route.status, in);
  CHECK(back.body() == route.body, in);
  CHECK(back[http::field::content_type] == route.content_type, in);
}

/// Beast's handshake on a request routed to a WebSocket session, with the
/// server's decorator: 101 exactly when it accepts.
void check_handshake(const http::request<http::string_body>& req,
                     std::string_view in) {
  static net::io_context ioc;
  beast::test::stream remote(ioc);
  websocket::stream<beast::test::stream> ws(ioc);
  ws.next_layer().connect(remote);
  ws.set_option(
    websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(http::field::server, "baton");
    }));
  beast::error_code ec;
  ws.accept(req, ec);
  auto answer = std::string{remote.str()};
  http::response_parser<http::empty_body> parser;
  parser.skip(true); // a 101 has no body to wait for
  beast::error_code parse_ec;
  parser.put(net::buffer(answer), parse_ec);
  CHECK(!parse_ec && parser.is_header_done(), in);
  auto status = parser.get().result();
  CHECK((status == http::status::switching_protocols) == !ec, in);
}

void check_route(const http::request<http::string_body>& req,
                 const http_request_info& info, http_server_state state,
                 std::string_view in) {
  auto route = route_request(info, fuzz_config(), state, now, fuzz_guard());
  auto path = info.target.substr(0, info.target.find('?'));
  static const std::set<unsigned> statuses{200, 400, 401, 404, 405, 426, 503};
  CHECK(statuses.contains(route.status), in);

  if (info.upgrade) {
    bool ok = info.target == "/v1/ws" && !state.draining;
    CHECK((route.action == http_action::websocket) == ok, in);
    if (ok)
      return check_handshake(req, in);
    CHECK(route.action == http_action::reply, in);
    check_error_body(route,
                     info.target != "/v1/ws" ? "not_found" : "unavailable", in);
    return check_response(req, route, in);
  }
  CHECK(route.action != http_action::websocket, in);
  CHECK(info.get || info.head || route.status == 404 || route.status == 405,
        in);
  auto has_header = [&](std::string_view name) {
    return std::ranges::any_of(route.headers, [&](const http_header& h) {
      return h.name == name;
    });
  };
  // A known path with another method says which it takes.
  CHECK(route.status != 405 || (!info.get && !info.head && has_header("Allow")),
        in);
  CHECK(route.status != 426 || (path == "/v1/ws" && has_header("Upgrade")), in);

  switch (route.action) {
    case http_action::websocket:
      break;
    case http_action::metrics:
      CHECK(path == "/metrics" && route.status == 200, in);
      CHECK(route.content_type == prometheus_text, in);
      break;
    case http_action::queues:
      CHECK(path == "/v1/queues" && route.status == 200, in);
      CHECK(route.role == engine::role::supervisor, in);
      CHECK(is_supervisor(route.user), in);
      CHECK(route.user
              == bearer_supervisor(fuzz_config(), info.authorization, now,
                                   fuzz_guard()),
            in);
      break;
    case http_action::attribution: {
      CHECK(path == "/v1/attribution" && route.status == 200, in);
      if (route.role == engine::role::supervisor)
        CHECK(is_supervisor(route.user), in);
      else
        CHECK(route.role == engine::role::service, in);
      auto query = info.target.substr(path.size());
      if (!query.empty())
        query.remove_prefix(1); // the '?'
      auto parsed = parse_attribution_query(query);
      const auto* q = std::get_if<attribution_request>(&parsed);
      CHECK(q != nullptr && q->customer == route.query.customer
              && q->at == route.query.at,
            in);
      break;
    }
    case http_action::reply:
      if (route.status == 200 || (path == "/readyz" && route.status == 503)) {
        CHECK((info.get || info.head)
                && (path == "/healthz" || path == "/readyz"),
              in);
        CHECK(route.content_type == text_plain && !route.body.empty(), in);
        CHECK((route.status == 200)
                == (path == "/healthz" || (state.ready && !state.draining)),
              in);
      } else {
        check_error_body(route,
                         route.status == 400 || route.status == 405
                             || route.status == 426
                           ? "bad_request"
                         : route.status == 401 ? "unauthorized"
                                               : "not_found",
                         in);
        CHECK(route.status != 400 || path == "/v1/attribution", in);
        CHECK(route.status != 401 || path == "/v1/queues"
                || path == "/v1/attribution",
              in);
      }
      break;
  }
  if (route.action != http_action::reply)
    CHECK(route.body.empty(), in);
  check_response(req, route, in);
}

/// One request as the server reads it; false when the connection would end
/// (an error, the input ends before a whole request, or no keep-alive).
bool one_request(std::string_view& rest, std::string_view in) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(max_request_body);
  parser.header_limit(max_request_header);
  beast::error_code ec;
  while (!parser.is_done()) {
    if (rest.empty()) {
      parser.put_eof(ec); // the client closed: partial_message
      return false;
    }
    auto used = parser.put(net::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    if (ec == http::error::need_more) {
      if (used == 0) // nothing more will come: the server times out
        return false;
      continue;
    }
    if (ec)
      return false;
    if (used == 0 && !parser.is_done())
      return false;
  }
  auto req = parser.release();
  auto info = request_info(req);
  if (auto mark = info.target.find('?'); mark != std::string_view::npos)
    check_query(info.target.substr(mark + 1), in);
  else
    check_query({}, in);
  check_bearer(info.authorization, in);
  for (auto state : {http_server_state{}, http_server_state{.ready = true},
                     http_server_state{.ready = true, .draining = true}})
    check_route(req, info, state, in);
  // An upgrade to /v1/ws hands the connection over unless draining.
  return req.keep_alive() && !(info.upgrade && info.target == "/v1/ws");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto rest = in;
  try {
    while (!rest.empty() && one_request(rest, in)) {
    }
  } catch (const std::exception& e) {
    fail(e.what(), in);
  }
  return 0;
}
