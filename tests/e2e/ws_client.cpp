#include "tests/e2e/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace baton::e2e {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using clock = std::chrono::steady_clock;

/// Runs `ioc` until `done()` or the deadline. Every operation here is
/// asynchronous, so a silent server only costs the deadline.
template <class Done>
bool run_until(net::io_context& ioc, Done&& done, clock::time_point deadline) {
  while (!done()) {
    ioc.restart();
    if (ioc.run_one_until(deadline) == 0)
      return done();
  }
  return true;
}

/// The outcome of one asynchronous operation, shared with its handler so
/// that a handler running after a timeout writes into live memory.
struct outcome {
  bool done = false;
  beast::error_code ec;
};

json::object frame_object(std::string text, bool is_text) {
  if (!is_text)
    return json::object{{"type", "<binary>"}, {"raw", text}};
  beast::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object())
    return json::object{{"type", "<not json>"}, {"raw", text}};
  return std::move(v.as_object());
}

bool has_type(const json::object& o, std::string_view type) {
  auto* t = o.if_contains("type");
  return t != nullptr && t->is_string() && t->as_string() == type;
}

bool field_is(const json::object& o, std::string_view field,
              std::string_view value) {
  auto* f = o.if_contains(field);
  return f != nullptr && f->is_string() && f->as_string() == value;
}

/// Connects `socket` to 127.0.0.1:`port`, with SO_RCVBUF set first.
bool connect_socket(net::io_context& ioc, tcp::socket& socket,
                    std::uint16_t port, int receive_buffer,
                    clock::time_point deadline, std::string& error) {
  beast::error_code ec;
  socket.open(tcp::v4(), ec);
  if (!ec && receive_buffer > 0)
    socket.set_option(net::socket_base::receive_buffer_size(receive_buffer),
                      ec);
  if (ec) {
    error = "socket: " + ec.message();
    return false;
  }
  auto op = std::make_shared<outcome>();
  socket.async_connect({net::ip::make_address_v4("127.0.0.1"), port},
                       [op](beast::error_code e) {
                         op->ec = e;
                         op->done = true;
                       });
  if (!run_until(
        ioc, [&] { return op->done; }, deadline)) {
    socket.close(ec);
    error = "connect: timed out";
    return false;
  }
  if (op->ec) {
    error = "connect: " + op->ec.message();
    return false;
  }
  return true;
}

} // namespace

// -- ws_client ----------------------------------------------------------------

struct ws_client::impl {
  net::io_context ioc;
  std::optional<websocket::stream<beast::tcp_stream>> ws;
  beast::flat_buffer buffer;
  std::deque<json::object> inbox;
  std::vector<json::object> log;
  bool open = false;
  bool reading = false;
  bool writing = false;
  bool write_ok = false;
  std::size_t received = 0;
  std::optional<int> code;
  std::string reason;
  std::string error;

  ~impl() {
    drop();
  }

  void drop() {
    if (ws) {
      beast::error_code ignored;
      beast::get_lowest_layer(*ws).socket().close(ignored);
    }
    open = false;
  }

  void start_read() {
    if (reading || !open)
      return;
    reading = true;
    ws->async_read(buffer, [this](beast::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        // The peer's close frame, even when answering it failed (a server
        // that drops the TCP connection right after its close frame).
        const auto& cr = ws->reason();
        if (cr.code != websocket::close_code::none) {
          code = static_cast<int>(cr.code);
          reason = std::string(cr.reason.c_str());
          error = "closed by the server with " + std::to_string(*code);
          if (ec != websocket::error::closed)
            error += " (then " + ec.message() + ")";
        } else if (error.empty()) {
          error = "read: " + ec.message();
        }
        drop();
        return;
      }
      ++received;
      inbox.push_back(
        frame_object(beast::buffers_to_string(buffer.data()), ws->got_text()));
      log.push_back(inbox.back());
      buffer.consume(buffer.size());
    });
  }

  /// Reads one more frame into the inbox, or until the deadline or the end.
  void read_more(clock::time_point deadline) {
    start_read();
    run_until(
      ioc, [&] { return !reading; }, deadline);
  }

  bool write(std::string_view bytes, bool text, milliseconds timeout) {
    auto deadline = clock::now() + timeout;
    // A write that timed out earlier must finish first: Beast allows one.
    if (!run_until(
          ioc, [&] { return !writing; }, deadline)) {
      error = "write: the previous write is still pending";
      return false;
    }
    if (!open)
      return false;
    auto data = std::make_shared<std::string>(bytes);
    writing = true;
    write_ok = false;
    ws->text(text);
    ws->async_write(net::buffer(*data),
                    [this, data](beast::error_code ec, std::size_t) {
                      writing = false;
                      write_ok = !ec;
                      if (ec)
                        error = "write: " + ec.message();
                    });
    if (!run_until(
          ioc, [&] { return !writing; }, deadline)) {
      error = "write: timed out";
      return false;
    }
    return write_ok;
  }
};

