#include "bench/load/report.hpp"

#include <cstdio>
#include <sstream>

namespace baton::bench {
namespace {

double ms(std::uint64_t ns) {
  return double(ns) / 1e6;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

/// 12345 → "12.3k", 1234567 → "1.23M".
std::string compact(double v) {
  if (v >= 1e6)
    return fixed(v / 1e6, 2) + "M";
  if (v >= 1e4)
    return fixed(v / 1e3, 1) + "k";
  return fixed(v, 0);
}

std::string latency_json(const histogram& h) {
  std::ostringstream o;
  o << "{\"p50\":" << fixed(ms(h.quantile(0.50)), 3)
    << ",\"p90\":" << fixed(ms(h.quantile(0.90)), 3)
    << ",\"p99\":" << fixed(ms(h.quantile(0.99)), 3)
    << ",\"p999\":" << fixed(ms(h.quantile(0.999)), 3)
    << ",\"max\":" << fixed(ms(h.max()), 3) << "}";
  return o.str();
}

std::string latency_text(const histogram& h) {
  if (h.count() == 0)
    return "none";
  return "p50 " + fixed(ms(h.quantile(0.50)), 3) + "  p90 "
         + fixed(ms(h.quantile(0.90)), 3) + "  p99 "
         + fixed(ms(h.quantile(0.99)), 3) + "  p99.9 "
         + fixed(ms(h.quantile(0.999)), 3) + "  max " + fixed(ms(h.max()), 3)
         + " ms  (" + std::to_string(h.count()) + " samples)";
}

double per_s(std::uint64_t n, double s) {
  return s > 0 ? double(n) / s : 0;
}

std::string_view mode_name(load_mode m) {
  switch (m) {
    case load_mode::conversations:
      return "conversations";
    case load_mode::echo:
      return "echo";
    case load_mode::idle_sessions:
      return "idle_sessions";
  }
  return "?";
}

} // namespace

std::uint64_t totals::error_total() const {
  std::uint64_t n = 0;
  for (auto e : errors)
    n += e;
  return n;
}

totals sum(const std::vector<const load_stats*>& all) {
  totals t;
  for (const auto* s : all) {
    t.started += s->started.get();
    t.routed += s->routed.get();
    t.finished += s->finished.get();
    t.messages += s->messages.get();
    t.frames_out += s->frames_out.get();
    t.frames_in += s->frames_in.get();
    t.agents_ready += s->agents_ready.get();
    t.sessions_open += s->sessions_open.get();
    t.transfers_ok += s->transfers_ok.get();
    t.conferences_ok += s->conferences_ok.get();
    t.whispers_ok += s->whispers_ok.get();
    t.supervisors_subscribed += s->supervisors_subscribed.get();
    t.supervisor_events += s->supervisor_events.get();
    t.history_sessions_ready += s->history_sessions_ready.get();
    t.history_sent += s->history_sent.get();
    t.history_answered += s->history_answered.get();
    t.history_not_found += s->history_not_found.get();
    t.history_rate_limited += s->history_rate_limited.get();
    for (std::size_t i = 0; i < error_kinds; ++i)
      t.errors[i] += s->errors[i].get();
    t.route_latency.merge(s->route_latency);
    t.message_latency.merge(s->message_latency);
    t.ack_latency.merge(s->ack_latency);
    t.history_latency.merge(s->history_latency);
  }
  return t;
}

std::string progress_line(double elapsed_s, const totals& now,
                          const totals& before, double interval_s) {
  auto rate = [&](std::uint64_t a, std::uint64_t b) {
    return compact(per_s(a - b, interval_s));
  };
  std::ostringstream o;
  o << "[" << fixed(elapsed_s, 0) << " s] started "
    << rate(now.started, before.started) << "/s  routed "
    << rate(now.routed, before.routed) << "/s  msgs "
    << rate(now.messages, before.messages) << "/s  frames "
    << rate(now.frames_in + now.frames_out,
            before.frames_in + before.frames_out)
    << "/s  errors " << now.error_total() << "  p99 route "
    << fixed(ms(now.route_latency.quantile(0.99)), 2) << " ms  msg "
    << fixed(ms(now.message_latency.quantile(0.99)), 2) << " ms";
  if (now.sessions_open > 0)
    o << "  sessions " << now.sessions_open;
  if (now.history_sent > 0)
    o << "  history " << rate(now.history_answered, before.history_answered)
      << "/s";
  return o.str();
}

std::string human_summary(const scenario& s, const totals& t,
                          const run_facts& f) {
  std::ostringstream o;
  double d = f.duration_s;
  o << "baton-load: mode " << mode_name(s.mode) << ", " << fixed(d, 2) << " s, "
    << s.threads << " generator thread(s), " << s.sources
    << " source address(es)\n";
  if (s.mode == load_mode::conversations) {
    o << "  conversations  started " << t.started << ", routed " << t.routed
      << ", ended " << t.finished << "  (" << fixed(per_s(t.routed, d), 1)
      << " routed/s)\n"
      << "  messages       " << t.messages << "  ("
      << fixed(per_s(t.messages, d), 1) << "/s)\n"
      << "  route latency  " << latency_text(t.route_latency) << "\n"
      << "  msg latency    " << latency_text(t.message_latency) << "\n"
      << "  msg ack        " << latency_text(t.ack_latency) << "\n"
      << "  mix            transfers ok " << t.transfers_ok
      << ", conferences ok " << t.conferences_ok << ", whispers ok "
      << t.whispers_ok << "\n";
    if (s.supervisors > 0)
      o << "  supervisors    " << t.supervisors_subscribed << " of "
        << s.supervisors << " subscribed, " << t.supervisor_events
        << " events (" << fixed(per_s(t.supervisor_events, d), 1) << "/s)\n";
    if (s.history_flood > 0)
      o << "  history reads  " << t.history_sessions_ready << " of "
        << s.history_flood << " sessions, sent " << t.history_sent
        << ", answered " << t.history_answered << " ("
        << fixed(per_s(t.history_answered, d), 1) << "/s): not_found "
        << t.history_not_found << ", rate_limited " << t.history_rate_limited
        << ", other "
        << t.history_answered - t.history_not_found - t.history_rate_limited
        << "\n"
        << "  history lat.   " << latency_text(t.history_latency) << "\n";
  } else if (s.mode == load_mode::echo) {
    o << "  round trips    " << t.messages << "  ("
      << fixed(per_s(t.messages, d), 1) << "/s)\n"
      << "  round trip     " << latency_text(t.message_latency) << "\n";
  } else {
    o << "  idle sessions  " << t.sessions_open << " of " << s.idle_sessions
      << "\n";
    if (f.idle_baseline_rss_mb && f.idle_loaded_rss_mb && t.sessions_open > 0)
      o << "  server RSS     " << fixed(*f.idle_baseline_rss_mb, 1)
        << " MiB before, " << fixed(*f.idle_loaded_rss_mb, 1)
        << " MiB with them: "
        << fixed((*f.idle_loaded_rss_mb - *f.idle_baseline_rss_mb) * 1024.0
                   / double(t.sessions_open),
                 2)
        << " KiB per session\n";
  }
  o << "  frames         " << t.frames_out << " out, " << t.frames_in
    << " in  (" << fixed(per_s(t.frames_out + t.frames_in, d), 1) << "/s)\n";
  o << "  errors        ";
  if (t.error_total() == 0)
    o << " none";
  for (std::size_t i = 0; i < error_kinds; ++i)
    if (t.errors[i] != 0)
      o << " " << to_string(static_cast<error_kind>(i)) << "=" << t.errors[i];
  o << "\n";
  auto frames = t.frames_out + t.frames_in;
  if (f.server_cpu_s && d > 0) {
    o << "  server CPU     " << fixed(*f.server_cpu_s, 2) << " s ("
      << fixed(*f.server_cpu_s / d, 2) << " cores)";
    if (t.routed > 0)
      o << ", " << fixed(*f.server_cpu_s * 1e6 / double(t.routed), 0)
        << " us per routed conversation";
    if (frames > 0)
      o << ", " << fixed(*f.server_cpu_s * 1e6 / double(frames), 1)
        << " us per frame";
    o << "\n";
  }
  if (d > 0)
    o << "  generator CPU  " << fixed(f.generator_cpu_s, 2) << " s ("
      << fixed(f.generator_cpu_s / d, 2) << " cores)\n";
  if (f.server_rss_mb)
    o << "  server RSS     " << fixed(*f.server_rss_mb, 1) << " MiB at the end"
      << (f.server_peak_rss_mb
            ? ", peak " + fixed(*f.server_peak_rss_mb, 1) + " MiB"
            : std::string())
      << "\n";
  return o.str();
}

std::string json_line(const scenario& s, const totals& t, const run_facts& f) {
  double d = f.duration_s;
  std::ostringstream o;
  o << "{\"conversations_started\":" << t.started
    << ",\"conversations_routed\":" << t.routed
    << ",\"routed_per_sec\":" << fixed(per_s(t.routed, d), 1)
    << ",\"messages_per_sec\":" << fixed(per_s(t.messages, d), 1)
    << ",\"frames_per_sec\":" << fixed(per_s(t.frames_out + t.frames_in, d), 1)
    << ",\"route_latency_ms\":" << latency_json(t.route_latency)
    << ",\"message_latency_ms\":" << latency_json(t.message_latency)
    << ",\"message_ack_ms\":" << latency_json(t.ack_latency) << ",\"errors\":{";
  bool first = true;
  for (std::size_t i = 0; i < error_kinds; ++i)
    if (t.errors[i] != 0) {
      o << (first ? "" : ",") << "\"" << to_string(static_cast<error_kind>(i))
        << "\":" << t.errors[i];
      first = false;
    }
  o << "}";
  if (f.server_rss_mb)
    o << ",\"server_rss_mb\":" << fixed(*f.server_rss_mb, 1);
  o << ",\"duration_s\":" << fixed(d, 3);
  if (f.server_cpu_s)
    o << ",\"server_cpu_s\":" << fixed(*f.server_cpu_s, 3);
  o << ",\"generator_cpu_s\":" << fixed(f.generator_cpu_s, 3);
  if (s.history_flood > 0)
    o << ",\"history_reads\":{\"sessions\":" << t.history_sessions_ready
      << ",\"sent\":" << t.history_sent
      << ",\"answered\":" << t.history_answered
      << ",\"not_found\":" << t.history_not_found
      << ",\"rate_limited\":" << t.history_rate_limited
      << ",\"per_sec\":" << fixed(per_s(t.history_answered, d), 1)
      << ",\"latency_ms\":" << latency_json(t.history_latency) << "}";
  if (s.mode == load_mode::idle_sessions) {
    o << ",\"idle_sessions\":" << t.sessions_open;
    if (f.idle_baseline_rss_mb && f.idle_loaded_rss_mb && t.sessions_open > 0)
      o << ",\"rss_per_session_kib\":"
        << fixed((*f.idle_loaded_rss_mb - *f.idle_baseline_rss_mb) * 1024.0
                   / double(t.sessions_open),
                 2);
  }
  o << "}";
  return o.str();
}

} // namespace baton::bench
