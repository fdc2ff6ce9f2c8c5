#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/load/histogram.hpp"
#include "bench/load/roster.hpp"
#include "bench/load/scenario.hpp"
#include "bench/load/stats.hpp"

/// Figures of a run, summed over the generator's threads, and the three ways
/// they are shown: the progress line, the human summary and the JSON line.
namespace baton::bench {

struct totals {
  std::uint64_t started = 0;
  std::uint64_t routed = 0;
  std::uint64_t finished = 0;
  std::uint64_t messages = 0;
  std::uint64_t frames_out = 0;
  std::uint64_t frames_in = 0;
  std::uint64_t agents_ready = 0;
  std::uint64_t sessions_open = 0;
  std::uint64_t transfers_ok = 0;
  std::uint64_t conferences_ok = 0;
  std::uint64_t whispers_ok = 0;
  std::uint64_t late_answers = 0;
  std::uint64_t offers_lost = 0;
  std::uint64_t supervisors_subscribed = 0;
  std::uint64_t supervisor_events = 0;
  std::uint64_t history_sessions_ready = 0;
  std::uint64_t history_sent = 0;
  std::uint64_t history_answered = 0;
  std::uint64_t history_not_found = 0;
  std::uint64_t history_rate_limited = 0;
  std::array<std::uint64_t, error_kinds> errors{};
  histogram route_latency;
  histogram setup_latency;
  histogram unstarted_wait;
  histogram estimate_error;
  histogram message_latency;
  histogram ack_latency;
  histogram history_latency;

  std::uint64_t error_total() const;
};

totals sum(const std::vector<const load_stats*>& all);

/// What the run learnt beyond the counters, and what it ran against.
struct run_facts {
  std::string url; ///< the server loaded: ws://host:port/path
  roster centre;   ///< its agents and queues (none in echo mode)
  /// Values fitted to the centre (fit_to_centre), one line each.
  std::vector<std::string> fitted;
  /// The whole run: the load, then the drain of what was under way.
  double duration_s = 0;
  /// The load alone, from the first arrival to the last; the rates are
  /// what was done in it, divided by it.
  double load_s = 0;
  std::uint64_t routed_in_load = 0;
  std::uint64_t messages_in_load = 0;
  std::uint64_t frames_in_load = 0;
  /// Conversations (or echo exchanges) still under way when the drain
  /// ended: cut off, neither finished nor counted as errors elsewhere.
  std::uint64_t open_at_end = 0;
  std::optional<double> server_rss_mb;      ///< spawned server, at the end
  std::optional<double> server_peak_rss_mb; ///< VmHWM
  /// CPU seconds used during the load (from its start to the end of the
  /// drain): the server's when spawned, and the generator's own.
  std::optional<double> server_cpu_s;
  double generator_cpu_s = 0;
  /// The server's context switches over the same span (when spawned).
  std::optional<std::uint64_t> server_voluntary_switches;
  std::optional<std::uint64_t> server_involuntary_switches;
  /// idle_sessions mode: RSS before the sessions and with them.
  std::optional<double> idle_baseline_rss_mb;
  std::optional<double> idle_loaded_rss_mb;
};

/// One line: elapsed, rates over the last interval, errors, p99s so far.
std::string progress_line(double elapsed_s, const totals& now,
                          const totals& before, double interval_s);

/// Opens with what ran (target, load, agents, messages, duration,
/// scenario), then the figures, then `explain`'s lines.
std::string human_summary(const scenario& s, const totals& t,
                          const run_facts& f);

/// Why the figures look as they do: values fitted to the centre, queues
/// left out, and what each kind of error seen means here ("conflict=3:
/// queue support rings every agent at once..."). Empty when there is
/// nothing to say.
std::vector<std::string> explain(const scenario& s, const totals& t,
                                 const run_facts& f);

/// The JSON object of --json, on one line: setup (what ran: url, spawn,
/// config, scenario, mode, concurrency, rate, agents, slots, queues,
/// messages, duration_s, ramp_up_s, reply_think_ms), conversations_started,
/// conversations_routed, routed_per_sec, messages_per_sec, frames_per_sec,
/// route_latency_ms, message_latency_ms and message_ack_ms
/// ({p50,p90,p99,p999,max}), errors ({code: count}, only codes seen),
/// server_rss_mb (when spawned), duration_s; server_cpu_s (when spawned) and
/// generator_cpu_s, the CPU seconds each used during the load;
/// server_voluntary_switches and server_involuntary_switches (when
/// spawned), the server's context switches over that span; with a history
/// flood history_reads ({sessions,sent,answered,not_found,rate_limited,
/// per_sec,latency_ms}); in idle_sessions mode also idle_sessions and
/// rss_per_session_kib; last, notes: explain's lines.
std::string json_line(const scenario& s, const totals& t, const run_facts& f);

} // namespace baton::bench