ws_client::ws_client() : impl_(std::make_unique<impl>()) {
}
ws_client::~ws_client() = default;
ws_client::ws_client(ws_client&&) noexcept = default;
ws_client& ws_client::operator=(ws_client&&) noexcept = default;

bool ws_client::connect(std::uint16_t port, const connect_options& o) {
  auto& d = *impl_;
  auto deadline = clock::now() + o.timeout;
  d.ws.emplace(d.ioc);
  auto& socket = beast::get_lowest_layer(*d.ws).socket();
  if (!connect_socket(d.ioc, socket, port, o.receive_buffer, deadline, d.error))
    return false;
  d.ws->auto_fragment(false);
  d.ws->read_message_max(64 << 20);
  d.ws->set_option(websocket::stream_base::decorator(
    [headers = o.headers](websocket::request_type& req) {
      for (const auto& [name, value] : headers)
        req.insert(name, value);
    }));
  auto op = std::make_shared<outcome>();
  d.ws->async_handshake("127.0.0.1:" + std::to_string(port), o.target,
                        [op](beast::error_code e) {
                          op->ec = e;
                          op->done = true;
                        });
  if (!run_until(
        d.ioc, [&] { return op->done; }, deadline)
      || op->ec) {
    d.error = "handshake: "
              + (op->done ? op->ec.message() : std::string("timed out"));
    d.drop();
    return false;
  }
  d.open = true;
  return true;
}

bool ws_client::send(std::string_view text, milliseconds timeout) {
  return impl_->write(text, true, timeout);
}

bool ws_client::send(const json::object& frame, milliseconds timeout) {
  return send(json::serialize(frame), timeout);
}

bool ws_client::send_binary(std::string_view bytes, milliseconds timeout) {
  return impl_->write(bytes, false, timeout);
}

std::optional<json::object> ws_client::next(milliseconds timeout) {
  return wait_for([](const json::object&) { return true; }, timeout);
}

std::optional<json::object> ws_client::wait_for(const predicate& match,
                                                milliseconds timeout) {
  auto& d = *impl_;
  auto deadline = clock::now() + timeout;
  std::size_t scanned = 0;
  for (;;) {
    for (; scanned < d.inbox.size(); ++scanned)
      if (match(d.inbox[scanned])) {
        auto found = std::move(d.inbox[scanned]);
        d.inbox.erase(d.inbox.begin() + std::ptrdiff_t(scanned));
        return found;
      }
    if (!d.open || clock::now() >= deadline)
      return std::nullopt;
    d.read_more(deadline);
  }
}

std::optional<json::object> ws_client::wait_for(std::string_view type,
                                                milliseconds timeout) {
  return wait_for([&](const json::object& o) { return has_type(o, type); },
                  timeout);
}

std::optional<json::object>
ws_client::wait_for(std::string_view type, std::string_view field,
                    std::string_view value, milliseconds timeout) {
  return wait_for(
    [&](const json::object& o) {
      return has_type(o, type) && field_is(o, field, value);
    },
    timeout);
}

std::optional<json::object> ws_client::reply_to(std::string_view id,
                                                milliseconds timeout) {
  return wait_for(
    [&](const json::object& o) {
      return (has_type(o, "ok") || has_type(o, "error"))
             && field_is(o, "re", id);
    },
    timeout);
}

std::optional<json::object> ws_client::request(const json::object& req,
                                               milliseconds timeout) {
  auto* id = req.if_contains("id");
  if (id == nullptr || !id->is_string()) {
    impl_->error = "request() needs a string id";
    return std::nullopt;
  }
  if (!send(req, timeout))
    return std::nullopt;
  return reply_to(id->as_string(), timeout);
}

bool ws_client::wait_closed(milliseconds timeout) {
  auto& d = *impl_;
  auto deadline = clock::now() + timeout;
  while (d.open && clock::now() < deadline)
    d.read_more(deadline);
  return !d.open;
}

