#include "gateway/server/ws_session.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/range/iterator_range.hpp>

#include "engine/types.hpp"
#include "gateway/auth/hello.hpp"
#include "gateway/codec/bounded_reply.hpp"
#include "gateway/http/client_address.hpp"
#include "gateway/session/text_bytes.hpp"
#include "log/log.hpp"

namespace baton::gateway {
namespace {

using engine::errc;

/// Hands events from actors to a session, if it is still there.
class session_sink final : public actors::event_sink {
public:
  explicit session_sink(std::weak_ptr<ws_session> session)
    : session_(std::move(session)) {
  }
  void deliver(const actors::notification_ptr& n) override {
    if (auto s = session_.lock())
      s->deliver(n);
  }
  void reconnect() override {
    if (auto s = session_.lock())
      s->reconnect();
  }

private:
  std::weak_ptr<ws_session> session_;
};

std::int64_t unix_seconds() {
  return wall_clock_ms() / 1000;
}

ws_session::frame share(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

/// The code of an error frame, for the metrics; ok when it is no error.
errc error_code_of(const actors::reply& r) {
  return r.ok() ? errc::ok : r.code;
}

} // namespace

ws_session::ws_session(net::ip::tcp::socket&& socket,
                       std::shared_ptr<server_context> ctx)
  : ws_(std::move(socket)),
    ctx_(std::move(ctx)),
    hello_timer_(ws_.get_executor()),
    expiry_timer_(ws_.get_executor()),
    limiter_(ctx_->cfg->server.max_requests_per_second),
    queue_(static_cast<std::size_t>(ctx_->cfg->server.max_write_queue_bytes)),
    session_id_(ctx_->next_session_id()) {
}

ws_session::~ws_session() = default;

void ws_session::run(http::request<http::string_body> req) {
  auto cfg = ctx_->cfg.get();
  // Every line, in order: a proxy may add its own below the client's.
  for (const auto& line :
       boost::make_iterator_range(req.equal_range("X-Forwarded-For"))) {
    if (!forwarded_for_.empty())
      forwarded_for_ += ',';
    forwarded_for_.append(line.value().data(), line.value().size());
  }
  const auto& s = cfg->server;
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(30);
  // Beast pings at half the idle timeout and drops a peer silent for all of
  // it: a ping every idle_ping_ms.
  timeouts.idle_timeout = std::chrono::milliseconds(2 * s.idle_ping_ms);
  timeouts.keep_alive_pings = true;
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(timeouts);
  ws_.read_message_max(static_cast<std::size_t>(s.max_frame_bytes));
  ws_.set_option(
    websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(http::field::server, "baton");
    }));
  ws_.async_accept(req, beast::bind_front_handler(&ws_session::on_accept,
                                                  shared_from_this()));
}

void ws_session::on_accept(beast::error_code ec) {
  if (ec)
    return finish();
  {
    std::lock_guard guard{ctx_->sessions_mutex};
    ctx_->sessions.emplace(this, weak_from_this());
  }
  ctx_->metrics.ws_sessions.add(1);
  opened_at_ = std::chrono::steady_clock::now();
  beast::error_code peer_error;
  auto peer = beast::get_lowest_layer(ws_).socket().remote_endpoint(peer_error);
  // Read once, then let go: a client may send up to 8 KiB of it, which
  // the session would otherwise keep for its whole life.
  auto forwarded_for = std::exchange(forwarded_for_, {});
  auto address = peer_error
                   ? std::string{"?"}
                   : client_address(peer.address().to_string(), forwarded_for,
                                    ctx_->cfg->server.trusted_proxies);
  if (!ctx_->sessions_by_address.try_add(
        address, ctx_->cfg->limits.sessions_per_address)) {
    ctx_->metrics.count_refusal(engine::limit::sessions_per_address);
    log::warn("session refused")
      .field("session", session_id_)
      .field("address", address)
      .field("reason", "limits.sessions_per_address");
    return close_after_flush(websocket::close_code::policy_error,
                             "limit_reached: too many sessions from this "
                             "address");
  }
  address_ = std::move(address);
  hello_timer_.expires_after(
    std::chrono::milliseconds(ctx_->cfg->auth.hello_timeout_ms));
  hello_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec && !self->who_)
      self->close_after_flush(websocket::close_code::policy_error,
                              "no hello in time");
  });
  do_read();
}

