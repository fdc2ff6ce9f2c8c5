#pragma once

#include <filesystem>

#include "engine/config/config.hpp"

namespace baton::gateway {

/// Where the consoles' built files are: `console.dir` when set; else `web/`
/// beside the directory of the running binary (build/bin/baton serves
/// build/web), found through /proc/self/exe so that the working directory
/// does not matter; else the build directory's, fixed at compile time.
std::filesystem::path
console_dir(const engine::config::console_settings& settings);

} // namespace baton::gateway
