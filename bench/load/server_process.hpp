#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

/// A server in a child process: `baton --config F` or `baton-echo`, started
/// on port 0, found ready by its "listening ... port=<N>" line on
/// stderr, weighed through /proc, stopped with SIGTERM.
namespace baton::bench {

class server_process {
public:
  server_process() = default;
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  /// Spawns `argv` (argv[0] is the binary) with `env` added to ours, and
  /// waits up to `timeout` for the listening line. False with error() set
  /// when the child exits first or stays silent.
  bool start(const std::vector<std::string>& argv,
             const std::vector<std::string>& env,
             std::chrono::milliseconds timeout);

  std::uint16_t port() const noexcept {
    return port_;
  }
  pid_t pid() const noexcept {
    return pid_;
  }
  const std::string& error() const noexcept {
    return error_;
  }
  /// The last lines the child wrote, for error messages.
  std::string log_tail(std::size_t bytes = 2000) const;

  /// Resident set size now (VmRSS) and at its peak (VmHWM), in KiB.
  std::optional<std::uint64_t> rss_kib() const;
  std::optional<std::uint64_t> peak_rss_kib() const;
  /// CPU time the server has used so far, user + system, in seconds.
  std::optional<double> cpu_seconds() const;

  /// SIGTERM, then SIGKILL after `grace`; reaps. The exit status (or 128 +
  /// signal), nothing when it was never started.
  std::optional<int> stop(std::chrono::milliseconds grace);

private:
  std::optional<std::uint64_t> status_field(const char* name) const;
  void read_stderr(int fd);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::optional<int> status_;
  std::string error_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string log_;
  bool log_closed_ = false;
  std::thread reader_;
};

/// CPU time this process has used so far, user + system, in seconds.
double own_cpu_seconds();

/// The port of the first complete "listening ... port=N" line of `log`.
std::optional<std::uint16_t> listening_port(const std::string& log);

} // namespace baton::bench