void ws_session::do_read() {
  reading_ = true;
  ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read,
                                                    shared_from_this()));
}

void ws_session::on_read(beast::error_code ec, std::size_t bytes) {
  reading_ = false;
  // A frame over the limit: Beast has already closed with 1009.
  if (ec) {
    if (end_reason_.empty())
      end_reason_ = ec == websocket::error::closed ? "closed by the client"
                    : ec == websocket::error::message_too_big
                      ? "frame too large"
                      : "connection lost: " + ec.message();
    return finish();
  }
  ctx_->metrics.frames[0].add(1);
  if (!ws_.got_text()) {
    answer_bad(std::nullopt, errc::bad_request,
               encode_error(std::nullopt, errc::bad_request,
                            "binary frames are not accepted: send text"));
  } else {
    // simdjson reads a little past the frame: make room without a copy.
    buffer_.prepare(frame_decoder::padding);
    auto data = buffer_.data();
    handle({static_cast<const char*>(data.data()), bytes}, buffer_.capacity());
  }
  buffer_.consume(buffer_.size());
  if (!closing_)
    do_read();
}

void ws_session::handle(std::string_view text, std::size_t capacity) {
  auto decoded = decoder_.decode(text, capacity);
  if (auto* bad = std::get_if<decode_error>(&decoded)) {
    return answer_bad(bad->id, errc::bad_request, encode_error(*bad));
  }
  if (auto* later = std::get_if<unsupported_verb>(&decoded)) {
    if (!who_)
      return answer_bad(later->id, errc::unauthorized,
                        encode_error(later->id, errc::unauthorized,
                                     "send hello first"));
    return answer_bad(later->id, errc::bad_request, encode_unsupported(*later));
  }
  auto& f = std::get<client_frame>(decoded);
  if (!within_rate(f.id))
    return;
  if (std::holds_alternative<hello_request>(f.body))
    return on_hello(f);
  if (!who_) {
    ctx_->metrics.count_error(errc::unauthorized);
    return answer_now(
      encode_error(f.id, errc::unauthorized, "send hello first"));
  }
  if (const auto* q = std::get_if<refresh_request>(&f.body))
    return on_refresh(f, *q);
  on_request(f);
}

