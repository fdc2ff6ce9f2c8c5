#pragma once

#include <cstdint>
#include <optional>

#include "engine/types.hpp"

namespace baton::engine {

/// How far an offer reaches past an agent's own availability
/// (docs/routing.md, "Supervisor override").
enum class reach : std::uint8_t {
  /// Automatic routing, a transfer or conference to an agent, a direct
  /// conversation: the agent is ready, connected and below capacity.
  routing,
  /// A supervisor's assignment: connected and below capacity, whatever the
  /// status (not ready is about automatic routing, not about supervisors).
  any_status,
  /// A supervisor's assignment with `assign_over_capacity`: connected.
  over_capacity,
};

/// What the agent itself knows of its availability when an offer comes.
struct agent_standing {
  agent_status status = agent_status::offline;
  bool connected = false;
  std::int32_t load = 0;
  std::int32_t capacity = 1;
};

/// Why the agent cannot take an offer of reach `r` now (agent_offline,
/// agent_not_ready or agent_full), or nothing when it can. The one rule
/// every offer to an agent is held to.
std::optional<offer_end> unavailable(const agent_standing& a, reach r) noexcept;

} // namespace baton::engine
