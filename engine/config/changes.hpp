#pragma once

#include <string>
#include <vector>

#include "engine/config/config.hpp"

namespace baton::engine::config {

/// What a reload changes, one line each, for the log: sections by name
/// (`[routing] changed`), queues, topics and agents by id (`queue vip
/// added`, `agent bob removed`, `agent alice changed: capacity, queues`).
/// Empty when nothing changed. Secrets are never shown, only that the
/// section changed.
std::vector<std::string> describe_changes(const config& before,
                                          const config& after);

} // namespace baton::engine::config
