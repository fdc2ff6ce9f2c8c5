#pragma once

#include <array>
#include <memory>
#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "gateway/http/route.hpp"
#include "gateway/server/context.hpp"

namespace baton::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

/// One HTTP connection: the plain endpoints, and the upgrade to `/v1/ws`,
/// which hands the socket to a ws_session.
class http_session : public std::enable_shared_from_this<http_session> {
public:
  http_session(net::ip::tcp::socket&& socket,
               std::shared_ptr<server_context> ctx);
  ~http_session();
  http_session(const http_session&) = delete;
  http_session& operator=(const http_session&) = delete;

  void run();

private:
  using response = http::response<http::string_body>;

  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  /// Fills in the body of a `queues` or `attribution` route from the
  /// routing core, then writes it.
  void fetch(const http::request<http::string_body>& req, http_route route);
  /// A request that could not be read (too large, not HTTP): answered
  /// with `status` and `why`, then the connection closes.
  void answer_unreadable(http::status status, std::string why);
  /// Reads and drops what the client still sends after that answer, until
  /// it closes, `linger_timeout` passes or `linger_bytes` came.
  void linger(std::size_t dropped);
  void write(response res);
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server_context> ctx_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<response> pending_;
  /// The request being answered is a HEAD: its answer goes without a body.
  bool head_ = false;
  /// The request could not be read: the connection lingers, then closes.
  bool lingering_ = false;
  std::array<char, 4096> scratch_{};
};

} // namespace baton::gateway
