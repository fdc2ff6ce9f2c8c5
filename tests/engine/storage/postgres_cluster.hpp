#pragma once

#include <memory>
#include <string>

#include "engine/storage/store.hpp"

namespace baton::engine::storage::testing {

/// A private PostgreSQL cluster for the store tests: initdb and pg_ctl from
/// Debian's server package, in a temporary directory, on a free loopback
/// port, stopped and removed when the tests end. As root it runs as the
/// `postgres` system user (the server refuses to run as root).
class postgres_cluster {
public:
  /// The one cluster of this test run, started on first use; null when it
  /// cannot start (see why_unavailable).
  static postgres_cluster* shared();
  static std::string why_unavailable();

  ~postgres_cluster();

  bool running() const noexcept {
    return running_;
  }
  /// A new, empty database; its name.
  std::string create_database();
  std::unique_ptr<store> open(const std::string& database);
  std::string url(const std::string& database) const;

  /// Stops the server at once (as a crash or a lost network would look to
  /// its clients), and starts it again on the same port and data.
  bool stop_server();
  bool start_server();

private:
  postgres_cluster() = default;
  bool start(std::string& why);

  std::string dir_;
  std::string bin_;
  std::string run_as_; ///< "runuser -u postgres -- " when root, else ""
  int port_ = 0;
  int databases_ = 0;
  bool running_ = false;
};

} // namespace baton::engine::storage::testing
