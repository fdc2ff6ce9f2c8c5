#include "bench/load/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <variant>

#include <toml++/toml.h>

#include "bench/load/wrap.hpp"

namespace baton::bench {
namespace {

/// A value as read from TOML or from a flag.
using value = std::variant<bool, std::int64_t, double, std::string>;

/// How a setting lands in the scenario, and how its value reads in --help.
/// `apply` returns an error message, empty when it took.
struct handler {
  std::function<std::string(scenario&, const value&)> apply;
  std::function<std::string(const scenario&)> show;
};

/// One setting: where it lives in the file, its flag, and its handler.
struct setting {
  std::string_view section;
  std::string_view key;
  std::string_view flag; ///< without the leading "--"
  std::string_view help;
  handler on;
  bool is_switch = false; ///< a flag without an argument (booleans)
};

std::string kind_error(std::string_view expected) {
  return "must be " + std::string(expected);
}

/// 10 → "10", 0.05 → "0.05", 1e7 → "10000000".
std::string number_text(double d) {
  std::ostringstream o;
  o.precision(12);
  o << d;
  return o.str();
}

handler boolean(bool scenario::*field) {
  return {[field](scenario& s, const value& v) -> std::string {
            if (auto* b = std::get_if<bool>(&v)) {
              s.*field = *b;
              return {};
            }
            return kind_error("true or false");
          },
          [field](const scenario& s) -> std::string {
            return s.*field ? "on" : "off";
          }};
}

handler integer(int scenario::*field, std::int64_t lo, std::int64_t hi) {
  return {[=](scenario& s, const value& v) -> std::string {
            auto* i = std::get_if<std::int64_t>(&v);
            if (i == nullptr)
              return kind_error("an integer");
            if (*i < lo || *i > hi)
              return "must be from " + std::to_string(lo) + " to "
                     + std::to_string(hi);
            s.*field = static_cast<int>(*i);
            return {};
          },
          [field](const scenario& s) { return std::to_string(s.*field); }};
}

handler millis(milliseconds scenario::*field, std::int64_t lo) {
  return {[=](scenario& s, const value& v) -> std::string {
            auto* i = std::get_if<std::int64_t>(&v);
            if (i == nullptr)
              return kind_error("an integer (milliseconds)");
            if (*i < lo)
              return "must be at least " + std::to_string(lo);
            s.*field = milliseconds(*i);
            return {};
          },
          [field](const scenario& s) {
            return std::to_string((s.*field).count());
          }};
}

handler real(double scenario::*field, double lo, double hi) {
  return {[=](scenario& s, const value& v) -> std::string {
            double d = 0;
            if (auto* i = std::get_if<std::int64_t>(&v))
              d = double(*i);
            else if (auto* f = std::get_if<double>(&v))
              d = *f;
            else
              return kind_error("a number");
            if (!(d >= lo && d <= hi)) {
              std::ostringstream m;
              m << "must be from " << lo << " to " << hi;
              return m.str();
            }
            s.*field = d;
            return {};
          },
          [field](const scenario& s) { return number_text(s.*field); }};
}

/// `none` says what an empty value means.
handler text(std::string scenario::*field, std::string_view none = "none") {
  return {[field](scenario& s, const value& v) -> std::string {
            if (auto* t = std::get_if<std::string>(&v)) {
              s.*field = *t;
              return {};
            }
            return kind_error("a string");
          },
          [field, none](const scenario& s) {
            return (s.*field).empty() ? std::string(none) : s.*field;
          }};
}

/// A string setting that must be one of `allowed`.
handler one_of(std::string scenario::*field,
               std::vector<std::string_view> allowed) {
  return {[=](scenario& s, const value& v) -> std::string {
            auto* t = std::get_if<std::string>(&v);
            if (t == nullptr)
              return kind_error("a string");
            for (auto a : allowed)
              if (*t == a) {
                s.*field = *t;
                return {};
              }
            std::string list;
            for (auto a : allowed)
              list += (list.empty() ? "" : ", ") + std::string(a);
            return "must be one of " + list + ", not '" + *t + "'";
          },
          [field](const scenario& s) { return s.*field; }};
}

std::string apply_mode(scenario& s, const value& v) {
  auto* t = std::get_if<std::string>(&v);
  if (t == nullptr)
    return kind_error("a string");
  if (*t == "conversations")
    s.mode = load_mode::conversations;
  else if (*t == "echo")
    s.mode = load_mode::echo;
  else if (*t == "idle_sessions")
    s.mode = load_mode::idle_sessions;
  else
    return "must be one of conversations, echo, idle_sessions, not '" + *t
           + "'";
  return {};
}

std::string show_mode(const scenario& s) {
  return std::string(mode_name(s.mode));
}

const std::vector<setting>& settings() {
  constexpr std::int64_t big = 10'000'000;
  static const std::vector<setting> all{
    {"target", "spawn", "spawn",
     "start a baton with a generated configuration on a free port",
     boolean(&scenario::spawn), true},
    {"target", "url", "url", "ws://HOST:PORT/v1/ws of a running server",
     text(&scenario::url)},
    {"target", "config", "config",
     "that server's configuration (agents, queues, secret)",
     text(&scenario::config_path)},
    {"target", "server_binary", "server-binary", "the server to spawn",
     text(&scenario::server_binary, "baton or baton-echo beside baton-load")},
    {"server", "agents", "agents", "agents in the generated configuration",
     integer(&scenario::agents, 0, big)},
    {"server", "supervisors", "supervisors",
     "supervisor sessions, each subscribed to every queue "
     "(supervise.subscribe)",
     integer(&scenario::supervisors, 0, 100000)},
    {"server", "agent_capacity", "capacity",
     "concurrent conversations per generated agent",
     integer(&scenario::agent_capacity, 1, 100000)},
    {"server", "queues", "queues", "queues in the generated configuration",
     integer(&scenario::queues, 1, 10000)},
    {"server", "threads", "server-threads",
     "server I/O threads (0: one per core)",
     integer(&scenario::server_threads, 0, 1024)},
    {"server", "storage", "storage",
     "memory, or sqlite in the temporary directory",
     one_of(&scenario::storage, {"memory", "sqlite"})},
    {"server", "durability", "durability",
     "with sqlite: fsync (survives power loss) or os",
     one_of(&scenario::durability, {"fsync", "os"})},
    {"load",
     "mode",
     "mode",
     "conversations, echo or idle_sessions",
     {apply_mode, show_mode}},
    {"load", "rate", "rate", "new conversations per second; 0: closed loop",
     real(&scenario::rate, 0, 1e7)},
    {"load", "concurrency", "concurrency",
     "closed loop: customers at once; open loop: at most this many; echo: "
     "connections",
     integer(&scenario::concurrency, 1, big)},
    {"load", "messages", "messages",
     "customer messages per conversation, each answered by the agent",
     integer(&scenario::messages, 0, 100000)},
    {"load", "duration_s", "duration", "seconds of load",
     real(&scenario::duration_s, 0.1, 86400)},
    {"load", "ramp_up_s", "ramp-up",
     "seconds over which the rate (or concurrency) grows to its value",
     real(&scenario::ramp_up_s, 0, 86400)},
    {"load", "sources", "sources",
     "loopback source addresses 127.0.0.1..127.0.0.N",
     integer(&scenario::sources, 1, 254)},
    {"load", "threads", "threads", "load-generator threads",
     integer(&scenario::threads, 1, 256)},
    {"load", "conversation_timeout_ms", "timeout-ms",
     "a conversation that makes no progress this long is abandoned",
     millis(&scenario::conversation_timeout, 1)},
    {"load", "idle_sessions", "idle-sessions",
     "mode idle_sessions: sessions to open",
     integer(&scenario::idle_sessions, 1, big)},
    {"load", "echo_window", "echo-window",
     "mode echo: frames in flight per connection",
     integer(&scenario::echo_window, 1, 100000)},
    {"load", "frame_bytes", "frame-bytes", "mode echo: bytes per frame",
     integer(&scenario::frame_bytes, 40, 1 << 20)},
    {"load", "history_flood", "history-flood",
     "extra customer sessions sending conversation.history of random ids "
     "(not_found, read from the store) for the whole run",
     integer(&scenario::history_flood, 0, 100000)},
    {"load", "history_window", "history-window",
     "history reads in flight per flood session",
     integer(&scenario::history_window, 1, 10000)},
    {"load", "history_rate", "history-rate",
     "history reads/s per flood session, each due at its time; 0: the next "
     "as soon as one is answered",
     real(&scenario::history_rate, 0, 1e6)},
    {"mix", "transfer", "transfer",
     "share of conversations the agent transfers (transfer.request)",
     real(&scenario::transfer_share, 0, 1)},
    {"mix", "conference", "conference",
     "share of conversations the agent conferences (conference.request)",
     real(&scenario::conference_share, 0, 1)},
    {"mix", "whisper", "whisper",
     "share of conversations with a whisper (whisper.send)",
     real(&scenario::whisper_share, 0, 1)},
    {"agents", "accept_think_ms", "accept-think-ms",
     "agent: offer seen -> offer.accept", millis(&scenario::accept_think, 0)},
    {"agents", "reply_think_ms", "reply-think-ms",
     "agent: customer message seen -> answer",
     millis(&scenario::reply_think, 0)},
    {"customers", "think_ms", "customer-think-ms",
     "customer: answer seen -> next message",
     millis(&scenario::customer_think, 0)},
    {"output", "json", "json", "one JSON object on the last line of stdout",
     boolean(&scenario::json), true},
    {"output", "progress", "progress", "a progress line on stderr each second",
     boolean(&scenario::progress), true},
    {"output", "timeline", "timeline",
     "a tab-separated row every timeline_s seconds to this file: rates, "
     "errors, that interval's route and message latency, server RSS and CPU",
     text(&scenario::timeline)},
    {"output", "timeline_s", "timeline-s",
     "seconds per timeline row (rows come at the once-a-second ticks)",
     real(&scenario::timeline_s, 1, 86400)},
  };
  return all;
}

const setting* find_setting(std::string_view section, std::string_view key) {
  for (const auto& s : settings())
    if (s.section == section && s.key == key)
      return &s;
  return nullptr;
}

const setting* find_flag(std::string_view flag) {
  for (const auto& s : settings())
    if (s.flag == flag)
      return &s;
  return nullptr;
}

std::optional<value> from_toml(const toml::node& n) {
  if (auto b = n.value_exact<bool>())
    return value{*b};
  if (auto i = n.value_exact<std::int64_t>())
    return value{*i};
  if (auto d = n.value_exact<double>())
    return value{*d};
  if (auto t = n.value_exact<std::string>())
    return value{*t};
  return std::nullopt;
}

/// A flag's argument: an integer, a number, else the text itself.
value from_flag(std::string_view arg) {
  std::int64_t i = 0;
  auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), i);
  if (ec == std::errc() && p == arg.data() + arg.size())
    return value{i};
  double d = 0;
  auto [q, ec2] = std::from_chars(arg.data(), arg.data() + arg.size(), d);
  if (ec2 == std::errc() && q == arg.data() + arg.size())
    return value{d};
  return value{std::string(arg)};
}