void ws_client::close(milliseconds timeout) {
  auto& d = *impl_;
  if (!d.open)
    return;
  auto deadline = clock::now() + timeout;
  run_until(
    d.ioc, [&] { return !d.writing; }, deadline);
  auto op = std::make_shared<outcome>();
  d.ws->async_close(websocket::close_code::normal,
                    [op](beast::error_code) { op->done = true; });
  run_until(
    d.ioc, [&] { return op->done && !d.reading; }, deadline);
  d.drop();
}

bool ws_client::is_open() const noexcept {
  return impl_->open;
}

std::optional<int> ws_client::close_code() const noexcept {
  return impl_->code;
}

const std::string& ws_client::close_reason() const noexcept {
  return impl_->reason;
}

const std::string& ws_client::error() const noexcept {
  return impl_->error;
}

std::deque<json::object>& ws_client::inbox() noexcept {
  return impl_->inbox;
}

std::vector<json::object> ws_client::inbox_of(std::string_view type) const {
  std::vector<json::object> out;
  for (const auto& o : impl_->inbox)
    if (has_type(o, type))
      out.push_back(o);
  return out;
}

std::size_t ws_client::frames_received() const noexcept {
  return impl_->received;
}

const std::vector<json::object>& ws_client::received() const noexcept {
  return impl_->log;
}

// -- HTTP ---------------------------------------------------------------------

struct http_connection::impl {
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::uint16_t port = 0;
  std::string error;

  ~impl() {
    drop();
  }
  void drop() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().close(ignored);
    }
  }
};

http_connection::http_connection() : impl_(std::make_unique<impl>()) {
}
http_connection::~http_connection() = default;
http_connection::http_connection(http_connection&&) noexcept = default;
http_connection&
http_connection::operator=(http_connection&&) noexcept = default;

bool http_connection::connect(std::uint16_t port, milliseconds timeout) {
  auto& d = *impl_;
  d.port = port;
  d.stream.emplace(d.ioc);
  return connect_socket(d.ioc, d.stream->socket(), port, 0,
                        clock::now() + timeout, d.error);
}

std::optional<http_response> http_connection::get(std::string_view target,
                                                  const http_headers& headers,
                                                  milliseconds timeout) {
  auto& d = *impl_;
  if (!d.stream) {
    d.error = "not connected";
    return std::nullopt;
  }
  auto deadline = clock::now() + timeout;
  // Shared with the handlers: they may run after a timeout returned.
  struct exchange : outcome {
    http::request<http::empty_body> req;
    http::response<http::string_body> res;
  };
  auto x = std::make_shared<exchange>();
  x->req = {http::verb::get, target, 11};
  x->req.set(http::field::host, "127.0.0.1:" + std::to_string(d.port));
  x->req.set(http::field::user_agent, "baton-e2e");
  for (const auto& [name, value] : headers)
    x->req.set(name, value);
  http::async_write(*d.stream, x->req, [x](beast::error_code e, std::size_t) {
    x->ec = e;
    x->done = true;
  });
  bool finished = run_until(
    d.ioc, [&] { return x->done; }, deadline);
  if (finished && !x->ec) {
    x->done = false;
    http::async_read(*d.stream, d.buffer, x->res,
                     [x](beast::error_code e, std::size_t) {
                       x->ec = e;
                       x->done = true;
                     });
    finished = run_until(
      d.ioc, [&] { return x->done; }, deadline);
  }
  if (!finished || x->ec) {
    d.error = "GET " + std::string(target) + ": "
              + (finished ? x->ec.message() : std::string("timed out"));
    d.drop();
    return std::nullopt;
  }
  http_response out;
  out.status = static_cast<int>(x->res.result_int());
  out.content_type = std::string(x->res[http::field::content_type]);
  out.body = std::move(x->res.body());
  return out;
}

const std::string& http_connection::error() const noexcept {
  return impl_->error;
}

std::optional<http_response>
http_get(std::uint16_t port, std::string_view target,
         const http_headers& headers, milliseconds timeout,
         std::string* error) {
  auto deadline = clock::now() + timeout;
  http_connection c;
  std::optional<http_response> res;
  if (c.connect(port, timeout))
    res = c.get(
      target, headers,
      std::chrono::duration_cast<milliseconds>(deadline - clock::now()));
  if (!res && error != nullptr)
    *error = c.error();
  return res;
}

} // namespace baton::e2e