void ws_session::on_hello(const client_frame& f) {
  if (who_) {
    ctx_->metrics.count_error(errc::invalid_state);
    return answer_now(
      encode_error(f.id, errc::invalid_state, "already authenticated"));
  }
  auto cfg = ctx_->cfg.get();
  auto outcome = authenticate(*cfg, std::get<hello_request>(f.body),
                              unix_seconds(),
                              [this] { return ctx_->next_visitor_id(); });
  if (auto* refused = std::get_if<hello_refused>(&outcome)) {
    ctx_->metrics.count_error(errc::unauthorized);
    const auto& h = std::get<hello_request>(f.body);
    log::info("hello refused")
      .field("session", session_id_)
      .field("address", address_)
      .field("role", engine::to_string(h.role))
      .field("user", h.user)
      .field("reason", refused->message);
    answer_now(encode_error(f.id, errc::unauthorized, refused->message));
    return close_after_flush(websocket::close_code::policy_error,
                             "unauthorized");
  }
  auto& accepted = std::get<hello_accepted>(outcome);
  auto key = engine::user_key(accepted.who.role, accepted.who.user);
  auto most = cfg->limits.sessions_per_user;
  if (!ctx_->sessions_by_user.try_add(key, most)) {
    ctx_->metrics.count_refusal(engine::limit::sessions_per_user);
    ctx_->metrics.count_error(errc::limit_reached);
    log::warn("hello refused")
      .field("session", session_id_)
      .field("address", address_)
      .field("role", engine::to_string(accepted.who.role))
      .field("user", accepted.who.user)
      .field("reason", "limits.sessions_per_user");
    answer_now(encode_error(f.id, errc::limit_reached,
                            "too many sessions for this user: at most "
                              + std::to_string(most)
                              + " (limits.sessions_per_user)"));
    return close_after_flush(websocket::close_code::policy_error,
                             "limit_reached");
  }
  user_key_ = std::move(key);
  anonymous_ = accepted.visitor;
  hello_timer_.cancel();
  arm_expiry(accepted.expires_at_s);
  if (engine::is_staff(accepted.who.role)
      && !listen_for_roster_changes(accepted.who)) {
    // A reload took the user off the roster as the hello was checked.
    ctx_->metrics.count_error(errc::unauthorized);
    auto why = "not configured as "
               + std::string{engine::to_string(accepted.who.role)};
    log::info("hello refused")
      .field("session", session_id_)
      .field("address", address_)
      .field("role", engine::to_string(accepted.who.role))
      .field("user", accepted.who.user)
      .field("reason", why);
    answer_now(encode_error(f.id, errc::unauthorized, why));
    return close_after_flush(websocket::close_code::policy_error,
                             "removed_from_roster");
  }
  who_ = accepted.who;
  audience_ = audience_of(who_->role);
  log::info("session opened")
    .field("session", session_id_)
    .field("role", engine::to_string(who_->role))
    .field("user", who_->user)
    .field("address", address_);
  sink_ = std::make_shared<session_sink>(weak_from_this());
  auto ticket = take_ticket();
  ctx_->routing.connect(
    *who_, sink_,
    [weak = weak_from_this(), ticket, re = f.id, id = session_id_, who = *who_,
     resume = accepted.resume_token](const actors::reply& r) {
      auto self = weak.lock();
      if (!self)
        return;
      // A core that did not answer (on another node, gone or frozen): no
      // `ok` that would list nothing; the client comes back later.
      if (!r.ok()) {
        self->ctx_->metrics.count_error(r.code);
        self->complete(ticket, share(encode_error(re, r.code, r.message)));
        return self->close_after_flush(websocket::close_code::try_again_later,
                                       "unavailable");
      }
      static const actors::welcome nothing;
      const auto* w = std::get_if<actors::welcome>(&r.body);
      self->complete(ticket, share(encode_hello_ok(re, id, who.role, who.user,
                                                   w ? *w : nothing, resume)));
    });
}

void ws_session::on_refresh(const client_frame& f, const refresh_request& q) {
  auto outcome = refresh(*ctx_->cfg.get(), *who_, q.token, unix_seconds());
  if (auto* refused = std::get_if<hello_refused>(&outcome)) {
    ctx_->metrics.count_error(errc::unauthorized);
    // The session goes on until its current token expires.
    return answer_now(encode_error(f.id, errc::unauthorized, refused->message));
  }
  auto exp = std::get<std::int64_t>(outcome);
  arm_expiry(exp);
  answer_now(encode_refresh_ok(f.id, exp * 1000));
}

void ws_session::arm_expiry(std::optional<std::int64_t> expires_at_s) {
  if (!expires_at_s)
    return;
  // A steady timer counts nanoseconds: past about 292 years it would wrap
  // and fire at once. A session of a century outlives any process.
  constexpr std::int64_t century_s = 100LL * 366 * 86'400;
  auto left = std::clamp<std::int64_t>(*expires_at_s - unix_seconds(), 0,
                                       century_s);
  expiry_timer_.expires_after(std::chrono::seconds(left));
  expiry_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec)
      self->close_after_flush(websocket::close_code::policy_error,
                              "token_expired");
  });
}

bool ws_session::listen_for_roster_changes(const actors::caller& who) {
  {
    std::lock_guard guard{ctx_->sessions_mutex};
    staff_ = true;
  }
  // A reload that swapped the configuration after this hello was checked
  // and before the flag was set passed this session by: its roster is
  // read again here.
  return still_on_roster(*ctx_->cfg.get(), who);
}

void ws_session::check_roster() {
  // Called under sessions_mutex. Customers and bots need no roster entry:
  // of 200 000 sessions, only the staff's are worth a task on their
  // threads.
  if (!staff_)
    return;
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->who_ && !still_on_roster(*self->ctx_->cfg.get(), *self->who_))
      self->close_after_flush(websocket::close_code::policy_error,
                              "removed_from_roster");
  });
}