std::string read_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open";
    return {};
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

scenario_result parse_scenario(std::string_view toml_text,
                               const std::string& source_name, scenario base) {
  scenario_result r;
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    r.errors.push_back(source_name + ":" + std::to_string(e.source().begin.line)
                       + ": " + std::string(e.description()));
    return r;
  }
  auto where = [&](const toml::node& n, std::string_view key) {
    return source_name + ":" + std::to_string(n.source().begin.line) + ": "
           + std::string(key);
  };
  for (auto&& [section_key, section_node] : root) {
    auto* section = section_node.as_table();
    if (section == nullptr) {
      r.errors.push_back(where(section_node, section_key.str())
                         + ": expected a [section]");
      continue;
    }
    for (auto&& [key, node] : *section) {
      auto full = std::string(section_key.str()) + "." + std::string(key.str());
      auto* s = find_setting(section_key.str(), key.str());
      if (s == nullptr) {
        r.errors.push_back(where(node, full) + ": unknown key");
        continue;
      }
      auto v = from_toml(node);
      std::string err = v ? s->on.apply(base, *v) : "must be a plain value";
      if (!err.empty())
        r.errors.push_back(where(node, full) + ": " + err);
      else
        base.given.push_back(full);
    }
  }
  if (r.errors.empty())
    r.value = std::move(base);
  return r;
}

