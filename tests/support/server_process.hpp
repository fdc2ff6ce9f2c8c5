#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

/// What the end-to-end tests (tests/e2e) and the load generator
/// (bench/load) share: a server in a child process. No GoogleTest here, so
/// that baton-load links it too.
namespace baton::test_support {

using std::chrono::milliseconds;

/// `baton` (or baton-echo, or any program that prints a "listening" line)
/// in a child process: spawned with posix_spawn, its stdout and stderr
/// captured, ready once it logs its port, stopped with SIGTERM (then
/// SIGKILL) and reaped. No sockets here.
class server_process {
public:
  struct options {
    std::string binary;
    /// Passed as `--config PATH` when not empty.
    std::string config_path;
    /// More arguments, after `--config PATH`.
    std::vector<std::string> args;
    /// The value of BATON_SERVER_LISTEN; left unset when empty.
    std::string listen = "127.0.0.1:0";
    /// More `NAME=value` entries for the child's environment, which is
    /// ours without any BATON_* variable.
    std::vector<std::string> env;
    /// The whole start-up, up to the "listening ... port=N" line.
    milliseconds start_timeout{10000};
    /// False: start() returns once the child is spawned, for a program
    /// that listens later or never (a node standing by, HAProxy); then
    /// wait_listening().
    bool wait_for_listening = true;
    /// Once the port is known, a log past `log_limit` bytes is cut to its
    /// last `log_keep` bytes: a server under load logs without end.
    std::size_t log_limit = std::size_t{1} << 20;
    std::size_t log_keep = std::size_t{1} << 16;
  };

  server_process() = default;
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  /// Spawns the binary and waits for its "listening ... port=N" line
  /// (listening_port). False when it exits first, or the line does not
  /// come in time (the child is then stopped); error() and log() say why.
  bool start(const options& o);

  /// Waits for the "listening ... port=N" line and keeps its port; false
  /// at the deadline or when the child's output closed first.
  bool wait_listening(milliseconds timeout);

  std::uint16_t port() const noexcept {
    return port_;
  }
  pid_t pid() const noexcept {
    return pid_;
  }
  const std::string& error() const noexcept {
    return error_;
  }

  /// What the child wrote so far (bounded: see options::log_limit).
  std::string log() const;
  /// Its last `bytes`, for error messages.
  std::string log_tail(std::size_t bytes = 2000) const;

  /// Waits until the kept log contains `needle`; false at the deadline or
  /// when the child's output closed without it.
  bool wait_log(std::string_view needle, milliseconds timeout);

  bool signal(int sig);

  /// Waits for the child to exit: its exit status, or 128 + the signal that
  /// ended it; nothing at the deadline.
  std::optional<int> wait_exit(milliseconds timeout);

  /// SIGTERM, then SIGKILL after `grace`; always reaps. The exit status,
  /// nothing when it was never started.
  std::optional<int> stop(milliseconds grace = milliseconds(5000));

  /// Started and not yet reaped.
  bool running() const noexcept {
    return pid_ > 0 && !status_;
  }

private:
  void read_output(int fd);
  /// Keeps the last log_keep_ bytes once the log passes log_limit_; called
  /// under mutex_.
  void bound_log();
  bool reap(milliseconds timeout);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::optional<int> status_;
  std::string error_;
  std::size_t log_limit_ = 0;
  std::size_t log_keep_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string log_;
  bool log_closed_ = false;
  std::thread reader_;
};

} // namespace baton::test_support