bool ws_session::refused_by_limits(
  const client_frame& f, const engine::config::limits_settings& limits) {
  const auto& r = std::get<actors::request>(f.body);
  auto refuse = [&](engine::limit l, std::string message) {
    ctx_->metrics.count_refusal(l);
    ctx_->metrics.count_error(errc::limit_reached);
    answer_now(encode_error(f.id, errc::limit_reached, message));
    return true;
  };
  // Its replies finished early wait for an earlier one's: they must not
  // pile up behind a slow one.
  if (order_.outstanding()
      >= static_cast<std::size_t>(limits.requests_in_flight_per_session))
    return refuse(engine::limit::requests_in_flight_per_session,
                  "too many requests awaiting their replies: at most "
                    + std::to_string(limits.requests_in_flight_per_session)
                    + " (limits.requests_in_flight_per_session)");
  if (text_bytes(r) > static_cast<std::size_t>(limits.max_text_bytes))
    return refuse(engine::limit::max_text_bytes,
                  "the text is longer than "
                    + std::to_string(limits.max_text_bytes)
                    + " bytes (limits.max_text_bytes)");
  if (anonymous_ && std::holds_alternative<actors::start_conversation>(r)
      && ++starts_ > limits.starts_per_anonymous_session)
    return refuse(engine::limit::starts_per_anonymous_session,
                  "too many conversations started in this session: at most "
                    + std::to_string(limits.starts_per_anonymous_session)
                    + " (limits.starts_per_anonymous_session)");
  return false;
}

bool ws_session::within_rate(const std::optional<std::string>& re) {
  if (limiter_.allow(rate_limiter::clock::now()))
    return true;
  ctx_->metrics.count_error(errc::rate_limited);
  answer_now(
    encode_error(re, errc::rate_limited, "too many requests: slow down"));
  return false;
}

void ws_session::answer_bad(const std::optional<std::string>& re, errc code,
                            std::string text) {
  if (within_rate(re)) {
    ctx_->metrics.count_error(code);
    answer_now(std::move(text));
  }
  if (++bad_frames_ > ctx_->cfg->limits.bad_frames_per_session) {
    ctx_->metrics.count_refusal(engine::limit::bad_frames);
    close_after_flush(websocket::close_code::policy_error,
                      "too many invalid frames");
  }
}

void ws_session::on_request(client_frame& f) {
  // One snapshot of the configuration per request.
  auto cfg = ctx_->cfg.get();
  if (refused_by_limits(f, cfg->limits))
    return;
  auto who = *who_;
  // A customer names itself; a bot names the customer it starts for.
  if (!f.display_name.empty() && who.role == engine::role::customer)
    who.name = f.display_name;
  auto ticket = take_ticket();
  auto& r = std::get<actors::request>(f.body);
  auto max_bytes = static_cast<std::size_t>(cfg->server.max_frame_bytes);
  ctx_->routing.submit(
    who, std::move(r),
    [weak = weak_from_this(), ticket, re = f.id, aud = audience_, max_bytes,
     verb = f.type,
     // The clock is read only when the debug line will be written.
     started = log::enabled(log::level::debug)
                 ? std::chrono::steady_clock::now()
                 : std::chrono::steady_clock::time_point{}](
      const actors::reply& out) {
      auto self = weak.lock();
      if (!self)
        return;
      auto code = error_code_of(out);
      if (code != errc::ok)
        self->ctx_->metrics.count_error(code);
      if (log::enabled(log::level::debug)
          && started != std::chrono::steady_clock::time_point{})
        log::debug("request")
          .field("session", self->session_id_)
          .field("type", verb)
          .field("result", code == errc::ok ? "ok" : engine::code_name(code))
          .field("us", std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count());
      self->complete(ticket,
                     share(encode_reply_within(re, out, aud, max_bytes)));
    });
}

frame_order::ticket ws_session::take_ticket() {
  return order_.take();
}

void ws_session::answer_now(std::string text) {
  complete(take_ticket(), share(std::move(text)));
}

