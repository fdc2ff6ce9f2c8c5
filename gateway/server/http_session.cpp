#include "gateway/server/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "engine/auth/token.hpp"
#include "gateway/codec/render.hpp"
#include "gateway/http/attribution_query.hpp"
#include "gateway/server/ws_session.hpp"

namespace baton::gateway {
namespace {

namespace json = boost::json;

/// Requests are small: a GET and an upgrade.
constexpr std::size_t max_request_body = 8 * 1024;
constexpr auto read_timeout = std::chrono::seconds(30);

http::response<http::string_body>
make_response(const http::request<http::string_body>& req, http::status status,
              std::string body, const char* content_type) {
  http::response<http::string_body> res{status, req.version()};
  res.set(http::field::server, "baton");
  res.set(http::field::content_type, content_type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http::response<http::string_body>
json_error(const http::request<http::string_body>& req, http::status status,
           const char* code, const char* message) {
  return make_response(
    req, status,
    json::serialize(json::object{{"code", code}, {"message", message}}),
    "application/json");
}

/// The configured supervisor behind a bearer credential: `<user>:<token>`,
/// or a bare token tried against every configured supervisor.
std::optional<std::string> bearer_supervisor(const engine::config::config& cfg,
                                             std::string_view header) {
  constexpr auto role = engine::role::supervisor;
  constexpr std::string_view prefix = "Bearer ";
  if (header.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  auto credential = header.substr(prefix.size());
  auto now = wall_clock_ms() / 1000;
  auto valid = [&](std::string_view user, std::string_view token) {
    return engine::auth::verify(cfg.auth.secret, role, user, token, now)
           == engine::auth::verify_result::ok;
  };
  auto is_supervisor = [&](std::string_view user) {
    const auto* a = cfg.find_agent(user);
    return a != nullptr && a->has_role(engine::config::staff_role::supervisor);
  };
  if (auto colon = credential.find(':'); colon != std::string_view::npos) {
    auto user = credential.substr(0, colon);
    if (is_supervisor(user) && valid(user, credential.substr(colon + 1)))
      return std::string{user};
    return std::nullopt;
  }
  for (const auto& a : cfg.agents)
    if (a.has_role(engine::config::staff_role::supervisor)
        && valid(a.id, credential))
      return a.id;
  return std::nullopt;
}

/// A `service` caller behind `Bearer <user>:<token>`: services are not in
/// the configuration, so the user comes with the token.
std::optional<std::string> bearer_service(const engine::config::config& cfg,
                                          std::string_view header) {
  constexpr std::string_view prefix = "Bearer ";
  if (header.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  auto credential = header.substr(prefix.size());
  auto colon = credential.find(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  auto user = credential.substr(0, colon);
  auto ok = engine::auth::verify(cfg.auth.secret, engine::role::service, user,
                                 credential.substr(colon + 1),
                                 wall_clock_ms() / 1000)
            == engine::auth::verify_result::ok;
  return ok ? std::optional<std::string>{user} : std::nullopt;
}

} // namespace

http_session::http_session(net::ip::tcp::socket&& socket,
                           std::shared_ptr<server_context> ctx)
  : stream_(std::move(socket)), ctx_(std::move(ctx)) {
}

void http_session::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&http_session::do_read,
                                          shared_from_this()));
}

void http_session::do_read() {
  parser_.emplace();
  parser_->body_limit(max_request_body);
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
  if (ec)
    return;
  auto req = parser_->release();
  if (beast::websocket::is_upgrade(req)) {
    if (req.target() != "/v1/ws")
      return write(json_error(req, http::status::not_found, "not_found",
                              "WebSocket sessions are served at /v1/ws"));
    if (ctx_->draining)
      return write(json_error(req, http::status::service_unavailable,
                              "unavailable", "shutting down"));
    stream_.expires_never();
    std::make_shared<ws_session>(stream_.release_socket(), ctx_)
      ->run(std::move(req));
    return;
  }
  answer(req);
}

void http_session::answer(const http::request<http::string_body>& req) {
  auto target = std::string_view{req.target().data(), req.target().size()};
  auto path = target.substr(0, target.find('?'));
  if (req.method() != http::verb::get)
    return write(json_error(req, http::status::not_found, "not_found",
                            "only GET is served"));
  if (path == "/healthz")
    return write(make_response(req, http::status::ok, "ok\n", "text/plain"));
  if (path == "/readyz") {
    bool ready = ctx_->ready && !ctx_->draining;
    return write(make_response(
      req, ready ? http::status::ok : http::status::service_unavailable,
      ready ? "ready\n" : (ctx_->draining ? "draining\n" : "starting\n"),
      "text/plain"));
  }
  if (path == "/metrics")
    return write(
      make_response(req, http::status::ok,
                    render_metrics(ctx_->routing.metrics(), ctx_->metrics),
                    "text/plain; version=0.0.4; charset=utf-8"));
  if (path == "/v1/queues") {
    auto user = bearer_supervisor(*ctx_->cfg.get(),
                                  req[http::field::authorization]);
    if (!user)
      return write(json_error(req, http::status::unauthorized, "unauthorized",
                              "needs a supervisor's bearer token"));
    auto shell = make_response(req, http::status::ok, {}, "application/json");
    ctx_->routing.submit(
      {*user, engine::role::supervisor, *user}, actors::list_queues{},
      [self = shared_from_this(),
       shell = std::move(shell)](const actors::reply& r) mutable {
        json::array rows;
        json::storage_ptr sp;
        for (const auto& q : r.queues)
          rows.push_back(detail::queue_json(q, sp));
        shell.body() = json::serialize(json::object{{"queues", rows}});
        shell.prepare_payload();
        net::dispatch(self->stream_.get_executor(),
                      [self, res = std::move(shell)]() mutable {
                        self->write(std::move(res));
                      });
      });
    return;
  }
  if (path == "/v1/attribution")
    return attribution(req, target.substr(path.size()));
  write(
    json_error(req, http::status::not_found, "not_found", "no such endpoint"));
}

void http_session::attribution(const http::request<http::string_body>& req,
                               std::string_view query) {
  auto header = req[http::field::authorization];
  actors::caller who;
  if (auto user = bearer_supervisor(*ctx_->cfg.get(), header))
    who = {*user, engine::role::supervisor, *user};
  else if (auto service = bearer_service(*ctx_->cfg.get(), header))
    who = {*service, engine::role::service, *service};
  else
    return write(
      json_error(req, http::status::unauthorized, "unauthorized",
                 "needs a supervisor's or a service's bearer token"));
  if (!query.empty())
    query.remove_prefix(1); // the '?'
  auto parsed = parse_attribution_query(query);
  if (auto* why = std::get_if<std::string>(&parsed))
    return write(
      json_error(req, http::status::bad_request, "bad_request", why->c_str()));
  auto& q = std::get<attribution_request>(parsed);
  auto shell = make_response(req, http::status::ok, {}, "application/json");
  ctx_->routing.submit(
    who, actors::attribution_query{std::move(q.customer), q.at},
    [self = shared_from_this(),
     shell = std::move(shell)](const actors::reply& r) mutable {
      json::value agent = nullptr;
      if (!r.credited_agent.empty())
        agent = r.credited_agent;
      if (!r.ok()) {
        shell.result(http::status::internal_server_error);
        shell.body() = json::serialize(
          json::object{{"code", "internal"}, {"message", r.message}});
      } else {
        shell.body() = json::serialize(json::object{{"agent", agent}});
      }
      shell.prepare_payload();
      net::dispatch(self->stream_.get_executor(),
                    [self, res = std::move(shell)]() mutable {
                      self->write(std::move(res));
                    });
    });
}

void http_session::write(response res) {
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
    return;
  }
  do_read();
}

} // namespace baton::gateway
