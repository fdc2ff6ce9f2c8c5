#pragma once

#include <string>

#include "engine/config/config.hpp"

namespace baton::app {

/// Runs Baton with a loaded configuration until SIGTERM or SIGINT; returns
/// the process exit code. SIGHUP reloads `config_path` (see
/// docs/configuration.md, "Reloading").
int serve(const engine::config::config& cfg, const std::string& config_path);

} // namespace baton::app
