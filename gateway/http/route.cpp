#include "gateway/http/route.hpp"

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

http_route queues(const http_request_info& req,
                  const engine::config::config& cfg, std::int64_t now) {
  auto user = bearer_supervisor(cfg, req.authorization, now);
  if (!user)
    return json_error(401, "unauthorized", "needs a supervisor's bearer token");
  auto r = fetch(http_action::queues, application_json);
  r.user = std::move(*user);
  r.role = engine::role::supervisor;
  return r;
}

/// `query` starts at the `?` (or is empty).
http_route attribution(const http_request_info& req,
                       const engine::config::config& cfg, std::int64_t now,
                       std::string_view query) {
  auto r = fetch(http_action::attribution, application_json);
  if (auto user = bearer_supervisor(cfg, req.authorization, now)) {
    r.user = std::move(*user);
    r.role = engine::role::supervisor;
  } else if (auto service = bearer_service(cfg, req.authorization, now)) {
    r.user = std::move(*service);
    r.role = engine::role::service;
  } else {
    return json_error(401, "unauthorized",
                      "needs a supervisor's or a service's bearer token");
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
                         http_server_state state, std::int64_t now_unix_s) {
  if (req.upgrade) {
    if (req.target != "/v1/ws")
      return json_error(404, "not_found",
                        "WebSocket sessions are served at /v1/ws");
    if (state.draining)
      return json_error(503, "unavailable", "shutting down");
    return fetch(http_action::websocket, {});
  }
  auto path = req.target.substr(0, req.target.find('?'));
  if (!req.get)
    return json_error(404, "not_found", "only GET is served");
  if (path == "/healthz")
    return reply(200, "ok\n", text_plain);
  if (path == "/readyz")
    return readyz(state);
  if (path == "/metrics")
    return fetch(http_action::metrics, prometheus_text);
  if (path == "/v1/queues")
    return queues(req, cfg, now_unix_s);
  if (path == "/v1/attribution")
    return attribution(req, cfg, now_unix_s, req.target.substr(path.size()));
  return json_error(404, "not_found", "no such endpoint");
}

} // namespace baton::gateway
