#include "tests/support/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "tests/support/listening_port.hpp"

extern char** environ;

namespace baton::test_support {
namespace {

using clock = std::chrono::steady_clock;

/// The child's environment: ours without any BATON_* variable (a
/// developer's shell must not change what runs), plus `extra`.
std::vector<std::string>
child_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "BATON_", 6) != 0)
      env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

} // namespace

server_process::~server_process() {
  stop(milliseconds(3000));
}

bool server_process::start(const options& o) {
  log_limit_ = o.log_limit;
  log_keep_ = std::min(o.log_keep, o.log_limit);
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

  std::vector<std::string> args{o.binary};
  if (!o.config_path.empty()) {
    args.emplace_back("--config");
    args.push_back(o.config_path);
  }
  args.insert(args.end(), o.args.begin(), o.args.end());
  auto argv = pointers(args);
  auto extra_env = o.env;
  if (!o.listen.empty())
    extra_env.push_back("BATON_SERVER_LISTEN=" + o.listen);
  auto env = child_environment(extra_env);
  auto envp = pointers(env);

  int rc = posix_spawn(&pid_, o.binary.c_str(), &actions, &attr, argv.data(),
                       envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    pid_ = -1;
    error_ = "cannot start " + o.binary + ": " + std::strerror(rc);
    return false;
  }
  reader_ = std::thread([this, fd = fds[0]] { read_output(fd); });
  if (!o.wait_for_listening || wait_listening(o.start_timeout))
    return true;
  bool exited = false;
  {
    std::lock_guard lock{mutex_};
    exited = log_closed_;
  }
  if (exited) {
    auto st = wait_exit(milliseconds(2000));
    error_ = o.binary + " exited before listening (status "
             + (st ? std::to_string(*st) : std::string("?")) + ")";
  } else {
    error_ = o.binary + " printed no \"listening ... port=N\" line within "
             + std::to_string(o.start_timeout.count()) + " ms";
  }
  stop(milliseconds(1000));
  return false;
}

bool server_process::wait_listening(milliseconds timeout) {
  std::unique_lock lock{mutex_};
  changed_.wait_for(lock, timeout, [&] {
    return log_closed_ || listening_port(log_).has_value();
  });
  auto p = listening_port(log_);
  if (!p)
    return false;
  port_ = *p;  // under the lock: the reader bounds the log from now on
  bound_log(); // and what it read before, which may be all there is
  return true;
}

void server_process::read_output(int fd) {
  char chunk[4096];
  for (;;) {
    auto n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    std::lock_guard guard{mutex_};
    log_.append(chunk, static_cast<std::size_t>(n));
    // Not before the port is known: the listening line must stay whole.
    if (port_ != 0)
      bound_log();
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard guard{mutex_};
  log_closed_ = true;
  changed_.notify_all();
}

void server_process::bound_log() {
  if (log_.size() > log_limit_)
    log_.erase(0, log_.size() - log_keep_);
}

std::string server_process::log() const {
  std::lock_guard guard{mutex_};
  return log_;
}

std::string server_process::log_tail(std::size_t bytes) const {
  std::lock_guard guard{mutex_};
  return log_.size() <= bytes ? log_ : log_.substr(log_.size() - bytes);
}

bool server_process::wait_log(std::string_view needle, milliseconds timeout) {
  std::unique_lock lock{mutex_};
  return changed_.wait_for(lock, timeout, [&] {
    return log_.find(needle) != std::string::npos || log_closed_;
  }) && log_.find(needle) != std::string::npos;
}

bool server_process::signal(int sig) {
  return running() && kill(pid_, sig) == 0;
}

bool server_process::reap(milliseconds timeout) {
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

std::optional<int> server_process::wait_exit(milliseconds timeout) {
  if (!reap(timeout))
    return std::nullopt;
  return status_;
}

std::optional<int> server_process::stop(milliseconds grace) {
  if (pid_ > 0 && !status_) {
    kill(pid_, SIGTERM);
    if (!reap(grace)) {
      kill(pid_, SIGKILL);
      reap(milliseconds(10000));
    }
  }
  if (reader_.joinable())
    reader_.join(); // the output closes when the child is gone
  return status_;
}

} // namespace baton::test_support
