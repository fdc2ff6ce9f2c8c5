#include "bench/load/timeline.hpp"

#include <iomanip>
#include <sstream>

namespace baton::bench {
namespace {

double per_s(std::uint64_t now, std::uint64_t before, double interval_s) {
  return interval_s > 0 ? double(now - before) / interval_s : 0.0;
}

double ms(std::uint64_t ns) {
  return double(ns) / 1e6;
}

} // namespace

std::string timeline_header() {
  return "t_s\tstarted_per_s\trouted_per_s\tmessages_per_s\tframes_per_s\t"
         "errors\troute_samples\troute_p50_ms\troute_p99_ms\t"
         "message_p99_ms\tserver_rss_mib\tserver_cores";
}

std::string timeline_row(double t_s, double interval_s, const totals& before,
                         const totals& now, std::optional<double> rss_mib,
                         std::optional<double> server_cores) {
  auto route = now.route_latency.since(before.route_latency);
  auto message = now.message_latency.since(before.message_latency);
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << t_s << '\t'
    << per_s(now.started, before.started, interval_s) << '\t'
    << per_s(now.routed, before.routed, interval_s) << '\t'
    << per_s(now.messages, before.messages, interval_s) << '\t'
    << per_s(now.frames_in + now.frames_out,
             before.frames_in + before.frames_out, interval_s)
    << '\t' << now.error_total() << '\t' << route.count() << '\t'
    << std::setprecision(2) << ms(route.quantile(0.5)) << '\t'
    << ms(route.quantile(0.99)) << '\t' << ms(message.quantile(0.99)) << '\t';
  // A dash where the server is not ours to measure (--url).
  if (rss_mib)
    o << std::setprecision(1) << *rss_mib;
  else
    o << '-';
  o << '\t';
  if (server_cores)
    o << std::setprecision(2) << *server_cores;
  else
    o << '-';
  return o.str();
}

timeline::timeline(const std::string& path, double every_s,
                   std::optional<double> server_cpu_s)
  : out_(path, std::ios::trunc), every_s_(every_s), cpu_before_(server_cpu_s) {
  out_ << timeline_header() << '\n' << std::flush;
}

void timeline::sample(double t_s, const totals& now,
                      std::optional<double> rss_mib,
                      std::optional<double> server_cpu_s, bool last) {
  double interval = t_s - row_t_s_;
  if (interval <= 0 || (interval < every_s_ && !last))
    return;
  std::optional<double> cores;
  if (server_cpu_s && cpu_before_)
    cores = (*server_cpu_s - *cpu_before_) / interval;
  // Flushed each row: a soak stopped early keeps what it measured.
  out_ << timeline_row(t_s, interval, before_, now, rss_mib, cores) << '\n'
       << std::flush;
  row_t_s_ = t_s;
  before_ = now;
  cpu_before_ = server_cpu_s;
}

} // namespace baton::bench
