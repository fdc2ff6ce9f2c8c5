#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "actors/interfaces.hpp"

#include "actors/metrics.hpp"
#include "actors/runtime_source.hpp"
#include "engine/config/config.hpp"
#include "engine/types.hpp"

namespace baton::actors {

class local_sinks;

/// What every actor of a routing service shares, read-only.
struct runtime {
  std::shared_ptr<const engine::config::config> cfg;
  /// Which reload made it: 0 at start (runtime_source.hpp).
  std::uint64_t version = 0;
  /// Where a reload's runtime is read from (config_changed).
  std::shared_ptr<runtime_source> source;
  /// Added to the actor clock (steady, or simulated in tests) to get Unix
  /// time: timers and timestamps then come from one clock.
  engine::time_ms epoch_offset_ms = 0;
  std::uint64_t seed = 0;
  std::shared_ptr<routing_metrics> metrics;
  /// Hears of conversation and agent changes for supervisors; null until
  /// the directory has spawned it.
  supervision_actor supervision;
  /// Keeps conversations' timers (timers/actor.hpp); null until the
  /// directory has spawned it.
  timers_actor timers;
  /// Stores every conversation's events; null when nothing is stored.
  journal_actor journal;
  /// Reads stored conversations (store_read); null when nothing is stored.
  reader_actor reader;
  /// The sinks of this process's sessions, for inboxes to deliver to
  /// directly (session/local_sinks.hpp).
  std::shared_ptr<local_sinks> sinks;
  /// How long an agent waits for a conversation to answer its claim or pick
  /// before it asks again, by id through the directory: the answer may have
  /// been lost with a node that died, and the conversation come back on
  /// another (docs/cluster.md, "Bounded calls").
  std::chrono::milliseconds call_patience{5000};
  /// A node of a cluster: whether its lease still holds by its own clock.
  /// False once the time it was safe to serve until has passed: a node
  /// frozen past its lease that runs again, for the moment before its
  /// watchdog stops it. Its agents then take no offer and claim nothing
  /// (docs/cluster.md, "Stopping in time"). Empty: always holds.
  std::function<bool()> lease_holds;
};

/// Whether this node may still hand out what its actors hold.
inline bool lease_holds(const runtime& rt) {
  return !rt.lease_holds || rt.lease_holds();
}

using runtime_ptr = std::shared_ptr<const runtime>;

/// Unix milliseconds by the actor's clock.
template <class Self>
engine::time_ms now_ms(Self* self, const runtime& rt) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  auto since = self->clock().now().time_since_epoch();
  return rt.epoch_offset_ms + duration_cast<milliseconds>(since).count();
}

inline std::chrono::milliseconds as_duration(engine::duration_ms ms) {
  return std::chrono::milliseconds{ms};
}

} // namespace baton::actors
