#pragma once

#include <string>

#include "engine/config/config.hpp"

namespace baton::app {

/// The exit code of a node of a cluster that stopped because it could no
/// longer be sure of its lease (docs/cluster.md): EX_TEMPFAIL, start it
/// again and it stands by.
inline constexpr int exit_lease_lost = 75;

/// Runs Baton with a loaded configuration until SIGTERM or SIGINT; returns
/// the process exit code. SIGHUP reloads `config_path` (see
/// docs/configuration.md, "Reloading").
int serve(const engine::config::config& cfg, const std::string& config_path);

} // namespace baton::app
