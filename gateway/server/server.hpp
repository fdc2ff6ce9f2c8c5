#pragma once

#include <cstdint>
#include <memory>

#include "actors/api.hpp"
#include "engine/config/config.hpp"

namespace baton::gateway {

/// The HTTP and WebSocket front of Baton on one port (docs/protocol.md,
/// "Transport"). No Beast in this header.
class server {
public:
  server(std::shared_ptr<const engine::config::config> cfg,
         actors::routing_service& routing);
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds `server.listen` and starts the I/O threads. Throws
  /// std::system_error when the address cannot be bound.
  void start();

  /// The bound port (useful with port 0).
  std::uint16_t port() const;

  /// A reloaded configuration (SIGHUP): `hello` and the HTTP endpoints check
  /// users against it from now on, and new sessions take its limits. The
  /// listener stays where it is.
  void reload(std::shared_ptr<const engine::config::config> cfg);

  /// `/readyz` answers 200 from now on.
  void set_ready();

  /// Graceful stop: `/readyz` turns 503, no new sessions; open sessions go
  /// on until `server.drain_timeout_ms`, then are closed with 1001. Returns
  /// when every thread has stopped. `hand_over`: another node takes over
  /// once this one is gone, so sessions are closed at once and reconnect
  /// there instead of waiting here.
  void drain_and_stop(bool hand_over = false);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace baton::gateway
