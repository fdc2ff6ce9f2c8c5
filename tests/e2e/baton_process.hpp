#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

/// The real `baton` binary in a child process (tests/e2e): spawned with
/// posix_spawn, its stderr captured, stopped with SIGTERM (then SIGKILL) and
/// reaped. No sockets here.
namespace baton::e2e {

using std::chrono::milliseconds;

class baton_process {
public:
  struct options {
    std::string binary;
    std::string config_path;
    /// The value of BATON_SERVER_LISTEN.
    std::string listen = "127.0.0.1:0";
    /// More `NAME=value` entries for the child's environment.
    std::vector<std::string> env;
    /// The whole start-up, up to the "listening ... port=N" line.
    milliseconds start_timeout{10000};
  };

  baton_process() = default;
  ~baton_process();
  baton_process(const baton_process&) = delete;
  baton_process& operator=(const baton_process&) = delete;

  /// Spawns the binary and waits for its "listening ... port=<N>"
  /// line on stderr. False when it exits first, or the line does not come in
  /// time (the child is then killed); error() and log() say why.
  bool start(const options& o);

  std::uint16_t port() const noexcept {
    return port_;
  }
  pid_t pid() const noexcept {
    return pid_;
  }
  const std::string& error() const noexcept {
    return error_;
  }

  /// Everything the child wrote on stderr so far.
  std::string log() const;

  /// Waits until stderr contains `needle`; false at the deadline or when
  /// stderr closed without it.
  bool wait_log(std::string_view needle, milliseconds timeout);

  bool signal(int sig);

  /// Waits for the child to exit: its exit status, or 128 + the signal that
  /// ended it; nothing at the deadline.
  std::optional<int> wait_exit(milliseconds timeout);

  /// SIGTERM, then SIGKILL after `grace`; always reaps. The exit status.
  std::optional<int> stop(milliseconds grace = milliseconds(5000));

  bool running() const noexcept {
    return pid_ > 0 && !status_;
  }

private:
  void read_stderr(int fd);
  bool reap(milliseconds timeout);

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

} // namespace baton::e2e
