#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include "engine/config/config.hpp"

namespace baton::actors {

struct runtime;

/// This node's configuration as its actors read it, by version. A reload
/// stages the new configuration here and sends the directory its version;
/// the directory builds the new runtime, installs it, and tells every actor
/// the version (config_changed), which reads it back from here. So no
/// message carries a pointer, and each node reads its own file.
class runtime_source {
public:
  /// A validated configuration, waiting for the directory: its version.
  std::uint64_t stage(std::shared_ptr<const engine::config::config> cfg);
  /// The configuration staged as `version`; null when a newer one replaced
  /// it (the directory then takes that one when its version arrives).
  std::shared_ptr<const engine::config::config>
  staged(std::uint64_t version) const;

  /// The runtime actors read from now on. Held weakly: the directory keeps
  /// the current one alive, and every actor reading it is linked to the
  /// directory.
  void install(const std::shared_ptr<const runtime>& rt);
  std::shared_ptr<const runtime> current() const;

private:
  mutable std::mutex mutex_;
  std::uint64_t next_version_ = 0;
  std::uint64_t staged_version_ = 0;
  std::shared_ptr<const engine::config::config> staged_;
  std::weak_ptr<const runtime> current_;
};

} // namespace baton::actors
