#pragma once

#include <array>
#include <string>

#include "actors/metrics.hpp"
#include "engine/errc.hpp"
#include "engine/limits.hpp"
#include "gateway/http/process_metrics.hpp"

namespace baton::gateway {

/// What the gateway counts, beside the routing core's numbers.
struct gateway_metrics {
  actors::gauge ws_sessions;
  /// Plain HTTP connections (not upgraded): they count against
  /// server.max_sessions with the WebSocket sessions.
  actors::gauge http_connections;
  std::array<actors::gauge, 2> frames; ///< [0] in, [1] out
  std::array<actors::gauge, engine::errc_count> request_errors;
  /// Refusals by the gateway's own bounds (sessions, text, bad frames).
  std::array<actors::gauge, engine::limit_count> limit_refusals;

  void count_error(engine::errc code) noexcept {
    request_errors[static_cast<std::size_t>(code)].add(1);
  }
  void count_refusal(engine::limit l) noexcept {
    limit_refusals[static_cast<std::size_t>(l)].add(1);
  }
};

/// The Prometheus text exposition (format 0.0.4) of every metric the
/// protocol names, then the process's own (`process_*`, as the client
/// libraries name them) and `baton_build_info`.
std::string render_metrics(const actors::routing_metrics& routing,
                           const gateway_metrics& gateway,
                           const process_stats& process);

/// The version Baton was built as (CMake's PROJECT_VERSION, as
/// `baton --version` prints it).
std::string_view build_version() noexcept;

} // namespace baton::gateway
