#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

/// Synchronous clients of a running Baton for the end-to-end tests: a
/// WebSocket client and plain HTTP GETs. Every call has a deadline, so a
/// broken server fails a test instead of hanging it. No Beast in this header:
/// ws_client.cpp is the only file of the suite that compiles it.
namespace baton::e2e {

namespace json = boost::json;
using std::chrono::milliseconds;

struct connect_options {
  /// SO_RCVBUF set before connecting; 0 leaves the system default.
  int receive_buffer = 0;
  std::string target = "/v1/ws";
  milliseconds timeout{3000};
  /// More headers of the upgrade request (`X-Forwarded-For`, say).
  std::vector<std::pair<std::string, std::string>> headers;
};

/// One WebSocket connection. Frames the server sends are JSON objects; one
/// that is not comes back as `{"type":"<not json>","raw":...}` (or
/// `"<binary>"`), so a test sees it instead of losing it.
///
/// Received frames wait in an inbox: next() takes the oldest, wait_for()
/// takes the first that matches and leaves the others there for later.
class ws_client {
public:
  using predicate = std::function<bool(const json::object&)>;

  ws_client();
  ~ws_client(); ///< drops the TCP connection if still open (no handshake)
  ws_client(ws_client&&) noexcept;
  ws_client& operator=(ws_client&&) noexcept;

  /// TCP connect and WebSocket handshake to 127.0.0.1:`port`.
  bool connect(std::uint16_t port, const connect_options& o = {});

  /// Sends one text frame; false when the connection is gone or the write
  /// does not finish in time.
  bool send(std::string_view text, milliseconds timeout = milliseconds(3000));
  bool send(const json::object& frame,
            milliseconds timeout = milliseconds(3000));
  bool send_binary(std::string_view bytes,
                   milliseconds timeout = milliseconds(3000));

  /// The oldest frame not taken yet, waiting up to `timeout` for one.
  std::optional<json::object> next(milliseconds timeout);

  /// The first frame (inbox first, then the socket) that matches; frames
  /// read on the way stay in the inbox.
  std::optional<json::object> wait_for(const predicate& match,
                                       milliseconds timeout);
  /// ... whose `type` is `type`.
  std::optional<json::object> wait_for(std::string_view type,
                                       milliseconds timeout);
  /// ... whose `type` is `type` and `field` equals the string `value`.
  std::optional<json::object>
  wait_for(std::string_view type, std::string_view field,
           std::string_view value, milliseconds timeout);
  /// The reply (`ok` or `error`) whose `re` is `id`.
  std::optional<json::object> reply_to(std::string_view id,
                                       milliseconds timeout);

  /// Sends `req` (which must carry an `id`) and waits for its reply.
  std::optional<json::object>
  request(const json::object& req, milliseconds timeout = milliseconds(3000));

  /// Reads (into the inbox) until the server closes the connection; true
  /// when it did within `timeout`.
  bool wait_closed(milliseconds timeout);

  /// Client-initiated close handshake (1000), then drops the socket.
  void close(milliseconds timeout = milliseconds(2000));

  bool is_open() const noexcept;
  /// The close code the server sent, when it sent a close frame.
  std::optional<int> close_code() const noexcept;
  const std::string& close_reason() const noexcept;
  /// How the connection ended or why a call failed, for messages.
  const std::string& error() const noexcept;

  std::deque<json::object>& inbox() noexcept;
  /// Frames in the inbox whose `type` is `type` (not taken).
  std::vector<json::object> inbox_of(std::string_view type) const;
  std::size_t frames_received() const noexcept;
  /// Every frame received so far, taken or not, in arrival order.
  const std::vector<json::object>& received() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

struct http_response {
  int status = 0;
  std::string content_type;
  std::string body;
};

using http_headers = std::vector<std::pair<std::string, std::string>>;

/// One HTTP/1.1 connection kept alive across requests.
class http_connection {
public:
  http_connection();
  ~http_connection();
  http_connection(http_connection&&) noexcept;
  http_connection& operator=(http_connection&&) noexcept;

  bool connect(std::uint16_t port, milliseconds timeout = milliseconds(3000));
  /// A GET on this connection; nothing on a connection or timeout failure.
  std::optional<http_response> get(std::string_view target,
                                   const http_headers& headers = {},
                                   milliseconds timeout = milliseconds(3000));
  const std::string& error() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// A GET on a fresh connection; `error` (when given) says why there is no
/// response.
std::optional<http_response> http_get(std::uint16_t port,
                                      std::string_view target,
                                      const http_headers& headers = {},
                                      milliseconds timeout = milliseconds(3000),
                                      std::string* error = nullptr);

} // namespace baton::e2e
