#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/config/config.hpp"
#include "engine/conversation/explain.hpp"

/// Replay (docs/routing.md, "Replay"): each decision a queue recorded
/// grounds for, decided again from those grounds under a configuration, to
/// show that routing is deterministic, or what a change of configuration
/// would have changed.
namespace baton::engine {

struct replay_difference {
  std::uint64_t seq = 0;
  /// What the log says, and what the configuration decides instead, as
  /// sentences.
  std::string recorded;
  std::string replayed;

  friend bool operator==(const replay_difference&, const replay_difference&)
    = default;
};

struct replay_result {
  /// Decisions with grounds that were decided again.
  std::size_t decisions = 0;
  std::vector<replay_difference> differences;
};

/// Decides each step of `steps` that has grounds again under the queues and
/// topics of `cfg`. The strategy ranks the eligible agents the grounds name
/// (the first five of the recorded order), so a strategy that would reach
/// past them is judged among them; `random` agrees with any of them, and
/// `round_robin`'s rotation is only known when it was the strategy then.
replay_result replay_routing(const std::vector<routing_step>& steps,
                             const config::config& cfg);

} // namespace baton::engine
