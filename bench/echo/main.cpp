// baton-echo: a bare Beast WebSocket echo server, the ceiling baton-load
// compares Baton with. Every text frame comes straight back; nothing is
// parsed. One io_context per thread, each with its own acceptor on the same
// port (SO_REUSEPORT), so threads share no state.
//
//   baton-echo --listen 127.0.0.1:0 --threads 2
//
// Prints "listening address=<addr:port> port=<N>" on stderr once it accepts;
// stops on SIGTERM or SIGINT.

#include <charconv>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

/// One connection: read a frame, write it back, read the next. Frames are
/// echoed in order and one at a time, as a session writes its replies.
class echo_session : public std::enable_shared_from_this<echo_session> {
public:
  explicit echo_session(tcp::socket socket) : ws_(std::move(socket)) {
  }

  void start() {
    ws_.set_option(
      websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept([self = shared_from_this()](beast::error_code ec) {
      if (!ec)
        self->do_read();
    });
  }

private:
  void do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec,
                                                        std::size_t) {
      if (!ec)
        self->do_write();
    });
  }

  void do_write() {
    ws_.text(ws_.got_text());
    ws_.async_write(buffer_.data(), [self = shared_from_this()](
                                      beast::error_code ec, std::size_t) {
      if (ec)
        return;
      self->buffer_.consume(self->buffer_.size());
      self->do_read();
    });
  }

  websocket::stream<tcp::socket> ws_;
  beast::flat_buffer buffer_;
};

class listener {
public:
  listener(net::io_context& ioc, const tcp::endpoint& at, bool reuse_port)
    : ioc_(ioc), acceptor_(ioc) {
    acceptor_.open(at.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    if (reuse_port) {
      int one = 1;
      ::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one,
                   sizeof one);
    }
    acceptor_.bind(at);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  tcp::endpoint local() const {
    return acceptor_.local_endpoint();
  }

  void do_accept() {
    acceptor_.async_accept(ioc_, [this](beast::error_code ec, tcp::socket s) {
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        std::make_shared<echo_session>(std::move(s))->start();
      }
      if (acceptor_.is_open())
        do_accept();
    });
  }

  void close() {
    beast::error_code ec;
    acceptor_.close(ec);
  }

private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
};

int usage(const char* why) {
  std::cerr << "baton-echo: " << why
            << "\nusage: baton-echo [--listen IP:PORT] [--threads N]\n";
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  unsigned threads = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--listen" && i + 1 < argc) {
      listen = argv[++i];
    } else if (a == "--threads" && i + 1 < argc) {
      std::string_view v = argv[++i];
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), threads);
      if (ec != std::errc() || p != v.data() + v.size() || threads > 1024)
        return usage("--threads takes 0 to 1024");
    } else {
      return usage("unknown argument");
    }
  }
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    return usage("--listen takes IP:PORT");
  beast::error_code ec;
  auto address = net::ip::make_address(listen.substr(0, colon), ec);
  unsigned port = 0;
  auto ps = std::string_view(listen).substr(colon + 1);
  auto [p, pec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
  if (ec || pec != std::errc() || port > 65535)
    return usage("--listen takes IP:PORT");

  // The first acceptor picks the port (perhaps 0 → a free one); the others
  // join it with SO_REUSEPORT.
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<std::unique_ptr<listener>> listeners;
  tcp::endpoint at(address, static_cast<unsigned short>(port));
  try {
    for (unsigned t = 0; t < threads; ++t) {
      contexts.push_back(std::make_unique<net::io_context>(1));
      listeners.push_back(
        std::make_unique<listener>(*contexts.back(), at, true));
      at = listeners.front()->local();
    }
  } catch (const std::exception& e) {
    std::cerr << "baton-echo: cannot listen on " << listen << ": " << e.what()
              << "\n";
    return 1;
  }
  for (auto& l : listeners)
    l->do_accept();

  net::signal_set signals(*contexts.front(), SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) {
    for (auto& c : contexts)
      c->stop();
  });
  std::cerr << "baton-echo listening address=" << at.address().to_string()
            << ':' << at.port() << " port=" << at.port() << std::endl;

  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back([&c = *contexts[t]] { c.run(); });
  contexts.front()->run();
  for (auto& c : contexts)
    c->stop();
  for (auto& t : pool)
    t.join();
  return 0;
}
