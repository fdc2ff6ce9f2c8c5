#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <tuple>
#include <vector>

#include "app/cli.hpp"
#include "app/cluster_status.hpp"
#include "app/server.hpp"
#include "engine/auth/token.hpp"
#include "engine/config/config.hpp"
#include "engine/config/secret_file.hpp"
#include "engine/conversation/content.hpp"
#include "engine/conversation/explain.hpp"
#include "engine/conversation/replay.hpp"
#include "engine/overloaded.hpp"
#ifdef BATON_HAVE_POSTGRES
#  include "engine/storage/postgres_leases.hpp"
#endif
#include "engine/storage/store.hpp"
#include "engine/storage/transcript.hpp"

namespace {

using namespace baton;
namespace cfg = engine::config;

/// `file:line: warning: key: message`: the location first, as for errors,
/// and a word that tells a warning from an error (as compilers do), since
/// only errors stop a start.
std::string warning_line(const cfg::error& w) {
  std::string out = w.file;
  if (w.line > 0)
    out += ":" + std::to_string(w.line);
  out += ": warning: ";
  if (!w.key.empty())
    out += w.key + ": ";
  return out + w.message;
}

/// Every problem of a load, one line each, in the order of their places:
/// the main file, the agents file, the environment.
void print_problems(const cfg::load_result& r, const std::string& path,
                    std::FILE* out) {
  struct line {
    const cfg::error* problem;
    bool warning;
  };
  std::vector<line> lines;
  for (const auto& e : r.errors)
    lines.push_back({&e, false});
  for (const auto& w : r.warnings)
    lines.push_back({&w, true});
  auto rank = [&](const line& l) {
    const auto& file = l.problem->file;
    return std::tuple{file == path            ? 0
                      : file == "environment" ? 2
                                              : 1,
                      file, l.problem->line};
  };
  std::ranges::stable_sort(lines, [&](const line& a, const line& b) {
    return rank(a) < rank(b);
  });
  for (const auto& l : lines)
    std::fprintf(
      out, "%s\n",
      (l.warning ? warning_line(*l.problem) : l.problem->to_string()).c_str());
}

/// The configuration for a command that is not the server: its problems go
/// to stderr as plain lines, without the log's timestamps.
std::optional<cfg::config> load_quietly(const std::string& path) {
  auto result = cfg::load_file(path);
  if (!result.ok())
    print_problems(result, path, stderr);
  return std::move(result.value);
}

int refuse(const std::string& why) {
  std::fprintf(stderr, "baton: %s\n", why.c_str());
  return app::exit_refused;
}

/// The configuration for the server: every problem, warnings included, as
/// plain `file:line:` lines on stderr before the log starts (its format is
/// in the file being read); nullopt when it is bad. A missing
/// `auth.secret_file` is made (a first start).
std::optional<cfg::config> load_for_server(const std::string& path) {
  auto result = cfg::load_file(path);
  print_problems(result, path, stderr);
  if (!result.value)
    return std::nullopt;
  if (auto problem = cfg::resolve_secret_file(*result.value, true);
      !problem.empty()) {
    refuse(path + ": " + problem);
    return std::nullopt;
  }
  return std::move(result.value);
}

int usage_error(const std::string& problem) {
  std::fputs(app::usage_error(problem).c_str(), stderr);
  return app::exit_usage;
}

int check_config(const app::check_config_command& c) {
  auto result = cfg::load_file(c.config_path);
  print_problems(result, c.config_path, stdout);
  if (!result.ok())
    return app::exit_refused;
  std::puts("ok");
  return 0;
}

/// Where the roster of `path` is: the file, and its agents_file if any.
std::string roster_name(const std::string& path, const cfg::config& c) {
  if (c.agents_file.empty())
    return path;
  auto agents = std::filesystem::path{c.agents_file};
  if (agents.is_relative())
    agents = std::filesystem::path{path}.parent_path() / agents;
  return path + " or " + agents.string();
}

int print_token(const app::token_command& t) {
  auto role = engine::parse_role(t.role);
  if (!role)
    return usage_error("unknown role \"" + t.role
                       + "\" (expected one of customer, agent, supervisor, "
                         "bot, service)");
  if (!engine::is_valid_id(t.user))
    return usage_error("\"" + t.user
                       + "\" is not a valid user id (1 to 64 characters from "
                         "A-Z a-z 0-9 _ . : @ -)");
  auto cfg = load_quietly(t.config_path);
  if (!cfg)
    return app::exit_refused;
  // Before the secret file is made: a refused token leaves nothing behind.
  if (auto why = app::staff_refusal(*role, t.user, cfg->agents,
                                    roster_name(t.config_path, *cfg)))
    return refuse(*why);
  std::string base_url = t.base_url;
  if (t.link && base_url.empty()) {
    if (!cfg->console.enabled)
      return refuse(t.config_path
                    + ": console.enabled is false, so no console is served "
                      "there: give --base-url where they are");
    auto made = app::default_base_url(cfg->server.listen, cfg->console.prefix);
    if (!made)
      return refuse(t.config_path + ": server.listen \"" + cfg->server.listen
                    + "\" names no fixed port: give --base-url");
    base_url = *made;
  }
  if (auto problem = cfg::resolve_secret_file(*cfg, true); !problem.empty())
    return refuse(t.config_path + ": " + problem);
  using namespace std::chrono;
  auto now = duration_cast<seconds>(system_clock::now().time_since_epoch());
  auto token = engine::auth::sign(cfg->auth.secret, *role, t.user,
                                  now.count() + t.ttl_seconds);
  if (t.link)
    std::cout << app::console_link(base_url, app::console_page(t.role), t.user,
                                   token)
              << '\n';
  else
    std::cout << token << '\n';
  return 0;
}

/// Reads the conversation from the store the configuration names; the
/// server may be running (SQLite readers do not block its writer).
int export_transcript(const app::export_command& e) {
  auto cfg = load_quietly(e.config_path);
  if (!cfg)
    return app::exit_refused;
  if (cfg->storage.backend == cfg::storage_backend::memory)
    return refuse("storage.backend is \"memory\": nothing is stored");
  try {
    auto store = engine::storage::open_reader(cfg->storage);
    auto log = store->load(e.conversation);
    if (log.empty())
      return refuse("no conversation \"" + e.conversation + "\" in the store");
    std::cout << engine::storage::transcript_json(e.conversation, log) << '\n';
    return 0;
  } catch (const std::exception& ex) {
    return refuse(std::string{"storage: "} + ex.what());
  }
}

/// Reads a stored conversation's routing steps and hands them, with the
/// configuration, to `use`.
template <class Use>
int with_stored_steps(const std::string& config_path,
                      const std::string& conversation, Use use) {
  auto cfg = load_quietly(config_path);
  if (!cfg)
    return app::exit_refused;
  if (cfg->storage.backend == cfg::storage_backend::memory)
    return refuse("storage.backend is \"memory\": nothing is stored");
  std::vector<engine::event> log;
  try {
    log = engine::storage::open_reader(cfg->storage)->load(conversation);
  } catch (const std::exception& ex) {
    return refuse(std::string{"storage: "} + ex.what());
  }
  if (log.empty())
    return refuse("no conversation \"" + conversation + "\" in the store");
  return use(*cfg, engine::explain_routing(log));
}

/// The routing story of a stored conversation, one step a paragraph.
int explain_conversation(const app::explain_command& e) {
  return with_stored_steps(
    e.config_path, e.conversation, [&](const cfg::config&, const auto& steps) {
      std::cout << e.conversation << ": " << steps.size()
                << (steps.size() == 1 ? " routing step\n" : " routing steps\n");
      for (const auto& s : steps)
        std::cout << "\n#" << s.seq << "  " << engine::clock_text(s.ts) << "  "
                  << engine::to_string(s.kind) << "\n  " << s.text << '\n';
      return 0;
    });
}

/// Each decision with grounds decided again under the configuration.
int replay_conversation(const app::replay_command& r) {
  return with_stored_steps(
    r.config_path, r.conversation,
    [&](const cfg::config& cfg, const auto& steps) {
      auto result = engine::replay_routing(steps, cfg);
      std::cout << r.conversation << ": " << result.decisions
                << " decisions replayed, " << result.differences.size()
                << " came out otherwise\n";
      for (const auto& d : result.differences)
        std::cout << "#" << d.seq << "  recorded: " << d.recorded
                  << "\n    with " << r.config_path << ": " << d.replayed
                  << '\n';
      return result.differences.empty() ? 0 : app::exit_differs;
    });
}

} // namespace

