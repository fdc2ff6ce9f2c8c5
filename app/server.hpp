#pragma once

#include "engine/config/config.hpp"

namespace baton::app {

/// Runs Baton with a loaded configuration until SIGTERM or SIGINT; returns
/// the process exit code.
int serve(const engine::config::config& cfg);

} // namespace baton::app
