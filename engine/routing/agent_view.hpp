#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/types.hpp"

namespace baton::engine {

/// What a queue knows of one of its agents. The agent itself is the judge of
/// its capacity; this view only decides whom to ask first.
struct agent_view {
  std::string id;
  agent_status status = agent_status::offline;
  bool connected = false;
  std::int32_t load = 0; ///< assigned conversations plus reserved offers
  std::int32_t capacity = 1;
  /// When the agent last started being idle (became ready, or was last
  /// offered a conversation): the key of `longest_idle`.
  time_ms idle_since = 0;
  /// Topics the agent may take: restricted ones need it, `skills` prefers it.
  std::vector<std::string> topics;

  friend bool operator==(const agent_view&, const agent_view&) = default;
};

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_view& x) {
  return f(x.id, x.status, x.connected, x.load, x.capacity, x.idle_since,
           x.topics);
}

} // namespace baton::engine