scenario_result parse_command_line(int argc, const char* const* argv) {
  scenario_result r;
  scenario s;
  // The scenario file first, wherever it is on the line.
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string_view(argv[i]) == "--scenario") {
      std::string err;
      auto text = read_file(argv[i + 1], err);
      if (!err.empty()) {
        r.errors.push_back(err);
        return r;
      }
      auto file = parse_scenario(text, argv[i + 1], s);
      if (!file.value)
        return file;
      s = std::move(*file.value);
      s.scenario_file = argv[i + 1];
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      r.help = true;
      return r;
    }
    if (arg == "--scenario") {
      ++i;
      continue;
    }
    if (arg.substr(0, 2) != "--") {
      r.errors.push_back("unexpected argument '" + std::string(arg) + "'");
      continue;
    }
    auto name = arg.substr(2);
    bool negated = false;
    const setting* set = find_flag(name);
    if (set == nullptr && name.substr(0, 3) == "no-") {
      set = find_flag(name.substr(3));
      negated = set != nullptr && set->is_switch;
      if (!negated)
        set = nullptr;
    }
    // Mode shortcuts.
    if (set == nullptr && name == "echo") {
      s.mode = load_mode::echo;
      continue;
    }
    if (set == nullptr) {
      r.errors.push_back("unknown flag --" + std::string(name));
      continue;
    }
    std::string err;
    if (set->is_switch) {
      err = set->on.apply(s, value{!negated});
    } else if (i + 1 >= argc) {
      err = "needs a value";
    } else {
      err = set->on.apply(s, from_flag(argv[++i]));
    }
    if (!err.empty())
      r.errors.push_back("--" + std::string(name) + ": " + err);
    else
      s.given.push_back(std::string(set->section) + "."
                        + std::string(set->key));
    // --idle-sessions N implies the mode.
    if (err.empty() && name == "idle-sessions")
      s.mode = load_mode::idle_sessions;
  }
  if (r.errors.empty())
    validate(s, r.errors);
  if (r.errors.empty())
    r.value = std::move(s);
  return r;
}

