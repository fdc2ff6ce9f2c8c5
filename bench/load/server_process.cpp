#include "bench/load/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

extern char** environ;

namespace baton::bench {
namespace {

using clock_type = std::chrono::steady_clock;

int decode_status(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

} // namespace

std::optional<std::uint16_t> listening_port(const std::string& log) {
  // As text (` listening address=... port=N`) or JSON (`"msg":"listening",
  // ... "port":N`).
  auto at = log.find(" listening address=");
  if (at == std::string::npos)
    at = log.find("\"msg\":\"listening\"");
  if (at == std::string::npos)
    return std::nullopt;
  auto eol = log.find('\n', at);
  if (eol == std::string::npos)
    return std::nullopt;
  auto line = log.substr(at, eol - at);
  auto p = line.rfind(" port=");
  if (p == std::string::npos)
    p = line.rfind(",\"port\":");
  if (p == std::string::npos)
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

server_process::~server_process() {
  stop(std::chrono::milliseconds(3000));
}

bool server_process::start(const std::vector<std::string>& args,
                           const std::vector<std::string>& extra_env,
                           std::chrono::milliseconds timeout) {
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
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args_copy = args;
  std::vector<char*> argv;
  for (auto& a : args_copy)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  // Our environment without BATON_* (the generated file must be what runs),
  // plus `extra_env`.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "BATON_", 6) != 0)
      env_strings.emplace_back(*e);
  env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& e : env_strings)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  int rc = posix_spawn(&pid_, args_copy[0].c_str(), &actions, &attr,
                       argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    pid_ = -1;
    error_ = "cannot start " + args_copy[0] + ": " + std::strerror(rc);
    return false;
  }
  reader_ = std::thread([this, fd = fds[0]] { read_stderr(fd); });

  std::unique_lock lock{mutex_};
  changed_.wait_until(lock, clock_type::now() + timeout, [&] {
    return log_closed_ || listening_port(log_).has_value();
  });
  if (auto p = listening_port(log_)) {
    port_ = *p;
    return true;
  }
  error_ = log_closed_ ? args[0] + " exited before listening"
                       : args[0]
                           + " printed no \"listening ... port=N\" "
                             "line in time";
  lock.unlock();
  stop(std::chrono::milliseconds(1000));
  return false;
}

void server_process::read_stderr(int fd) {
  char chunk[4096];
  for (;;) {
    auto n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    std::lock_guard guard{mutex_};
    log_.append(chunk, static_cast<std::size_t>(n));
    // Keep the log bounded: only its tail matters once the port is known.
    if (port_ != 0 && log_.size() > (1u << 20))
      log_.erase(0, log_.size() - (1u << 16));
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard guard{mutex_};
  log_closed_ = true;
  changed_.notify_all();
}

std::string server_process::log_tail(std::size_t bytes) const {
  std::lock_guard guard{mutex_};
  return log_.size() <= bytes ? log_ : log_.substr(log_.size() - bytes);
}

std::optional<std::uint64_t>
server_process::status_field(const char* name) const {
  if (pid_ <= 0 || status_)
    return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  auto len = std::strlen(name);
  while (std::getline(in, line)) {
    if (line.compare(0, len, name) == 0 && line.size() > len
        && line[len] == ':')
      return std::stoull(line.substr(len + 1)); // "  123456 kB"
  }
  return std::nullopt;
}

std::optional<std::uint64_t> server_process::rss_kib() const {
  return status_field("VmRSS");
}

std::optional<std::uint64_t> server_process::peak_rss_kib() const {
  return status_field("VmHWM");
}

std::optional<double> server_process::cpu_seconds() const {
  if (pid_ <= 0 || status_)
    return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may hold
  // spaces: state is field 3, utime 14, stime 15.
  auto close = stat.rfind(')');
  if (close == std::string::npos)
    return std::nullopt;
  std::istringstream fields(stat.substr(close + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i)
    fields >> skip;
  unsigned long long utime = 0, stime = 0;
  if (!(fields >> utime >> stime))
    return std::nullopt;
  return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) {
    return double(t.tv_sec) + double(t.tv_usec) / 1e6;
  };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

std::optional<int> server_process::stop(std::chrono::milliseconds grace) {
  if (pid_ > 0 && !status_) {
    kill(pid_, SIGTERM);
    auto deadline = clock_type::now() + grace;
    for (;;) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        status_ = decode_status(status);
        break;
      }
      if (clock_type::now() >= deadline) {
        kill(pid_, SIGKILL);
        if (waitpid(pid_, &status, 0) == pid_)
          status_ = decode_status(status);
        else
          status_ = -1;
        break;
      }
      // Shutdown takes a drain of up to a few seconds: look every 10 ms.
      usleep(10000);
    }
  }
  if (reader_.joinable())
    reader_.join();
  return status_;
}

} // namespace baton::bench
