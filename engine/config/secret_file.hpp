#pragma once

#include <string>

#include "engine/config/config.hpp"

namespace baton::engine::config {

/// When `auth.secret` is not set, reads it from `auth.secret_file` (as
/// loaded: a relative path already prefixed with the configuration file's
/// directory, like `storage.path`). With `create`,
/// a missing file is made first: 32 random bytes from the system's CSPRNG as
/// 64 hex digits, readable by its owner only, so a demo starts with a
/// secret nobody else knows. Returns what went wrong, empty on success.
std::string resolve_secret_file(config& cfg, bool create);

} // namespace baton::engine::config
