#pragma once

#include <cstddef>

#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"

namespace baton::actors {

/// The scheduler Baton runs on: `threads` workers sharing one job queue.
///
/// CAF's default, work stealing, loses badly on the few cores Baton is
/// deployed on: an idle worker sleeps between steal attempts, so the actors
/// one busy actor spawns or wakes wait for it. Measured on two cores
/// (docs/benchmarks.md, "Scheduler"): recovery of 100k open conversations
/// 184 s stealing against 1.2 s sharing; in-process routes at window 16
/// 20k/s against 32k/s, p99 1.6 ms against 0.6 ms.
inline void configure_scheduler(caf::actor_system_config& cfg,
                                std::size_t threads) {
  cfg.set("scheduler.max-threads", threads);
  cfg.set("scheduler.policy", caf::atom("sharing"));
}

} // namespace baton::actors
