#pragma once

#include <fstream>
#include <optional>
#include <string>

#include "bench/load/report.hpp"

/// A run's figures over time, for a soak (bench/soak.sh): one tab-separated
/// row per interval with what the load did in it, the route and message
/// latency of that interval alone, and the spawned server's RSS and CPU.
namespace baton::bench {

/// The header row, column names as bench/soak.sh and bench/plots.gp read
/// them.
std::string timeline_header();

/// One interval's row: `before` and `now` are the totals at its ends,
/// `interval_s` its length, `t_s` its end since the load began; the server's
/// RSS (MiB) at the end and CPU cores used over it, when known.
std::string timeline_row(double t_s, double interval_s, const totals& before,
                         const totals& now, std::optional<double> rss_mib,
                         std::optional<double> server_cores);

class timeline {
public:
  /// Writes to `path` (created or truncated) a row every `every_s`, from a
  /// start at which the server had used `server_cpu_s`.
  timeline(const std::string& path, double every_s,
           std::optional<double> server_cpu_s);

  bool ok() const {
    return out_.good();
  }

  /// Writes a row if `every_s` has passed since the last, or if `last`.
  void sample(double t_s, const totals& now, std::optional<double> rss_mib,
              std::optional<double> server_cpu_s, bool last = false);

private:
  std::ofstream out_;
  double every_s_;
  double row_t_s_ = 0;
  totals before_;
  std::optional<double> cpu_before_;
};

} // namespace baton::bench