void ws_session::complete(frame_order::ticket t, frame f) {
  // Replies come from actor threads: hop onto the session's I/O thread first.
  net::dispatch(ws_.get_executor(),
                [self = shared_from_this(), t, f = std::move(f)]() mutable {
                  self->order_.complete(t, std::move(f), [&](frame ready) {
                    self->enqueue(std::move(ready));
                  });
                  if (self->over_write_bound())
                    self->cut_off();
                });
}

void ws_session::deliver(const actors::notification_ptr& n) {
  const auto& f = shared_event(*n, audience_);
  if (!f)
    return;
  net::post(ws_.get_executor(), [self = shared_from_this(), f] {
    // Events that come before the hello reply wait for it too: a client
    // must not hear of an offer's end before the reply that lists the offer.
    self->order_.event(f,
                       [&](frame ready) { self->enqueue(std::move(ready)); });
    if (self->over_write_bound())
      self->cut_off();
  });
}

bool ws_session::over_write_bound() const {
  return order_.held_bytes() + queue_.bytes() > queue_.max_bytes();
}

void ws_session::go_away() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    self->close_after_flush(websocket::close_code::going_away,
                            "server shutting down");
  });
}

void ws_session::reconnect() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    self->close_after_flush(websocket::close_code::service_restart,
                            "reconnect");
  });
}

void ws_session::enqueue(frame f) {
  if (finished_ || close_sent_)
    return;
  if (!queue_.push(std::move(f)))
    return cut_off();
  if (!writing_)
    do_write();
}

void ws_session::cut_off() {
  if (close_sent_)
    return;
  end_reason_ = "not reading (server.max_write_queue_bytes)";
  closing_ = true;
  close_sent_ = true;
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
  // A pending read or write ends in an error and finishes the session;
  // with neither (it stopped reading to close, its close waits for replies
  // owed), nothing would, and it would stay counted for good.
  if (!reading_ && !writing_)
    finish();
}

void ws_session::do_write() {
  if (queue_.empty()) {
    writing_ = false;
    // A closing session still owes its replies (a message stored, say):
    // the close frame goes after the last of them.
    if (close_after_ && order_.outstanding() == 0) {
      close_sent_ = true;
      ws_.async_close(*close_after_, [self = shared_from_this()](
                                       beast::error_code) { self->finish(); });
      close_after_.reset();
    }
    return;
  }
  writing_ = true;
  ws_.text(true);
  ws_.async_write(net::buffer(*queue_.front()),
                  beast::bind_front_handler(&ws_session::on_write,
                                            shared_from_this()));
}

void ws_session::on_write(beast::error_code ec, std::size_t) {
  if (ec)
    return finish();
  ctx_->metrics.frames[1].add(1);
  queue_.pop();
  do_write();
}

void ws_session::close_after_flush(websocket::close_code code,
                                   std::string reason) {
  if (closing_)
    return;
  closing_ = true;
  end_reason_ = reason;
  close_after_ = websocket::close_reason(code, reason);
  if (!writing_)
    do_write();
}

void ws_session::finish() {
  if (finished_)
    return;
  finished_ = true;
  closing_ = true;
  hello_timer_.cancel();
  expiry_timer_.cancel();
  if (opened_at_) {
    using std::chrono::duration_cast;
    auto open_for = std::chrono::steady_clock::now() - *opened_at_;
    auto line = log::info("session closed");
    line.field("session", session_id_);
    if (who_)
      line.field("role", engine::to_string(who_->role))
        .field("user", who_->user);
    line.field("address", address_)
      .field("seconds", duration_cast<std::chrono::seconds>(open_for).count())
      .field("reason", end_reason_.empty() ? "connection lost" : end_reason_);
  }
  if (who_)
    ctx_->routing.disconnect(*who_, sink_);
  if (!user_key_.empty())
    ctx_->sessions_by_user.remove(user_key_);
  if (!address_.empty())
    ctx_->sessions_by_address.remove(address_);
  std::lock_guard guard{ctx_->sessions_mutex};
  if (ctx_->sessions.erase(this) > 0)
    ctx_->metrics.ws_sessions.add(-1);
}

} // namespace baton::gateway
