#include "gateway/server/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "actors/metrics.hpp"
#include "gateway/codec/render.hpp"
#include "gateway/http/beast_request.hpp"
#include "gateway/http/process_metrics.hpp"
#include "gateway/server/ws_session.hpp"

namespace baton::gateway {
namespace {

namespace json = boost::json;

/// A request must arrive whole this soon after the connection or the last
/// answer; an answer must be written whole this soon after it is ready.
constexpr auto read_timeout = std::chrono::seconds(30);
constexpr auto write_timeout = std::chrono::seconds(30);
/// After answering a request that could not be read, what the client still
/// sends is read and dropped for this long, up to `linger_bytes`: closing
/// with it unread would reset the connection, and the answer with it.
constexpr auto linger_timeout = std::chrono::seconds(2);
constexpr std::size_t linger_bytes = 64 * 1024;

/// A request that could not be read whole: its status and why, for the
/// client; nothing for a connection that ended or timed out (nobody to
/// tell). What follows it cannot be parsed, so the connection closes.
/// `line_read`: the parser got past the request line (it had a target); a
/// request line it never finished is one too long, 414 rather than 431
/// (RFC 9110, 15.5.15).
std::optional<std::pair<http::status, std::string>>
unreadable(beast::error_code ec, bool line_read) {
  if (ec == http::error::body_limit)
    return std::pair{http::status::payload_too_large,
                     "the request body is larger than "
                       + std::to_string(max_request_body) + " bytes"};
  if (ec == http::error::header_limit && !line_read)
    return std::pair{http::status::uri_too_long,
                     "the request line is longer than "
                       + std::to_string(max_request_header) + " bytes"};
  if (ec == http::error::header_limit)
    return std::pair{http::status::request_header_fields_too_large,
                     "the request line and headers are larger than "
                       + std::to_string(max_request_header) + " bytes"};
  if (ec.category() == make_error_code(http::error::bad_target).category()
      && ec != http::error::partial_message)
    return std::pair{http::status::bad_request,
                     "not a valid HTTP/1.1 request: " + ec.message()};
  return std::nullopt;
}

http::response<http::string_body>
make_response(const http::request<http::string_body>& req, unsigned status,
              std::string body, std::string_view content_type,
              const std::vector<http_header>& headers = {}) {
  http::response<http::string_body> res{static_cast<http::status>(status),
                                        req.version()};
  res.set(http::field::server, "baton");
  res.set(http::field::content_type, content_type);
  for (const auto& h : headers)
    res.set(h.name, h.value);
  // After the route's headers: it keeps their `Connection: Upgrade`.
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

} // namespace

http_session::http_session(net::ip::tcp::socket&& socket,
                           std::shared_ptr<server_context> ctx)
  : stream_(std::move(socket)), ctx_(std::move(ctx)) {
  ctx_->metrics.http_connections.add(1);
}

http_session::~http_session() {
  ctx_->metrics.http_connections.add(-1);
}

void http_session::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&http_session::do_read,
                                          shared_from_this()));
}

