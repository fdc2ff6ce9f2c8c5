#include "bench/load/server_process.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace baton::bench {
namespace {

/// A "Name:  123456 kB" line of /proc/<pid>/status.
std::optional<std::uint64_t> status_field(const server_process& p,
                                          const char* name) {
  if (!p.running())
    return std::nullopt; // the pid may be someone else's by now
  std::ifstream in("/proc/" + std::to_string(p.pid()) + "/status");
  std::string line;
  auto len = std::strlen(name);
  while (std::getline(in, line)) {
    if (line.compare(0, len, name) == 0 && line.size() > len
        && line[len] == ':')
      return std::stoull(line.substr(len + 1));
  }
  return std::nullopt;
}

} // namespace

std::optional<std::uint64_t> rss_kib(const server_process& p) {
  return status_field(p, "VmRSS");
}

std::optional<std::uint64_t> peak_rss_kib(const server_process& p) {
  return status_field(p, "VmHWM");
}

std::optional<double> cpu_seconds(const server_process& p) {
  if (!p.running())
    return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(p.pid()) + "/stat");
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

std::optional<thread_switches> switches(const server_process& p) {
  if (!p.running())
    return std::nullopt;
  std::error_code ec;
  std::filesystem::directory_iterator task(
    "/proc/" + std::to_string(p.pid()) + "/task", ec);
  if (ec)
    return std::nullopt;
  thread_switches out;
  // A thread that ends while it is read is skipped.
  for (; task != std::filesystem::directory_iterator{}; task.increment(ec)) {
    if (ec)
      return std::nullopt;
    int tid = 0;
    try {
      tid = std::stoi(task->path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    std::ifstream in(task->path() / "status");
    if (!in)
      continue;
    std::string line;
    context_switches counts;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string name;
      std::uint64_t n = 0;
      if (!(fields >> name >> n))
        continue;
      if (name == "voluntary_ctxt_switches:")
        counts.voluntary = n;
      else if (name == "nonvoluntary_ctxt_switches:")
        counts.involuntary = n;
    }
    out[tid] = counts;
  }
  return out;
}

context_switches switches_between(const thread_switches& before,
                                  const thread_switches& after) {
  context_switches out;
  for (const auto& [tid, now] : after) {
    context_switches then;
    if (auto b = before.find(tid); b != before.end())
      then = b->second;
    if (now.voluntary < then.voluntary || now.involuntary < then.involuntary)
      continue; // the id of a thread that ended, reused
    out.voluntary += now.voluntary - then.voluntary;
    out.involuntary += now.involuntary - then.involuntary;
  }
  return out;
}

double own_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) {
    return double(t.tv_sec) + double(t.tv_usec) / 1e6;
  };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

} // namespace baton::bench
