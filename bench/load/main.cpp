// baton-load: plays customers and agents against a Baton server over real
// WebSockets and reports throughput, latency percentiles and memory. See
// docs/benchmarks.md ("baton-load") and `baton-load --help`.

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "bench/load/driver.hpp"
#include "bench/load/report.hpp"
#include "bench/load/roster.hpp"
#include "bench/load/scenario.hpp"
#include "bench/load/server_process.hpp"
#include "bench/load/timeline.hpp"

namespace {

using namespace baton::bench;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

/// Sessions need file descriptors: take the hard limit (the spawned server
/// inherits it).
void raise_fd_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

fs::path beside_us(const char* name) {
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path(name) : self.parent_path() / name;
}

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

std::optional<double> mib(std::optional<std::uint64_t> kib) {
  if (!kib)
    return std::nullopt;
  return double(*kib) / 1024.0;
}

/// Prints the progress line once a second until `done()` says stop.
class progress {
public:
  progress(const scenario& s, const driver& d)
    : s_(s),
      d_(d),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(clock_type::now()),
      last_(start_) {
  }

  /// Waits until the next whole second (or `until`), then prints; returns
  /// the totals it printed.
  const totals& tick(clock_type::time_point until) {
    auto next = std::min(last_ + std::chrono::seconds(1), until);
    std::this_thread::sleep_until(next);
    auto now_totals = sum(d_.stats());
    double interval
      = std::chrono::duration<double>(clock_type::now() - last_).count();
    if (s_.progress && interval > 0.2)
      std::cerr << (tty_ ? "\r" : "")
                << progress_line(seconds_since(start_), now_totals, before_,
                                 interval)
                << (tty_ ? "\033[K" : "\n") << std::flush;
    before_ = std::move(now_totals);
    last_ = clock_type::now();
    return before_;
  }

  void end_line() {
    if (s_.progress && tty_)
      std::cerr << "\n";
  }

private:
  const scenario& s_;
  const driver& d_;
  bool tty_;
  clock_type::time_point start_;
  clock_type::time_point last_;
  totals before_;
};

/// Runs `s`; against a running centre, settings it did not give are first
/// fitted to what that centre can serve (fit_to_centre).
int run(scenario s) {
  raise_fd_limit();
  server_process server;
  roster team;
  target where;
  fs::path workdir;
  run_facts facts;

  if (s.spawn) {
    std::string tmpl = (fs::temp_directory_path() / "baton-load-XXXXXX");
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::cerr << "baton-load: cannot make a temporary directory\n";
      return 1;
    }
    workdir = tmpl;
    server_process::options o; // BATON_SERVER_LISTEN=127.0.0.1:0
    o.start_timeout = std::chrono::seconds(20);
    if (s.mode == load_mode::echo) {
      o.binary = s.server_binary.empty() ? beside_us("baton-echo").string()
                                         : s.server_binary;
      o.args = {"--listen", "127.0.0.1:0", "--threads",
                std::to_string(s.server_threads)};
    } else {
      fs::path config;
      auto written = write_spawn_config(s, workdir, config);
      if (!written.error.empty()) {
        std::cerr << "baton-load: " << written.error << "\n";
        return 1;
      }
      team = std::move(written.value);
      o.binary = s.server_binary.empty() ? beside_us("baton").string()
                                         : s.server_binary;
      o.config_path = config.string();
    }
    if (!server.start(o)) {
      std::cerr << "baton-load: " << server.error() << "\n"
                << server.log_tail() << "\n";
      fs::remove_all(workdir);
      return 1;
    }
    where.port = server.port();
    where.path = "/v1/ws";
    facts.url = "ws://127.0.0.1:" + std::to_string(where.port) + where.path;
  } else {
    facts.url = s.url;
    if (!parse_ws_url(s.url, where)) {
      std::cerr << "baton-load: --url must be ws://IP:PORT/PATH, not " << s.url
                << "\n";
      return 2;
    }
    if (s.mode != load_mode::echo) {
      auto r = roster_from_config(s.config_path);
      if (!r.error.empty()) {
        std::cerr << "baton-load: " << r.error << "\n";
        return 2;
      }
      team = std::move(r.value);
      if (s.mode == load_mode::conversations && team.agents.empty()) {
        std::cerr << "baton-load: " << s.config_path
                  << " has no agent in a queue that offers conversations";
        for (const auto& q : team.skipped_queues)
          std::cerr << "\n  " << q;
        std::cerr << "\n";
        return 2;
      }
      facts.fitted = fit_to_centre(s, team);
    }
  }
  facts.centre = team;

