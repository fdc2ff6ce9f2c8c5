#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

/// The process's own numbers for `/metrics`: the `process_*` series of the
/// Prometheus client libraries, read from /proc as they read them. The
/// parsers take the files' text, so that tests feed them any.
namespace baton::gateway {

/// What is known; a series whose value could not be read is left out of
/// the exposition, as the client libraries do.
struct process_stats {
  std::optional<double> cpu_seconds; ///< user and system
  std::optional<std::uint64_t> resident_bytes;
  std::optional<std::uint64_t> virtual_bytes;
  std::optional<std::uint64_t> open_fds;
  std::optional<std::uint64_t> max_fds;     ///< the soft limit
  std::optional<double> start_time_seconds; ///< since the Unix epoch
};

/// The fields of /proc/self/stat (proc(5)) that the series take.
struct proc_stat {
  double cpu_seconds = 0;
  std::uint64_t resident_bytes = 0;
  std::uint64_t virtual_bytes = 0;
  /// Since boot: add the boot time for the Unix time.
  double start_seconds_after_boot = 0;
};

/// Reads the text of /proc/<pid>/stat, with `ticks_per_second`
/// (sysconf(_SC_CLK_TCK)) and `page_size` (sysconf(_SC_PAGESIZE)). Nothing
/// when the text is not of that form.
std::optional<proc_stat> parse_proc_stat(std::string_view text,
                                         long ticks_per_second, long page_size);

/// `btime` of /proc/stat: when the machine booted, Unix seconds.
std::optional<std::int64_t> parse_boot_time(std::string_view text);

/// The soft limit of "Max open files" in /proc/<pid>/limits; nothing when
/// it is "unlimited" or absent.
std::optional<std::uint64_t> parse_max_open_files(std::string_view text);

/// This process's numbers now: three small reads of /proc and one
/// directory entry per open descriptor, some 30 µs a scrape.
process_stats read_process_stats();

/// read_process_stats, read again at most once a second: scrapes that
/// come faster, from anyone, cost no more walks of the descriptors.
process_stats recent_process_stats();

} // namespace baton::gateway
