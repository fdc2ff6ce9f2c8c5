#include "app/core_locator.hpp"

#include <mutex>
#include <set>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "caf/all.hpp"
#include "caf/io/middleman.hpp"

#include "engine/config/config.hpp"

namespace baton::app {
namespace {

using core_atom = caf::atom_constant<caf::atom("core")>;
using store_atom = caf::atom_constant<caf::atom("store")>;

/// Why a TCP connection to `at` does not open within `patience`; empty
/// when it does.
std::string why_unreachable(const engine::config::endpoint& at,
                            std::chrono::milliseconds patience) {
  namespace net = boost::asio;
  net::io_context io;
  net::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto found = resolver.resolve(at.host, std::to_string(at.port), ec);
  if (ec)
    return ec.message();
  net::ip::tcp::socket socket(io);
  std::string why = "no connection within " + std::to_string(patience.count())
                    + " ms";
  net::async_connect(socket, found,
                     [&](const boost::system::error_code& e,
                         const net::ip::tcp::endpoint&) {
                       why = e ? e.message() : std::string{};
                     });
  io.run_for(patience);
  return why;
}

} // namespace

/// The directory to hand out; set by the main thread, read by the actor.
struct core_locator::state {
  std::mutex mutex;
  caf::actor core;
  std::int64_t incarnation = 0;
  std::function<bool()> store_failing;
  caf::actor published;
};

core_locator::core_locator(caf::actor_system& system, const std::string& listen)
  : state_(std::make_shared<state>()), system_(system) {
  auto endpoint = engine::config::parse_endpoint(listen);
  if (!endpoint)
    throw std::runtime_error("cluster.listen: " + listen);
  state_->published = system.spawn([st = state_]() -> caf::behavior {
    return {
      [st](core_atom) {
        std::lock_guard lock{st->mutex};
        return caf::make_message(st->core, st->incarnation);
      },
      [st](store_atom) {
        std::lock_guard lock{st->mutex};
        return st->store_failing && st->store_failing();
      },
    };
  });
  auto port = system.middleman().publish(state_->published, endpoint->port,
                                         endpoint->host.c_str(), true);
  if (!port) {
    caf::anon_send_exit(state_->published, caf::exit_reason::user_shutdown);
    throw std::runtime_error("cluster.listen " + listen + ": "
                             + system.render(port.error()));
  }
  auto host = endpoint->host.find(':') == std::string::npos
                ? endpoint->host
                : "[" + endpoint->host + "]"; // IPv6
  address_ = host + ":" + std::to_string(*port);
}

core_locator::~core_locator() {
  system_.middleman().unpublish(state_->published);
  caf::anon_send_exit(state_->published, caf::exit_reason::user_shutdown);
}

void core_locator::serve(const caf::actor& directory,
                         std::function<bool()> store_failing,
                         std::int64_t incarnation) {
  std::lock_guard lock{state_->mutex};
  state_->core = directory;
  state_->incarnation = incarnation;
  state_->store_failing = std::move(store_failing);
}

std::variant<core_locator::found_core, std::string>
core_locator::find_core(caf::actor_system& system, const std::string& address,
                        std::chrono::milliseconds patience) {
  auto endpoint = engine::config::parse_endpoint(address);
  if (!endpoint)
    return "not an address: " + address;
  // The middleman's own connect waits as long as TCP does (minutes for a
  // host that drops packets): a probe first, bounded.
  if (auto why = why_unreachable(*endpoint, patience); !why.empty())
    return why;
  // Asked of the middleman's actor with a patience: its remote_actor()
  // waits for the handshake with no limit, and a peer whose kernel
  // accepts while the process is frozen never answers one.
  caf::scoped_actor self{system};
  caf::actor node;
  std::string why = "no handshake within " + std::to_string(patience.count())
                    + " ms";
  self
    ->request(system.middleman().actor_handle(), patience,
              caf::connect_atom::value, endpoint->host, endpoint->port)
    .receive(
      [&](const caf::node_id&, caf::strong_actor_ptr& published,
          const std::set<std::string>&) {
        node = caf::actor_cast<caf::actor>(std::move(published));
        why = "nothing published there";
      },
      [&](caf::error& e) { why = system.render(e); });
  if (!node)
    return why;
  std::variant<found_core, std::string> found{std::string{"no answer"}};
  self->request(node, patience, core_atom::value)
    .receive(
      [&](caf::actor& core, std::int64_t incarnation) {
        if (core)
          found = found_core{node, std::move(core), incarnation};
        else
          found = std::string{"it runs no routing core"};
      },
      [&](caf::error& e) { found = system.render(e); });
  return found;
}

void core_locator::ask_store_failing(caf::event_based_actor* self,
                                     const caf::actor& locator,
                                     std::chrono::milliseconds patience,
                                     std::function<void(bool)> answer) {
  self->request(locator, patience, store_atom::value)
    .then([answer = std::move(answer)](bool failing) { answer(failing); },
          [](const caf::error&) {});
}

} // namespace baton::app
