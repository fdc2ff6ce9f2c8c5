#include "bench/load/report.hpp"

#include <cstdio>
#include <sstream>

#include "bench/load/wrap.hpp"

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

/// How far the queues' wait estimates were from the waits measured: the
/// absolute error's median and p90, and how many routes had an estimate.
std::string estimate_text(const totals& t) {
  const auto& h = t.estimate_error;
  if (h.count() == 0)
    return "no route had an estimate";
  return "|predicted - actual| p50 " + fixed(ms(h.quantile(0.50)), 0) + "  p90 "
         + fixed(ms(h.quantile(0.90)), 0) + " ms  (" + std::to_string(h.count())
         + " of " + std::to_string(t.routed) + " routes had an estimate)";
}

double per_s(std::uint64_t n, double s) {
  return s > 0 ? double(n) / s : 0;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string plural(std::int64_t n, std::string_view one,
                   std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string number(double v) {
  std::ostringstream o;
  o.precision(12);
  o << v;
  return o.str();
}

/// `label` in the summary's first column, `text` wrapped under the second.
void labelled(std::ostringstream& o, std::string_view label,
              const std::string& text) {
  o << "  " << label;
  write_wrapped(o, text, 2 + label.size(), 17, 79);
}

/// "a spawned baton: 50 agents ..." or "config/baton.toml: 4 agents ...".
std::string target_text(const scenario& s, const run_facts& f) {
  if (s.mode == load_mode::echo)
    return s.spawn ? "a spawned baton-echo" : "an echo server";
  const auto& c = f.centre;
  std::string agents = plural(std::int64_t(c.agents.size()), "agent", "agents")
                       + " (" + plural(c.slots, "slot", "slots") + ")";
  std::string queues = plural(std::int64_t(c.queues.size()), "queue", "queues");
  if (s.spawn)
    return "a spawned baton: " + agents + " of capacity "
           + std::to_string(s.agent_capacity) + " in " + queues + ", storage "
           + s.storage
           + (s.storage == "sqlite" ? " (" + s.durability + ")" : "")
           + ", server threads "
           + (s.server_threads == 0 ? std::string("one per core")
                                    : std::to_string(s.server_threads));
  return (s.config_path.empty() ? std::string("the server") : s.config_path)
         + ": " + agents + " in " + queues + " " + join(c.queues);
}

std::string load_text(const scenario& s, const run_facts& f) {
  std::string time = number(s.duration_s) + " s asked, " + fixed(f.load_s, 2)
                     + " s of load, " + fixed(f.duration_s, 2)
                     + " s with the drain";
  if (s.ramp_up_s > 0)
    time += ", ramp-up " + number(s.ramp_up_s) + " s";
  if (s.mode == load_mode::echo)
    return plural(s.concurrency, "connection", "connections") + ", "
           + std::to_string(s.echo_window) + " frame(s) in flight each, "
           + std::to_string(s.frame_bytes) + "-byte frames; " + time;
  if (s.mode == load_mode::idle_sessions)
    return plural(s.idle_sessions, "idle session", "idle sessions")
           + " (hello only)";
  std::string out = s.rate > 0
                      ? "open loop, " + number(s.rate)
                          + " conversations/s, at most "
                          + std::to_string(s.concurrency) + " under way"
                      : "closed loop, " + std::to_string(s.concurrency)
                          + " customers at once";
  out += "; " + plural(s.messages, "message", "messages")
         + " per conversation, each answered; " + time;
  if (s.transfer_share > 0 || s.conference_share > 0 || s.whisper_share > 0)
    out += "; mix transfer " + number(s.transfer_share) + ", conference "
           + number(s.conference_share) + ", whisper "
           + number(s.whisper_share);
  if (s.history_flood > 0)
    out += "; "
           + plural(s.history_flood, "history flood session",
                    "history flood sessions");
  if (s.supervisors > 0)
    out += "; " + plural(s.supervisors, "supervisor", "supervisors");
  return out;
}

std::uint64_t count_of(const totals& t, error_kind k) {
  return t.errors[static_cast<std::size_t>(k)];
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
    t.late_answers += s->late_answers.get();
    t.offers_lost += s->offers_lost.get();
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
    t.setup_latency.merge(s->setup_latency);
    t.unstarted_wait.merge(s->unstarted_wait);
    t.estimate_error.merge(s->estimate_error);
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
  double d = f.load_s;
  o << "baton-load: " << mode_name(s.mode) << " against " << f.url << "\n";
  labelled(o, "target", target_text(s, f));
  labelled(o, "load", load_text(s, f));
  if (s.mode == load_mode::conversations)
    labelled(o, "think",
             "agents accept after " + std::to_string(s.accept_think.count())
               + " ms and answer after " + std::to_string(s.reply_think.count())
               + " ms; customers write again after "
               + std::to_string(s.customer_think.count())
               + " ms; abandoned after "
               + std::to_string(s.conversation_timeout.count())
               + " ms without progress");
  labelled(o, "scenario",
           s.scenario_file.empty() ? std::string("flags only")
                                   : s.scenario_file + " and flags");
  labelled(o, "generator",
           plural(s.threads, "thread", "threads") + ", "
             + plural(s.sources, "source address", "source addresses"));
  if (s.mode == load_mode::conversations) {
    o << "  conversations  started " << t.started << ", routed " << t.routed
      << ", ended " << t.finished << ", open at the end " << f.open_at_end
      << "  (" << fixed(per_s(f.routed_in_load, d), 1)
      << " routed/s in the load)\n"
      << "  messages       " << t.messages << "  ("
      << fixed(per_s(f.messages_in_load, d), 1) << "/s in the load)\n"
      << "  session setup  " << latency_text(t.setup_latency) << "\n"
      << "  route latency  " << latency_text(t.route_latency) << "\n"
      << "  wait estimate  " << estimate_text(t) << "\n"
      << "  msg latency    " << latency_text(t.message_latency) << "\n"
      << "  msg ack        " << latency_text(t.ack_latency) << "\n"
      << (t.unstarted_wait.count() > 0
            ? "  never started  " + latency_text(t.unstarted_wait) + "\n"
            : std::string{})
      << "  mix            transfers ok " << t.transfers_ok
      << ", conferences ok " << t.conferences_ok << ", whispers ok "
      << t.whispers_ok << "; answers after the customer closed, refused "
      << t.late_answers << "; accepts after the offer ended, refused "
      << t.offers_lost << "\n";
    if (s.supervisors > 0)
      o << "  supervisors    " << t.supervisors_subscribed << " of "
        << s.supervisors << " subscribed, " << t.supervisor_events
        << " events (" << fixed(per_s(t.supervisor_events, f.duration_s), 1)
        << "/s)\n";
    if (s.history_flood > 0)
      o << "  history reads  " << t.history_sessions_ready << " of "
        << s.history_flood << " sessions, sent " << t.history_sent
        << ", answered " << t.history_answered << " ("
        << fixed(per_s(t.history_answered, f.duration_s), 1)
        << "/s): not_found " << t.history_not_found << ", rate_limited "
        << t.history_rate_limited << ", other "
        << t.history_answered - t.history_not_found - t.history_rate_limited
        << "\n"
        << "  history lat.   " << latency_text(t.history_latency) << "\n";
  } else if (s.mode == load_mode::echo) {
    o << "  round trips    " << t.messages << "  ("
      << fixed(per_s(f.messages_in_load, d), 1) << "/s in the load)\n"
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
    << " in  (" << fixed(per_s(f.frames_in_load, d), 1) << "/s in the load)\n";
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
  if (f.server_voluntary_switches && f.server_involuntary_switches) {
    auto all = *f.server_voluntary_switches + *f.server_involuntary_switches;
    o << "  switches       " << all << " (" << *f.server_involuntary_switches
      << " preempted) over the server's threads";
    if (frames > 0)
      o << ", " << fixed(double(all) / double(frames), 2) << " per frame";
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
  auto notes = explain(s, t, f);
  for (std::size_t i = 0; i < notes.size(); ++i)
    labelled(o, i == 0 ? "why" : "", notes[i]);
  return o.str();
}

std::vector<std::string> explain(const scenario& s, const totals& t,
                                 const run_facts& f) {
  std::vector<std::string> out = f.fitted;
  const auto& c = f.centre;
  for (const auto& q : c.skipped_queues)
    out.push_back("no conversation started in queue " + q);
  if (s.mode == load_mode::conversations && s.rate == 0 && c.slots > 0
      && s.concurrency > c.slots)
    out.push_back(std::to_string(s.concurrency) + " customers at once for "
                  + plural(c.slots, "slot", "slots")
                  + ": the rest wait in a queue, and route latency includes "
                    "that wait");
  auto seen = [&](error_kind k) { return count_of(t, k); };
  auto tag = [&](error_kind k) {
    return std::string(to_string(k)) + "=" + std::to_string(seen(k)) + ": ";
  };
  if (seen(error_kind::conflict) > 0) {
    if (!c.ring_all_queues.empty())
      out.push_back(tag(error_kind::conflict)
                    + (c.ring_all_queues.size() == 1 ? "queue " : "queues ")
                    + join(c.ring_all_queues)
                    + (c.ring_all_queues.size() == 1 ? " rings" : " ring")
                    + " every ready agent at once (ring_all); the first accept "
                      "wins and the others' offer.accept is answered conflict: "
                      "expected, not a fault");
    else
      out.push_back(tag(error_kind::conflict)
                    + "a request raced another for the same thing (an offer "
                      "taken or withdrawn meanwhile)");
  }
  if (seen(error_kind::rate_limited) > 0)
    out.push_back(
      tag(error_kind::rate_limited) + "a session sent more than "
      + (c.max_requests_per_second > 0
           ? "server.max_requests_per_second ("
               + std::to_string(c.max_requests_per_second)
               + " a second per session in " + c.source + ")"
           : std::string("the server's per-session request limit"))
      + "; each refused answer leaves its conversation waiting until it is "
        "abandoned. Give agents think time (--reply-think-ms) or raise the "
        "limit for the test");
  if (seen(error_kind::timeout) > 0)
    out.push_back(
      tag(error_kind::timeout) + "conversations without progress for "
      + std::to_string(s.conversation_timeout.count())
      + " ms (--timeout-ms) were abandoned: waiting for a free agent"
      + (c.slots > 0 ? " (" + plural(c.slots, "slot", "slots") + ")"
                     : std::string())
      + ", or stalled after a refused request; an abandoned conversation "
        "stays open on the server and may keep its agent's slot");
  if (seen(error_kind::no_agents) > 0)
    out.push_back(tag(error_kind::no_agents)
                  + "a queue's wait_timeout_ms ran out before an agent was "
                    "free");
  if (seen(error_kind::unauthorized) > 0)
    out.push_back(tag(error_kind::unauthorized)
                  + "tokens were refused: is --config the server's own "
                    "configuration (the same secret and roster)?");
  if (seen(error_kind::not_started) > 0)
    out.push_back(tag(error_kind::not_started)
                  + "arrivals waited for one of --concurrency slots until "
                    "the end: the agents do not keep up with --rate");
  if (f.open_at_end > 0)
    out.push_back(std::to_string(f.open_at_end)
                  + " still under way when the drain ended: cut off, "
                    "neither finished nor in the latencies");
  if (seen(error_kind::connect) > 0)
    out.push_back(tag(error_kind::connect)
                  + "connections failed (server.max_sessions, "
                    "limits.sessions_per_address, or file descriptors)");
  if (seen(error_kind::closed) > 0)
    out.push_back(tag(error_kind::closed)
                  + "the server closed sessions during their work (a limit "
                    "of [limits] or a slow reader; its log says which)");
  return out;
}

std::string json_line(const scenario& s, const totals& t, const run_facts& f) {
  double d = f.load_s;
  std::ostringstream o;
  o << "{\"setup\":{\"url\":" << json_string(f.url)
    << ",\"spawn\":" << (s.spawn ? "true" : "false")
    << ",\"config\":" << json_string(s.config_path)
    << ",\"scenario\":" << json_string(s.scenario_file)
    << ",\"mode\":" << json_string(mode_name(s.mode))
    << ",\"concurrency\":" << s.concurrency << ",\"rate\":" << number(s.rate)
    << ",\"agents\":" << f.centre.agents.size()
    << ",\"slots\":" << f.centre.slots << ",\"queues\":[";
  for (std::size_t i = 0; i < f.centre.queues.size(); ++i)
    o << (i == 0 ? "" : ",") << json_string(f.centre.queues[i]);
  o << "],\"messages\":" << s.messages
    << ",\"duration_s\":" << number(s.duration_s)
    << ",\"ramp_up_s\":" << number(s.ramp_up_s)
    << ",\"reply_think_ms\":" << s.reply_think.count() << "}";
  o << ",\"conversations_started\":" << t.started
    << ",\"conversations_routed\":" << t.routed
    << ",\"conversations_open_at_end\":" << f.open_at_end
    << ",\"routed_per_sec\":" << fixed(per_s(f.routed_in_load, d), 1)
    << ",\"messages_per_sec\":" << fixed(per_s(f.messages_in_load, d), 1)
    << ",\"frames_per_sec\":" << fixed(per_s(f.frames_in_load, d), 1)
    << ",\"frames\":" << t.frames_out + t.frames_in
    << ",\"setup_latency_ms\":" << latency_json(t.setup_latency)
    << ",\"route_latency_ms\":" << latency_json(t.route_latency)
    << ",\"estimate_error_ms\":" << latency_json(t.estimate_error)
    << ",\"estimated_routes\":" << t.estimate_error.count()
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
  if (t.late_answers > 0)
    o << ",\"late_answers\":" << t.late_answers;
  if (t.offers_lost > 0)
    o << ",\"offers_lost\":" << t.offers_lost;
  if (t.unstarted_wait.count() > 0)
    o << ",\"not_started_wait_ms\":" << latency_json(t.unstarted_wait);
  if (f.server_rss_mb)
    o << ",\"server_rss_mb\":" << fixed(*f.server_rss_mb, 1);
  o << ",\"load_s\":" << fixed(d, 3)
    << ",\"duration_s\":" << fixed(f.duration_s, 3);
  if (f.server_cpu_s)
    o << ",\"server_cpu_s\":" << fixed(*f.server_cpu_s, 3);
  o << ",\"generator_cpu_s\":" << fixed(f.generator_cpu_s, 3);
  if (f.server_voluntary_switches && f.server_involuntary_switches)
    o << ",\"server_voluntary_switches\":" << *f.server_voluntary_switches
      << ",\"server_involuntary_switches\":" << *f.server_involuntary_switches;
  if (s.history_flood > 0)
    o << ",\"history_reads\":{\"sessions\":" << t.history_sessions_ready
      << ",\"sent\":" << t.history_sent
      << ",\"answered\":" << t.history_answered
      << ",\"not_found\":" << t.history_not_found
      << ",\"rate_limited\":" << t.history_rate_limited
      << ",\"per_sec\":" << fixed(per_s(t.history_answered, f.duration_s), 1)
      << ",\"latency_ms\":" << latency_json(t.history_latency) << "}";
  if (s.mode == load_mode::idle_sessions) {
    o << ",\"idle_sessions\":" << t.sessions_open;
    if (f.idle_baseline_rss_mb && f.idle_loaded_rss_mb && t.sessions_open > 0)
      o << ",\"rss_per_session_kib\":"
        << fixed((*f.idle_loaded_rss_mb - *f.idle_baseline_rss_mb) * 1024.0
                   / double(t.sessions_open),
                 2);
  }
  o << ",\"notes\":[";
  auto notes = explain(s, t, f);
  for (std::size_t i = 0; i < notes.size(); ++i)
    o << (i == 0 ? "" : ",") << json_string(notes[i]);
  o << "]}";
  return o.str();
}

} // namespace baton::bench
