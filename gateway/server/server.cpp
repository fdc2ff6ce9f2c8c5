#include "gateway/server/server.hpp"

#include <exception>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway/http/console_dir.hpp"
#include "gateway/server/context.hpp"
#include "gateway/server/http_session.hpp"
#include "gateway/server/ws_session.hpp"
#include "log/log.hpp"

namespace baton::gateway {
namespace {

using tcp = net::ip::tcp;

constexpr auto accept_retry_pause = std::chrono::milliseconds(100);

/// One io_context per I/O thread: a connection lives on one of them for its
/// whole life, so its handlers never run concurrently without a strand, and
/// a reply posted from an actor wakes the one thread that owns the socket.
class io_threads {
public:
  explicit io_threads(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      // Hint 1: Asio may skip the locking a shared io_context needs between
      // its own threads (posts from actor threads still lock).
      contexts_.push_back(std::make_unique<net::io_context>(1));
      work_.emplace_back(contexts_.back()->get_executor());
    }
  }

  net::io_context& first() {
    return *contexts_.front();
  }
  /// Round robin over the threads, for the next connection.
  net::io_context& next() {
    return *contexts_[next_++ % contexts_.size()];
  }

  void start() {
    for (auto& ioc : contexts_)
      threads_.emplace_back([&ioc = *ioc] { ioc.run(); });
  }
  bool started() const {
    return !threads_.empty();
  }
  /// Each thread ends once its connections are gone.
  void let_finish() {
    work_.clear();
  }
  void stop_and_join() {
    for (auto& ioc : contexts_)
      ioc->stop();
    for (auto& t : threads_)
      if (t.joinable())
        t.join();
    threads_.clear();
  }

private:
  std::vector<std::unique_ptr<net::io_context>> contexts_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::size_t next_ = 0; ///< touched by the acceptor's thread only
};

/// Accepts connections on the first I/O thread and hands each to the next.
class listener : public std::enable_shared_from_this<listener> {
public:
  listener(io_threads& io, tcp::endpoint at,
           std::shared_ptr<server_context> ctx)
    : io_(io),
      acceptor_(io.first()),
      pause_(acceptor_.get_executor()),
      ctx_(std::move(ctx)) {
    acceptor_.open(at.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(at);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  void run() {
    do_accept();
  }

  std::uint16_t port() const {
    return acceptor_.local_endpoint().port();
  }

  void stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

private:
  void do_accept() {
    acceptor_.async_accept(io_.next(),
                           beast::bind_front_handler(&listener::on_accept,
                                                     shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open())
      return;
    if (ec) {
      // Out of file descriptors, say: retrying at once would only spin.
      pause_.expires_after(accept_retry_pause);
      pause_.async_wait([self = shared_from_this()](beast::error_code e) {
        if (!e)
          self->do_accept();
      });
      return;
    }
    // Plain HTTP connections count too: held open (keep-alive, or a
    // request sent slowly), they would be a bound of their own.
    if (ctx_->metrics.ws_sessions.get() + ctx_->metrics.http_connections.get()
        >= ctx_->cfg->server.max_sessions) {
      socket.close(ec); // full: the load balancer tries another node
    } else {
      // A reply and its events leave as separate small writes: without
      // TCP_NODELAY, Nagle holds each one after the first until the
      // client's delayed ACK, 40 ms later.
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<http_session>(std::move(socket), ctx_)->run();
    }
    do_accept();
  }

  io_threads& io_;
  tcp::acceptor acceptor_;
  net::steady_timer pause_;
  std::shared_ptr<server_context> ctx_;
};

tcp::endpoint resolve_listen(const std::string& listen) {
  auto parsed = engine::config::parse_endpoint(listen);
  if (!parsed)
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "server.listen: " + listen);
  net::io_context scratch;
  tcp::resolver resolver(scratch);
  auto results = resolver.resolve(parsed->host, std::to_string(parsed->port));
  return results.begin()->endpoint();
}

std::size_t io_thread_count(const engine::config::config& cfg) {
  if (cfg.server.threads > 0)
    return cfg.server.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

/// The consoles' files for `settings`, or null (off, or not built: the
/// server runs without them and says why).
std::shared_ptr<const static_files>
load_console(const engine::config::console_settings& settings) {
  if (!settings.enabled)
    return nullptr;
  auto dir = console_dir(settings);
  auto loaded = static_files::load(dir, settings.prefix);
  if (auto* why = std::get_if<std::string>(&loaded)) {
    log::warn("consoles not served").field("problem", *why);
    return nullptr;
  }
  auto files = std::make_shared<const static_files>(
    std::move(std::get<static_files>(loaded)));
  log::info("consoles served")
    .field("dir", dir.string())
    .field("files", files->size())
    .field("at", settings.prefix + "/");
  return files;
}

} // namespace

struct server::impl {
  std::optional<io_threads> io;
  std::shared_ptr<server_context> ctx;
  std::shared_ptr<listener> accepting;
};

server::server(std::shared_ptr<const engine::config::config> cfg,
               actors::routing_service& routing)
  : impl_(std::make_unique<impl>()) {
  impl_->ctx = std::make_shared<server_context>(std::move(cfg), routing);
  impl_->ctx->console = load_console(impl_->ctx->cfg->console);
}

server::~server() {
  if (!impl_->io || !impl_->io->started())
    return;
  // A destructor must not throw (the process would end): a drain that fails
  // is logged, and the threads stop all the same.
  try {
    drain_and_stop();
  } catch (const std::exception& e) {
    log::error("server stop failed").field("problem", e.what());
    impl_->io->stop_and_join();
  }
}

void server::start() {
  auto snapshot = impl_->ctx->cfg.get();
  const auto& cfg = *snapshot;
  impl_->io.emplace(io_thread_count(cfg));
  impl_->accepting = std::make_shared<listener>(
    *impl_->io, resolve_listen(cfg.server.listen), impl_->ctx);
  impl_->accepting->run();
  impl_->io->start();
}

std::uint16_t server::port() const {
  return impl_->accepting->port();
}

void server::reload(std::shared_ptr<const engine::config::config> cfg) {
  auto& ctx = *impl_->ctx;
  if (!(cfg->console == ctx.cfg->console))
    ctx.console = load_console(cfg->console);
  ctx.cfg.set(std::move(cfg));
  // Staff removed from the roster (or their role) leave now.
  std::lock_guard guard{ctx.sessions_mutex};
  for (const auto& [raw, weak] : ctx.sessions)
    if (auto s = weak.lock())
      s->check_roster();
}

void server::set_ready() {
  impl_->ctx->ready = true;
}

void server::drain_and_stop(bool hand_over) {
  auto& ctx = *impl_->ctx;
  // Connections are still accepted while draining, so that a load balancer's
  // probe of /readyz reads 503; upgrades to a session are refused.
  ctx.draining = true;
  // Sessions go on until the drain timeout, or until the last one leaves.
  auto deadline = std::chrono::steady_clock::now()
                  + std::chrono::milliseconds(
                    hand_over ? 0 : ctx.cfg->server.drain_timeout_ms);
  while (std::chrono::steady_clock::now() < deadline
         && ctx.metrics.ws_sessions.get() > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::vector<std::shared_ptr<ws_session>> open;
  {
    std::lock_guard guard{ctx.sessions_mutex};
    for (auto& [ptr, weak] : ctx.sessions)
      if (auto s = weak.lock())
        open.push_back(std::move(s));
  }
  impl_->accepting->stop();
  for (auto& s : open)
    s->go_away();
  open.clear();
  // The close handshakes finish, then nothing keeps the threads busy.
  impl_->io->let_finish();
  auto closing_deadline = std::chrono::steady_clock::now()
                          + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < closing_deadline
         && ctx.metrics.ws_sessions.get() > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  impl_->io->stop_and_join();
}

} // namespace baton::gateway