int cluster_status(const app::cluster_status_command& c) {
  // Nodes may leave their id and address to their environment; this reads
  // for none, and listens nowhere.
  setenv("BATON_CLUSTER_NODE_ID", "status", 0);
  setenv("BATON_CLUSTER_LISTEN", "127.0.0.1:0", 0);
  auto loaded = load_quietly(c.config_path);
  if (!loaded)
    return app::exit_refused;
  if (loaded->storage.backend != cfg::storage_backend::postgres)
    return refuse("a cluster keeps its leases in PostgreSQL: [storage] "
                  "backend is not postgres");
#ifdef BATON_HAVE_POSTGRES
  try {
    engine::storage::postgres_leases leases(
      loaded->storage.url,
      engine::storage::postgres_leases::access::tables_exist);
    auto members = leases.members();
    auto shards = leases.shards();
    auto cuts = leases.cuts(loaded->cluster.lease_expiry_ms);
    std::cout << app::describe_cluster(members, shards, loaded->cluster.spread,
                                       cuts);
    return 0;
  } catch (const std::exception& e) {
    return refuse(std::string("no cluster to read: ") + e.what());
  }
#else
  return refuse("this build has no PostgreSQL (libpq)");
#endif
}

int main(int argc, char** argv) {
  auto parsed = app::parse_command_line({argv + 1, argv + argc});
  if (!parsed.command)
    return usage_error(parsed.error);
  return std::visit(
    engine::overloaded{
      [](const app::serve_command& c) {
        auto cfg = load_for_server(c.config_path);
        return cfg ? app::serve(*cfg, c.config_path) : app::exit_refused;
      },
      [](const app::check_config_command& c) { return check_config(c); },
      [](const app::token_command& c) { return print_token(c); },
      [](const app::export_command& c) { return export_transcript(c); },
      [](const app::explain_command& c) { return explain_conversation(c); },
      [](const app::replay_command& c) { return replay_conversation(c); },
      [](const app::cluster_status_command& c) { return cluster_status(c); },
      [](const app::version_command&) {
        std::printf("baton %s\n", BATON_VERSION);
        return 0;
      },
      [](const app::help_command&) {
        std::fputs(app::usage(), stdout);
        return 0;
      },
    },
    *parsed.command);
}
