#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "actors/api.hpp"
#include "engine/config/config.hpp"
#include "engine/ids.hpp"
#include "gateway/auth/hello.hpp"
#include "gateway/http/bare_token_guard.hpp"
#include "gateway/http/gateway_metrics.hpp"
#include "gateway/http/static_files.hpp"
#include "gateway/session/session_counts.hpp"

namespace baton::gateway {

class ws_session;

/// What every connection of one server shares.
/// The configuration the gateway reads. A reload (SIGHUP) swaps it while
/// sessions read it on their own threads: each read takes a snapshot that
/// stays valid as long as it is held.
class live_config {
public:
  using pointer = std::shared_ptr<const engine::config::config>;

  explicit live_config(pointer cfg) : cfg_(std::move(cfg)) {
  }

  pointer get() const {
    return cfg_.load();
  }
  void set(pointer cfg) {
    cfg_.store(std::move(cfg));
  }
  /// `ctx->cfg->server...`: the snapshot lives to the end of the expression.
  pointer operator->() const {
    return get();
  }

private:
  std::atomic<pointer> cfg_;
};

struct server_context {
  live_config cfg;
  actors::routing_service& routing;
  gateway_metrics metrics;
  /// The web consoles' files; null when `console.enabled` is false or the
  /// files cannot be read. Swapped by a reload.
  std::atomic<std::shared_ptr<const static_files>> console;
  /// Bare supervisor tokens found good, and the budget for the others.
  bare_token_guard bare_tokens;
  std::atomic<bool> ready{false};
  std::atomic<bool> draining{false};

  /// Open WebSocket sessions, to close them on shutdown. Touched only when a
  /// session opens or closes, never per frame.
  std::mutex sessions_mutex;
  std::unordered_map<ws_session*, std::weak_ptr<ws_session>> sessions;
  /// `limits.sessions_per_user` and `limits.sessions_per_address`.
  session_counts sessions_by_user;
  session_counts sessions_by_address;

  /// Visitor ids name anonymous customers: from the CSPRNG, unguessable.
  std::mutex ids_mutex;
  engine::id_generator session_ids{"s-"};
  engine::id_generator visitor_ids{visitor_prefix};

  server_context(std::shared_ptr<const engine::config::config> c,
                 actors::routing_service& r)
    : cfg(std::move(c)), routing(r) {
  }

  std::string next_session_id();
  std::string next_visitor_id();
};

/// Unix milliseconds now.
engine::time_ms wall_clock_ms();

} // namespace baton::gateway