  totals final_totals;
  {
    driver d(s, team, where);
    std::string error;
    if (!d.start_agents(std::chrono::seconds(30), error)) {
      std::cerr << "baton-load: " << error << "\n";
      d.shutdown();
      server.stop(std::chrono::seconds(5));
      if (!workdir.empty())
        fs::remove_all(workdir);
      return 1;
    }
    if (s.mode == load_mode::idle_sessions)
      facts.idle_baseline_rss_mb = mib(rss_kib(server));

    auto t0 = clock_type::now();
    auto server_cpu0 = cpu_seconds(server);
    auto server_switches0 = switches(server);
    auto own_cpu0 = own_cpu_seconds();
    std::optional<timeline> rows;
    if (!s.timeline.empty()) {
      rows.emplace(s.timeline, s.timeline_s, server_cpu0);
      if (!rows->ok()) {
        std::cerr << "baton-load: cannot write the timeline " << s.timeline
                  << "\n";
        d.shutdown();
        server.stop(std::chrono::seconds(5));
        if (!workdir.empty())
          fs::remove_all(workdir);
        return 1;
      }
    }
    progress line(s, d);
    d.start_load();
    if (s.mode == load_mode::idle_sessions) {
      // Until every session is open, or none opened for ten seconds.
      std::uint64_t seen = 0;
      auto last_change = clock_type::now();
      for (;;) {
        line.tick(clock_type::time_point::max());
        auto t = sum(d.stats());
        auto settled = t.sessions_open + t.error_total();
        if (t.sessions_open >= static_cast<std::uint64_t>(s.idle_sessions))
          break;
        if (settled != seen) {
          seen = settled;
          last_change = clock_type::now();
        } else if (clock_type::now() - last_change > std::chrono::seconds(10))
          break;
      }
      // Let the server finish what the last hellos started, then weigh it.
      std::this_thread::sleep_for(std::chrono::seconds(1));
      facts.idle_loaded_rss_mb = mib(rss_kib(server));
    } else {
      auto stop_at = t0
                     + std::chrono::duration_cast<clock_type::duration>(
                       std::chrono::duration<double>(s.duration_s));
      while (clock_type::now() < stop_at) {
        const auto& now = line.tick(stop_at);
        if (rows)
          rows->sample(seconds_since(t0), now, mib(rss_kib(server)),
                       cpu_seconds(server), clock_type::now() >= stop_at);
      }
      d.stop_arrivals();
      // The rates are what the load did while it ran, not with the drain.
      facts.load_s = seconds_since(t0);
      auto in_load = sum(d.stats());
      facts.routed_in_load = in_load.routed;
      facts.messages_in_load = in_load.messages;
      facts.frames_in_load = in_load.frames_out + in_load.frames_in;
      // Conversations under way finish (each is bounded by its timeout).
      auto drain_until = clock_type::now() + s.conversation_timeout
                         + std::chrono::seconds(2);
      while (d.in_flight() > 0 && clock_type::now() < drain_until)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    facts.duration_s = seconds_since(t0);
    facts.open_at_end = d.in_flight();
    if (facts.load_s == 0) { // idle sessions: no drain
      facts.load_s = facts.duration_s;
      auto all = sum(d.stats());
      facts.routed_in_load = all.routed;
      facts.messages_in_load = all.messages;
      facts.frames_in_load = all.frames_out + all.frames_in;
    }
    facts.generator_cpu_s = own_cpu_seconds() - own_cpu0;
    if (auto cpu = cpu_seconds(server); cpu && server_cpu0)
      facts.server_cpu_s = *cpu - *server_cpu0;
    if (auto now = switches(server); now && server_switches0) {
      auto during = switches_between(*server_switches0, *now);
      facts.server_voluntary_switches = during.voluntary;
      facts.server_involuntary_switches = during.involuntary;
    }
    line.end_line();
    if (s.spawn) {
      facts.server_rss_mb = mib(rss_kib(server));
      facts.server_peak_rss_mb = mib(peak_rss_kib(server));
    }
    d.shutdown();
    final_totals = sum(d.stats());
  }
  server.stop(std::chrono::seconds(10));
  if (!workdir.empty())
    fs::remove_all(workdir);

  std::cout << human_summary(s, final_totals, facts);
  if (s.json)
    std::cout << json_line(s, final_totals, facts) << "\n";
  std::cout << std::flush;
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  auto parsed = parse_command_line(argc, argv);
  if (parsed.help) {
    std::cout << usage();
    return 0;
  }
  if (!parsed.value) {
    for (const auto& e : parsed.errors)
      std::cerr << "baton-load: " << e << "\n";
    std::cerr << "Try 'baton-load --help' for the usage.\n";
    return 2;
  }
  return run(std::move(*parsed.value));
}
