#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.hpp"
#include "engine/types.hpp"
#include "gateway/http/attribution_query.hpp"
#include "gateway/http/bare_token_guard.hpp"

/// Where an HTTP request goes and what it is answered (docs/protocol.md):
/// the part of http_session that needs no socket and no routing core, so
/// that unit tests and fuzz/http_request_fuzz.cpp call it directly.
namespace baton::gateway {

/// Requests are small: a GET and an upgrade.
inline constexpr std::size_t max_request_body = 8 * 1024;
/// The request line and headers together.
inline constexpr std::size_t max_request_header = 8 * 1024;

inline constexpr std::string_view text_plain = "text/plain";
inline constexpr std::string_view application_json = "application/json";
inline constexpr std::string_view prometheus_text
  = "text/plain; version=0.0.4; charset=utf-8";

/// What routing reads of a parsed request: views into it.
struct http_request_info {
  bool get = false;        ///< the method is GET
  bool head = false;       ///< HEAD: routed as GET, answered without a body
  bool upgrade = false;    ///< a WebSocket upgrade (websocket::is_upgrade)
  std::string_view target; ///< path and query, as sent
  std::string_view authorization;   ///< the header's value, or empty
  std::string_view accept_encoding; ///< the header's value, or empty
  std::string_view if_none_match;   ///< the header's value, or empty
};

/// The server's state, as `/readyz` and upgrades see it.
struct http_server_state {
  bool ready = false;
  bool draining = false;
  /// The store fails (a commit or a read): not ready, whatever else.
  bool store_failing = false;
};

enum class http_action : std::uint8_t {
  reply,       ///< answer with the route's status, body and content type
  websocket,   ///< hand the connection to a ws_session
  metrics,     ///< the body is the Prometheus text
  queues,      ///< the body comes from the routing core, asked as `user`
  attribution, ///< the body comes from the routing core, asked `query`
};

/// A header of the answer beyond `Server`, `Content-Type`, `Content-Length`
/// and the `Connection` that keep-alive sets.
struct http_header {
  std::string_view name;
  std::string value;
};

/// The answer, or as much of it as is known without the routing core:
/// `status`, `content_type` and `headers` are final for every action but
/// `websocket`.
struct http_route {
  http_action action = http_action::reply;
  unsigned status = 200;
  std::string body;
  std::string_view content_type = text_plain;
  /// `Allow` (405), `WWW-Authenticate` (401), `Upgrade` (426).
  std::vector<http_header> headers;
  /// `queues` and `attribution`: who asks (user and caller name alike).
  std::string user;
  engine::role role = engine::role::supervisor;
  attribution_request query; ///< `attribution`
};

/// Routes `req`. Tokens are checked at `now_unix_s`, bare ones as far as
/// `guard` allows; `cfg` is the snapshot the request is read with.
http_route route_request(const http_request_info& req,
                         const engine::config::config& cfg,
                         http_server_state state, std::int64_t now_unix_s,
                         bare_token_guard& guard);

} // namespace baton::gateway
