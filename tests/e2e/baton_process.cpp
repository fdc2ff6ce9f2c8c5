#include "tests/e2e/baton_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace baton::e2e {
namespace {

using clock = std::chrono::steady_clock;

/// The child's environment: ours without any BATON_* variable (a developer's
/// shell must not change the test), plus `extra`.
std::vector<std::string>
child_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "BATON_", 6) != 0)
      env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

/// The port of the first "listening address=<host:port> port=<N>" line, if
/// complete.
std::optional<std::uint16_t> listening_port(std::string_view log) {
  // As text (` listening address=... port=N`) or JSON (`"msg":"listening",
  // ... "port":N`).
  auto at = log.find(" listening address=");
  if (at == std::string_view::npos)
    at = log.find("\"msg\":\"listening\"");
  if (at == std::string_view::npos)
    return std::nullopt;
  auto eol = log.find('\n', at);
  if (eol == std::string_view::npos)
    return std::nullopt;
  auto line = log.substr(at, eol - at);
  auto p = line.rfind(" port=");
  if (p == std::string_view::npos)
    p = line.rfind(",\"port\":");
  if (p == std::string_view::npos)
    return std::nullopt;
  unsigned value = 0;
  bool digits = false;
  for (char c : line.substr(line.find_first_of("=:", p) + 1)) {
    if (c < '0' || c > '9')
      break;
    value = value * 10 + unsigned(c - '0');
    digits = true;
  }
  if (!digits || value == 0 || value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

int decode_status(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

} // namespace

baton_process::~baton_process() {
  stop(milliseconds(3000));
}

bool baton_process::start(const options& o) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    error_ = std::string("pipe2: ") + std::strerror(errno);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);

  // The server blocks SIGTERM itself; make sure it does not inherit a mask
  // or ignored signals from the test runner.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args{o.binary, "--config", o.config_path};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env_strings = child_environment([&] {
    auto e = o.env;
    e.push_back("BATON_SERVER_LISTEN=" + o.listen);
    return e;
  }());
  std::vector<char*> envp;
  for (auto& e : env_strings)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  int rc = posix_spawn(&pid_, o.binary.c_str(), &actions, &attr, argv.data(),
                       envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    pid_ = -1;
    error_ = "posix_spawn " + o.binary + ": " + std::strerror(rc);
    return false;
  }
  reader_ = std::thread([this, fd = fds[0]] { read_stderr(fd); });

  auto deadline = clock::now() + o.start_timeout;
  std::unique_lock lock{mutex_};
  changed_.wait_until(lock, deadline, [&] {
    return log_closed_ || listening_port(log_).has_value();
  });
  if (auto p = listening_port(log_)) {
    port_ = *p;
    return true;
  }
  bool exited = log_closed_;
  lock.unlock();
  if (exited) {
    auto st = wait_exit(milliseconds(2000));
    error_ = "baton exited before listening (status "
             + (st ? std::to_string(*st) : std::string("?")) + ")";
  } else {
    error_ = "no \"listening ... port=N\" line within "
             + std::to_string(o.start_timeout.count()) + " ms";
  }
  stop(milliseconds(1000));
  return false;
}

void baton_process::read_stderr(int fd) {
  char chunk[4096];
  for (;;) {
    auto n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    std::lock_guard guard{mutex_};
    log_.append(chunk, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard guard{mutex_};
  log_closed_ = true;
  changed_.notify_all();
}

std::string baton_process::log() const {
  std::lock_guard guard{mutex_};
  return log_;
}

bool baton_process::wait_log(std::string_view needle, milliseconds timeout) {
  std::unique_lock lock{mutex_};
  return changed_.wait_for(lock, timeout, [&] {
    return log_.find(needle) != std::string::npos || log_closed_;
  }) && log_.find(needle) != std::string::npos;
}

bool baton_process::signal(int sig) {
  return running() && kill(pid_, sig) == 0;
}

bool baton_process::reap(milliseconds timeout) {
  if (pid_ <= 0)
    return false;
  if (status_)
    return true;
  // A pidfd becomes readable when the child exits: no polling loop.
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
  auto deadline = clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      status_ = decode_status(status);
      break;
    }
    if (r < 0 && errno != EINTR) {
      status_ = -1;
      break;
    }
    auto left
      = std::chrono::duration_cast<milliseconds>(deadline - clock::now());
    if (left.count() <= 0)
      break;
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      poll(&p, 1, static_cast<int>(left.count()));
    } else {
      // Kernels before 5.3 only: no pidfd, so look again shortly.
      poll(nullptr, 0, static_cast<int>(std::min<long>(left.count(), 10)));
    }
  }
  if (pidfd >= 0)
    close(pidfd);
  return status_.has_value();
}

std::optional<int> baton_process::wait_exit(milliseconds timeout) {
  if (!reap(timeout))
    return std::nullopt;
  return status_;
}

std::optional<int> baton_process::stop(milliseconds grace) {
  if (pid_ > 0 && !status_) {
    kill(pid_, SIGTERM);
    if (!reap(grace)) {
      kill(pid_, SIGKILL);
      reap(milliseconds(10000));
    }
  }
  if (reader_.joinable())
    reader_.join(); // stderr closes when the child is gone
  return status_;
}

} // namespace baton::e2e