void validate(const scenario& s, std::vector<std::string>& errors) {
  if (!s.spawn && s.url.empty())
    errors.push_back("give --spawn, or --url (and --config) of a running "
                     "server");
  if (!s.spawn && s.mode != load_mode::echo && s.config_path.empty())
    errors.push_back("--url needs --config: the server's agents, queues and "
                     "secret");
  if (s.spawn && !s.url.empty())
    errors.push_back("--spawn and --url exclude each other");
  if (!s.url.empty() && s.url.rfind("ws://", 0) != 0)
    errors.push_back("--url must start with ws:// (wss is not supported)");
  if (s.transfer_share + s.conference_share > 1.0)
    errors.push_back("transfer + conference shares add up to more than 1");
  if (s.mode == load_mode::idle_sessions && s.idle_sessions <= 0)
    errors.push_back("mode idle_sessions needs idle_sessions > 0");
  if (s.mode == load_mode::conversations && s.spawn && s.agents == 0)
    errors.push_back("a spawned server needs at least one agent");
  if (s.history_flood > 0 && s.mode != load_mode::conversations)
    errors.push_back("history_flood goes with mode conversations");
}

bool scenario::was_given(std::string_view section_key) const {
  return std::find(given.begin(), given.end(), section_key) != given.end();
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

std::string usage() {
  constexpr std::size_t flag_width = 24;
  constexpr std::size_t line_width = 79;
  const scenario defaults;
  std::ostringstream o;
  o << "baton-load: a load generator for Baton over real WebSockets\n\n"
       "  baton-load --spawn [flags]                   start a server, load "
       "it, stop it\n"
       "  baton-load --url ws://H:P/v1/ws --config F   load a running server\n"
       "  baton-load --scenario FILE [flags]           settings from TOML; "
       "flags win\n\n"
       "Against a running server (--url), concurrency and the agents' reply "
       "think\ntime default to what its centre can serve unless given; the "
       "summary says\nwhat was run and why.\n\n"
       "flags (default; [section] key in a scenario file):\n";
  // The help, then "(default X; [section] key)", wrapped under the help.
  auto entry = [&](const std::string& flag, const std::string& text) {
    o << "  " << flag;
    write_wrapped(o, text, 2 + flag.size(), flag_width, line_width);
  };
  for (const auto& s : settings()) {
    std::string flag = "--" + std::string(s.flag) + (s.is_switch ? "" : " V");
    entry(flag, std::string(s.help) + " (default " + s.on.show(defaults) + "; ["
                  + std::string(s.section) + "] " + std::string(s.key) + ")");
  }
  entry("--scenario FILE", "read the settings of FILE first (default none)");
  entry("--echo", "the same as --mode echo");
  entry("--no-X", "turns off the switch --X (--no-progress, --no-json)");
  entry("--help", "print this help");
  return o.str();
}

} // namespace baton::bench
