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

std::optional<context_switches> switches(const server_process& p) {
  if (!p.running())
    return std::nullopt;
  std::error_code ec;
  std::filesystem::directory_iterator tasks(
    "/proc/" + std::to_string(p.pid()) + "/task", ec);
  if (ec)
    return std::nullopt;
  context_switches out;
  for (const auto& task : tasks) {
    std::ifstream in(task.path() / "status");
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string name;
      std::uint64_t n = 0;
      if (!(fields >> name >> n))
        continue;
      if (name == "voluntary_ctxt_switches:")
        out.voluntary += n;
      else if (name == "nonvoluntary_ctxt_switches:")
        out.involuntary += n;
    }
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
