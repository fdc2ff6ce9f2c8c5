#include "gateway/http/route.hpp"

#include <algorithm>
#include <array>

#include <boost/json.hpp>

#include "gateway/http/bearer.hpp"

namespace baton::gateway {
namespace {

namespace json = boost::json;

http_route reply(unsigned status, std::string body,
                 std::string_view content_type) {
  http_route r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = content_type;
  return r;
}

http_route json_error(unsigned status, std::string_view code,
                      std::string_view message) {
  return reply(
    status, json::serialize(json::object{{"code", code}, {"message", message}}),
    application_json);
}

http_route fetch(http_action action, std::string_view content_type) {
  http_route r;
  r.action = action;
  r.content_type = content_type;
  return r;
}

http_route readyz(http_server_state state) {
  bool ready = state.ready && !state.draining && !state.store_failing;
  const char* why = state.draining        ? "draining\n"
                    : state.store_failing ? "storage failing\n"
                                          : "starting\n";
  return reply(ready ? 200 : 503, ready ? "ready\n" : why, text_plain);
}

/// Every path served. All take GET, and so HEAD.
constexpr std::array<std::string_view, 6> paths{
  "/healthz", "/readyz", "/metrics", "/v1/queues", "/v1/attribution", "/v1/ws"};
constexpr std::string_view allowed_methods = "GET, HEAD";

http_route method_not_allowed(std::string_view path) {
  auto r = json_error(405, "bad_request",
                      "the method is not allowed on " + std::string{path}
                        + ": use GET or HEAD");
  r.headers.push_back({"Allow", std::string{allowed_methods}});
  return r;
}

http_route upgrade_required() {
  auto r = json_error(426, "bad_request",
                      "/v1/ws takes a WebSocket upgrade (Connection: Upgrade, "
                      "Upgrade: websocket)");
  r.headers.push_back({"Upgrade", "websocket"});
  r.headers.push_back({"Connection", "Upgrade"});
  return r;
}

/// Who an endpoint takes, in its 401 messages.
struct audience {
  std::string_view needs;   ///< "a supervisor's bearer token"
  std::string_view invalid; ///< "the token is not valid for ..."
};

/// 401, with the reason in the body and, as RFC 6750 (section 3) asks, in
/// `WWW-Authenticate`. No error code there when the request carries no
/// bearer credential at all. A bare token left unchecked is 429 instead.
http_route refused(bearer_refusal why, const audience& who) {
  if (why == bearer_refusal::busy) {
    auto r = json_error(429, "rate_limited",
                        "too many bare tokens to check this second: name the "
                        "user, as <user>:<token>, or try again in a second");
    r.headers.push_back({"Retry-After", "1"});
    return r;
  }
  std::string message;
  switch (why) {
    case bearer_refusal::missing:
      message = "missing Authorization header: needs " + std::string{who.needs};
      break;
    case bearer_refusal::not_bearer:
      message = "the Authorization header is not a Bearer credential: needs "
                + std::string{who.needs};
      break;
    case bearer_refusal::malformed:
      message = "malformed bearer credential: expected <user>:<token> or "
                "<token>, the token as <exp>.<sig>";
      break;
    case bearer_refusal::invalid:
      message = std::string{who.invalid};
      break;
    case bearer_refusal::expired:
      message = "the token has expired";
      break;
    case bearer_refusal::busy:
      break; // answered above
  }
  auto r = json_error(401, "unauthorized", message);
  // The messages hold no '"' nor '\': they fit a quoted-string as they are.
  std::string challenge = "Bearer";
  if (why != bearer_refusal::missing && why != bearer_refusal::not_bearer)
    challenge += R"( error="invalid_token", error_description=")" + message
                 + '"';
  r.headers.push_back({"WWW-Authenticate", std::move(challenge)});
  return r;
}

http_route queues(const http_request_info& req,
                  const engine::config::config& cfg, std::int64_t now,
                  bare_token_guard& guard) {
  auto check = check_supervisor(cfg, req.authorization, now, guard);
  if (auto* why = std::get_if<bearer_refusal>(&check))
    return refused(*why,
                   {"a supervisor's bearer token",
                    "the token is not valid for a configured supervisor"});
  auto r = fetch(http_action::queues, application_json);
  r.user = std::move(std::get<std::string>(check));
  r.role = engine::role::supervisor;
  return r;
}

/// `query` starts at the `?` (or is empty).
http_route attribution(const http_request_info& req,
                       const engine::config::config& cfg, std::int64_t now,
                       bare_token_guard& guard, std::string_view query) {
  auto r = fetch(http_action::attribution, application_json);
  auto supervisor = check_supervisor(cfg, req.authorization, now, guard);
  if (auto* user = std::get_if<std::string>(&supervisor)) {
    r.user = std::move(*user);
    r.role = engine::role::supervisor;
  } else {
    auto service = check_service(cfg, req.authorization, now);
    auto* caller = std::get_if<std::string>(&service);
    if (caller == nullptr)
      return refused(
        refusal_of(std::get<bearer_refusal>(supervisor),
                   std::get<bearer_refusal>(service)),
        {"a supervisor's or a service's bearer token",
         "the token is not valid for a configured supervisor or a service"});
    r.user = std::move(*caller);
    r.role = engine::role::service;
  }
  if (!query.empty())
    query.remove_prefix(1); // the '?'
  auto parsed = parse_attribution_query(query);
  if (auto* why = std::get_if<std::string>(&parsed))
    return json_error(400, "bad_request", *why);
  r.query = std::move(std::get<attribution_request>(parsed));
  return r;
}

} // namespace

http_route route_request(const http_request_info& req,
                         const engine::config::config& cfg,
                         http_server_state state, std::int64_t now_unix_s,
                         bare_token_guard& guard) {
  if (req.upgrade) {
    if (req.target != "/v1/ws")
      return json_error(404, "not_found",
                        "WebSocket sessions are served at /v1/ws");
    if (state.draining)
      return json_error(503, "unavailable", "shutting down");
    return fetch(http_action::websocket, {});
  }
  auto path = req.target.substr(0, req.target.find('?'));
  if (std::find(paths.begin(), paths.end(), path) == paths.end())
    return json_error(404, "not_found", "no such endpoint");
  if (!req.get && !req.head)
    return method_not_allowed(path);
  if (path == "/v1/ws")
    return upgrade_required();
  if (path == "/healthz")
    return reply(200, "ok\n", text_plain);
  if (path == "/readyz")
    return readyz(state);
  if (path == "/metrics")
    return fetch(http_action::metrics, prometheus_text);
  if (path == "/v1/queues")
    return queues(req, cfg, now_unix_s, guard);
  return attribution(req, cfg, now_unix_s, guard,
                     req.target.substr(path.size()));
}

} // namespace baton::gateway
