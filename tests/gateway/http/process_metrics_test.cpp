#include "gateway/http/process_metrics.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

/// A /proc/<pid>/stat line whose comm holds a space and a ')'; the fields
/// the series take are utime 250, stime 150, starttime 4200, vsize
/// 104857600 and rss 2560 pages.
constexpr std::string_view stat_line
  = "4242 (baton (io) x) S 1 4242 4242 0 -1 4194560 1200 0 0 0 250 150 0 0 "
    "20 0 9 0 4200 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 4096 "
    "17664 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessMetricsTest, ReadsStatPastACommWithSpacesAndParentheses) {
  auto s = parse_proc_stat(stat_line, 100, 4096);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 4.0); // (250 + 150) / 100
  EXPECT_EQ(s->resident_bytes, 2560u * 4096u);
  EXPECT_EQ(s->virtual_bytes, 104857600u);
  EXPECT_DOUBLE_EQ(s->start_seconds_after_boot, 42.0);
}

TEST(ProcessMetricsTest, RefusesStatThatIsCutOrNotNumbers) {
  EXPECT_FALSE(parse_proc_stat("", 100, 4096));
  EXPECT_FALSE(parse_proc_stat("4242 (baton) S 1 2 3", 100, 4096));
  EXPECT_FALSE(parse_proc_stat(stat_line.substr(0, 80), 100, 4096));
  std::string broken{stat_line};
  broken.replace(broken.find(" 250 "), 5, " 2x0 ");
  EXPECT_FALSE(parse_proc_stat(broken, 100, 4096));
  EXPECT_FALSE(parse_proc_stat(stat_line, 0, 4096));
}

TEST(ProcessMetricsTest, BootTimeIsTheBtimeLine) {
  EXPECT_EQ(parse_boot_time("cpu  1 2 3\ncpu0 1 2 3\nintr 5 0\nctxt 77\n"
                            "btime 1712345678\nprocesses 9\n"),
            1712345678);
  EXPECT_FALSE(parse_boot_time("cpu  1 2 3\nctxt 77\n"));
  EXPECT_FALSE(parse_boot_time("btime soon\n"));
}

TEST(ProcessMetricsTest, MaxFdsIsTheSoftLimitOfOpenFiles) {
  constexpr std::string_view limits
    = "Limit                     Soft Limit           Hard Limit           "
      "Units     \n"
      "Max processes             63405                63405                "
      "processes \n"
      "Max open files            1024                 524288               "
      "files     \n";
  EXPECT_EQ(parse_max_open_files(limits), 1024u);
  EXPECT_FALSE(parse_max_open_files(
    "Max open files            unlimited            unlimited            "
    "files     \n"));
  EXPECT_FALSE(parse_max_open_files("Max processes  5  5  processes\n"));
}

TEST(ProcessMetricsTest, ReadsThisProcessAsTheKernelCountsIt) {
  auto cpu = [] {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
  };
  auto cpu_before = cpu();
  auto s = read_process_stats();
  auto cpu_after = cpu();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);

  ASSERT_TRUE(s.cpu_seconds && s.resident_bytes && s.virtual_bytes && s.open_fds
              && s.max_fds && s.start_time_seconds);
  // /proc counts in ticks (1/100 s): within a tick of the exact clock.
  EXPECT_GE(*s.cpu_seconds, cpu_before - 0.02);
  EXPECT_LE(*s.cpu_seconds, cpu_after + 0.02);
  EXPECT_GT(*s.resident_bytes, 1u << 20);
  EXPECT_LE(*s.resident_bytes,
            static_cast<std::uint64_t>(usage.ru_maxrss) * 1024); // the peak
  EXPECT_GE(*s.virtual_bytes, *s.resident_bytes);

  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  EXPECT_EQ(*s.max_fds, files.rlim_cur);
  EXPECT_GE(*s.open_fds, 3u); // stdin, stdout, stderr
  EXPECT_LE(*s.open_fds, *s.max_fds);

  auto now = std::chrono::duration<double>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  // Boot time and start are both rounded down: never later than now.
  EXPECT_LE(*s.start_time_seconds, now + 1);
  EXPECT_GT(*s.start_time_seconds, now - 3600);
}

TEST(ProcessMetricsTest, OpenFdsFollowDescriptors) {
  auto before = read_process_stats().open_fds;
  int fds[3];
  for (int& fd : fds)
    fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  auto during = read_process_stats().open_fds;
  for (int fd : fds)
    ::close(fd);
  auto after = read_process_stats().open_fds;
  ASSERT_TRUE(before && during && after);
  EXPECT_EQ(*during, *before + 3);
  EXPECT_EQ(*after, *before);
}

} // namespace
} // namespace baton::gateway