void http_session::do_read() {
  parser_.emplace();
  parser_->body_limit(max_request_body);
  parser_->header_limit(max_request_header);
  stream_.expires_after(read_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&http_session::on_read,
                                             shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) {
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  if (ec) {
    if (auto refused = unreadable(ec, !parser_->get().target().empty()))
      answer_unreadable(refused->first, std::move(refused->second));
    return;
  }
  auto req = parser_->release();
  head_ = req.method() == http::verb::head;
  auto info = request_info(req);
  // The consoles' paths first: the API's own paths are never theirs.
  std::optional<http_route> page;
  if (auto console = ctx_->console.load())
    page = serve_static(*console, info);
  auto route = page ? std::move(*page)
                    : route_request(info, *ctx_->cfg.get(),
                                    {.ready = ctx_->ready,
                                     .draining = ctx_->draining,
                                     .store_failing
                                     = ctx_->routing.metrics().store_failing()},
                                    wall_clock_ms() / 1000, ctx_->bare_tokens);
  switch (route.action) {
    case http_action::websocket:
      stream_.expires_never();
      std::make_shared<ws_session>(stream_.release_socket(), ctx_)
        ->run(std::move(req));
      return;
    case http_action::metrics:
      route.body = render_metrics(ctx_->routing.metrics(), ctx_->metrics,
                                  recent_process_stats());
      break;
    case http_action::queues:
    case http_action::attribution:
      return fetch(req, std::move(route));
    case http_action::reply:
      break;
  }
  write(make_response(req, route.status, std::move(route.body),
                      route.content_type, route.headers));
}

void http_session::fetch(const http::request<http::string_body>& req,
                         http_route route) {
  auto shell = make_response(req, route.status, {}, route.content_type,
                             route.headers);
  auto respond = [self = shared_from_this()](response res) {
    net::dispatch(self->stream_.get_executor(),
                  [self, res = std::move(res)]() mutable {
                    self->write(std::move(res));
                  });
  };
  actors::caller who{route.user, route.role, route.user};
  if (route.action == http_action::queues) {
    ctx_->routing.submit(
      who, actors::list_queues{},
      [respond, shell = std::move(shell)](const actors::reply& r) mutable {
        json::array rows;
        json::storage_ptr sp;
        if (const auto* list = std::get_if<actors::queue_list>(&r.body))
          for (const auto& q : list->queues)
            rows.push_back(detail::queue_json(q, sp));
        shell.body() = json::serialize(json::object{{"queues", rows}});
        shell.prepare_payload();
        respond(std::move(shell));
      });
    return;
  }
  ctx_->routing.submit(
    who,
    actors::attribution_query{std::move(route.query.customer), route.query.at},
    [respond, shell = std::move(shell)](const actors::reply& r) mutable {
      json::value agent = nullptr;
      if (const auto* c = std::get_if<actors::credited>(&r.body);
          c != nullptr && !c->agent.empty())
        agent = c->agent;
      if (r.code == engine::errc::unavailable) {
        // The store could not be read: ask again, never "nobody".
        shell.result(http::status::service_unavailable);
        shell.set(http::field::retry_after, "1");
        shell.body() = json::serialize(
          json::object{{"code", "unavailable"}, {"message", r.message}});
      } else if (!r.ok()) {
        shell.result(http::status::internal_server_error);
        shell.body() = json::serialize(
          json::object{{"code", "internal"}, {"message", r.message}});
      } else {
        shell.body() = json::serialize(json::object{{"agent", agent}});
      }
      shell.prepare_payload();
      respond(std::move(shell));
    });
}

void http_session::answer_unreadable(http::status status, std::string why) {
  ctx_->metrics.count_error(engine::errc::bad_request);
  response res{status, 11};
  res.set(http::field::server, "baton");
  res.set(http::field::content_type, "application/json");
  res.keep_alive(false);
  res.body() = json::serialize(
    json::object{{"code", "bad_request"}, {"message", std::move(why)}});
  res.prepare_payload();
  // Past a body's limit the headers were read: a HEAD is known.
  head_ = parser_->is_header_done()
          && parser_->get().method() == http::verb::head;
  lingering_ = true;
  write(std::move(res));
}

void http_session::linger(std::size_t dropped) {
  if (dropped >= linger_bytes)
    return;
  stream_.expires_after(linger_timeout);
  stream_.async_read_some(net::buffer(scratch_),
                          [self = shared_from_this(),
                           dropped](beast::error_code ec, std::size_t n) {
                            if (!ec)
                              self->linger(dropped + n);
                          });
}

void http_session::write(response res) {
  // HEAD: what GET would answer, Content-Length included, without the body.
  if (head_)
    res.body().clear();
  // Its own deadline: the read's may be nearly spent by an idle keep-alive
  // or by the routing core's answer.
  stream_.expires_after(write_timeout);
  pending_ = std::make_shared<response>(std::move(res));
  http::async_write(stream_, *pending_,
                    beast::bind_front_handler(&http_session::on_write,
                                              shared_from_this(),
                                              pending_->keep_alive()));
}

void http_session::on_write(bool keep_alive, beast::error_code ec,
                            std::size_t) {
  pending_.reset();
  if (ec)
    return;
  if (!keep_alive) {
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    if (lingering_)
      linger(0);
    return;
  }
  do_read();
}

} // namespace baton::gateway
