#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "gateway/codec/decode.hpp"
#include "gateway/codec/encode.hpp"
#include "gateway/server/context.hpp"
#include "gateway/session/frame_order.hpp"
#include "gateway/session/rate_limiter.hpp"
#include "gateway/session/write_queue.hpp"

namespace baton::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

/// One WebSocket connection: `hello`, then requests and events, all on the
/// one I/O thread that owns the connection. Replies go out in request order,
/// each before the events its request caused (session/frame_order.hpp). The
/// write queue is bounded: a client that stops reading is cut off.
class ws_session : public std::enable_shared_from_this<ws_session> {
public:
  using frame = write_queue::frame;

  ws_session(net::ip::tcp::socket&& socket,
             std::shared_ptr<server_context> ctx);
  ~ws_session();

  /// Accepts the upgrade `req` and starts reading.
  void run(http::request<http::string_body> req);

  /// From any thread: queue an event for this session.
  void deliver(const actors::notification_ptr& n);

  /// From any thread: close with 1001 (server shutting down).
  void go_away();

  /// From any thread: close with 1012 (`reconnect`): the actor the session
  /// was attached to stopped, with the directory holding its user.
  void reconnect();

  /// From any thread, under the context's sessions_mutex, after a reload:
  /// staff no longer on the roster are closed with 1008
  /// (`removed_from_roster`).
  void check_roster();

private:
  /// A staff hello was accepted: reloads from now on check this session's
  /// roster; false when one already took the user off.
  bool listen_for_roster_changes(const actors::caller& who);
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void handle(std::string_view text, std::size_t capacity);
  void on_hello(const client_frame& f);
  void on_refresh(const client_frame& f, const refresh_request& q);
  /// The session ends (1008, `token_expired`) at `expires_at_s`, unless an
  /// `auth.refresh` moves it.
  void arm_expiry(std::optional<std::int64_t> expires_at_s);
  void on_request(client_frame& f);
  /// A bound of `[limits]` refuses the request `re`; true when it did.
  bool refused_by_limits(const client_frame& f,
                         const engine::config::limits_settings& limits);
  /// A frame that is no valid request: answered with `text` (or
  /// rate_limited: it takes from the rate like any request), and counted
  /// towards `limits.bad_frames_per_session`.
  void answer_bad(const std::optional<std::string>& re, engine::errc code,
                  std::string text);
  /// Takes a token from the rate limiter; answers rate_limited if none.
  bool within_rate(const std::optional<std::string>& re);
  void answer_now(std::string text);
  frame_order::ticket take_ticket();
  void complete(frame_order::ticket t, frame f);
  void enqueue(frame f);
  /// The frames queued and those held for earlier replies pass
  /// `server.max_write_queue_bytes`.
  bool over_write_bound() const;
  /// The client does not read: the connection is closed without a close
  /// handshake, which would wait on it too.
  void cut_off();
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void close_after_flush(websocket::close_code code, std::string reason);
  void finish();

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server_context> ctx_;
  frame_decoder decoder_;
  net::steady_timer hello_timer_;
  net::steady_timer expiry_timer_;
  rate_limiter limiter_;
  write_queue queue_;
  frame_order order_;
  std::string session_id_;
  std::string address_; ///< counted in sessions_by_address when not empty
  /// The upgrade's `X-Forwarded-For` lines, joined, until the upgrade is
  /// accepted and the client counted (http/client_address.hpp).
  std::string forwarded_for_;
  std::string user_key_; ///< counted in sessions_by_user when not empty
  bool anonymous_ = false;
  std::int64_t starts_ = 0;
  std::int64_t bad_frames_ = 0;
  std::optional<actors::caller> who_;
  /// `who_` is staff: only staff sessions are asked to check the roster
  /// after a reload. Written and read under the context's sessions_mutex.
  bool staff_ = false;
  audience audience_ = audience::customer;
  std::shared_ptr<actors::event_sink> sink_;
  bool reading_ = false;
  bool writing_ = false;
  bool closing_ = false;    ///< reads nothing more
  bool close_sent_ = false; ///< writes nothing more
  bool finished_ = false;
  std::optional<websocket::close_reason> close_after_;
  /// For the access log: when the upgrade was accepted, and why it ended.
  std::optional<std::chrono::steady_clock::time_point> opened_at_;
  std::string end_reason_;
};

} // namespace baton::gateway
