#include "gateway/http/process_metrics.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <chrono>
#include <mutex>
#include <string>

namespace baton::gateway {
namespace {

template <typename T>
std::optional<T> number(std::string_view s) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty())
    return std::nullopt;
  return v;
}

/// The next word of `s` (split on spaces and tabs), taken off its front.
std::string_view next_word(std::string_view& s) {
  auto begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) {
    s = {};
    return {};
  }
  s.remove_prefix(begin);
  auto end = s.find_first_of(" \t\n");
  auto word = s.substr(0, end);
  s.remove_prefix(word.size());
  return word;
}

/// A file of /proc, whole: its size reads 0, so it is read until the end.
std::optional<std::string> slurp(const char* path) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::nullopt;
  std::string text;
  std::array<char, 4096> buf;
  for (;;) {
    auto n = ::read(fd, buf.data(), buf.size());
    if (n <= 0) {
      ::close(fd);
      return n == 0 ? std::optional<std::string>{std::move(text)}
                    : std::nullopt;
    }
    text.append(buf.data(), static_cast<std::size_t>(n));
  }
}

std::optional<std::uint64_t> count_open_fds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr)
    return std::nullopt;
  // The descriptor of `dir` counts too, as in the client libraries.
  std::uint64_t n = 0;
  while (const dirent* e = ::readdir(dir))
    if (e->d_name[0] != '.')
      ++n;
  ::closedir(dir);
  return n;
}

/// Constant for the life of the process: read once.
std::optional<double> start_time(std::optional<proc_stat> stat) {
  auto boot = slurp("/proc/stat");
  auto btime = boot ? parse_boot_time(*boot) : std::nullopt;
  if (!stat || !btime)
    return std::nullopt;
  return static_cast<double>(*btime) + stat->start_seconds_after_boot;
}

} // namespace

std::optional<proc_stat>
parse_proc_stat(std::string_view text, long ticks_per_second, long page_size) {
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so
  // the fields start after the last ')'; the first of them is field 3.
  auto paren = text.rfind(')');
  if (paren == std::string_view::npos || ticks_per_second <= 0
      || page_size <= 0)
    return std::nullopt;
  auto rest = text.substr(paren + 1);
  constexpr std::size_t utime = 14, stime = 15, starttime = 22, vsize = 23,
                        rss = 24;
  std::array<std::string_view, rss + 1> field{};
  for (std::size_t i = 3; i <= rss; ++i) {
    field[i] = next_word(rest);
    if (field[i].empty())
      return std::nullopt;
  }
  auto user = number<std::uint64_t>(field[utime]);
  auto system = number<std::uint64_t>(field[stime]);
  auto start = number<std::uint64_t>(field[starttime]);
  auto virt = number<std::uint64_t>(field[vsize]);
  auto pages = number<std::int64_t>(field[rss]);
  if (!user || !system || !start || !virt || !pages || *pages < 0)
    return std::nullopt;
  auto ticks = static_cast<double>(ticks_per_second);
  return proc_stat{.cpu_seconds = static_cast<double>(*user + *system) / ticks,
                   .resident_bytes = static_cast<std::uint64_t>(*pages)
                                     * static_cast<std::uint64_t>(page_size),
                   .virtual_bytes = *virt,
                   .start_seconds_after_boot = static_cast<double>(*start)
                                               / ticks};
}

std::optional<std::int64_t> parse_boot_time(std::string_view text) {
  while (!text.empty()) {
    auto eol = text.find('\n');
    auto line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{}
                                         : text.substr(eol + 1);
    if (next_word(line) == "btime")
      return number<std::int64_t>(next_word(line));
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_max_open_files(std::string_view text) {
  // "Max open files            1024                 4096                 files"
  constexpr std::string_view name = "Max open files";
  auto at = text.find(name);
  if (at == std::string_view::npos)
    return std::nullopt;
  auto rest = text.substr(at + name.size());
  return number<std::uint64_t>(next_word(rest));
}

process_stats recent_process_stats() {
  using clock = std::chrono::steady_clock;
  static std::mutex mutex;
  static std::optional<clock::time_point> read_at;
  static process_stats last;
  std::lock_guard guard{mutex};
  auto now = clock::now();
  if (!read_at || now - *read_at >= std::chrono::seconds(1)) {
    last = read_process_stats();
    read_at = now;
  }
  return last;
}

process_stats read_process_stats() {
  process_stats s;
  auto text = slurp("/proc/self/stat");
  auto stat = text ? parse_proc_stat(*text, ::sysconf(_SC_CLK_TCK),
                                     ::sysconf(_SC_PAGESIZE))
                   : std::nullopt;
  if (stat) {
    s.cpu_seconds = stat->cpu_seconds;
    s.resident_bytes = stat->resident_bytes;
    s.virtual_bytes = stat->virtual_bytes;
  }
  static const auto started = start_time(stat);
  s.start_time_seconds = started;
  s.open_fds = count_open_fds();
  auto limits = slurp("/proc/self/limits");
  s.max_fds = limits ? parse_max_open_files(*limits) : std::nullopt;
  return s;
}

} // namespace baton::gateway
