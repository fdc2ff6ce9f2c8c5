#include "app/cli.hpp"

#include <algorithm>
#include <charconv>

namespace baton::app {
namespace {

/// Reads `--name VALUE` or `--name=VALUE` at args[i]; advances i.
bool take_option(const std::vector<std::string>& args, std::size_t& i,
                 const std::string& name, std::string& out,
                 std::string& error) {
  const auto& arg = args[i];
  if (arg == name) {
    if (i + 1 >= args.size()) {
      error = name + " needs a value";
      return true;
    }
    out = args[++i];
  } else if (arg.rfind(name + "=", 0) == 0) {
    out = arg.substr(name.size() + 1);
  } else {
    return false;
  }
  if (out.empty())
    error = name + " needs a value";
  return true;
}

parse_result fail(std::string why) {
  return {std::nullopt, std::move(why)};
}

bool is_help(const std::string& arg) {
  return arg == "--help" || arg == "-h";
}

/// "unknown option '--x'" or, for a word, "unexpected argument 'x'";
/// `context` names the subcommand.
std::string unknown(const std::string& arg, std::string_view context) {
  std::string what = arg.rfind('-', 0) == 0 ? "unknown option '"
                                            : "unexpected argument '";
  what += arg + "'";
  if (!context.empty())
    what += " for " + std::string{context};
  return what;
}

/// "missing --role ROLE and --user USER"; empty when nothing is missing.
std::string missing(std::span<const std::pair<bool, std::string_view>> needs,
                    std::string_view context) {
  std::vector<std::string_view> absent;
  for (auto [given, what] : needs)
    if (!given)
      absent.push_back(what);
  if (absent.empty())
    return {};
  std::string out = std::string{context} + (context.empty() ? "" : ": ")
                    + "missing ";
  for (std::size_t i = 0; i < absent.size(); ++i) {
    if (i > 0)
      out += i + 1 == absent.size() ? " and " : ", ";
    out += absent[i];
  }
  return out;
}

parse_result parse_token(const std::vector<std::string>& args) {
  token_command t;
  std::string ttl, error;
  for (std::size_t i = 1; i < args.size() && error.empty(); ++i) {
    if (is_help(args[i]))
      return {help_command{}, {}};
    if (take_option(args, i, "--config", t.config_path, error)
        || take_option(args, i, "--role", t.role, error)
        || take_option(args, i, "--user", t.user, error)
        || take_option(args, i, "--ttl", ttl, error)
        || take_option(args, i, "--base-url", t.base_url, error))
      continue;
    if (args[i] == "--link") {
      t.link = true;
      continue;
    }
    return fail(unknown(args[i], "token"));
  }
  if (!error.empty())
    return fail(error);
  const std::pair<bool, std::string_view> needs[]{
    {!t.config_path.empty(), "--config FILE"},
    {!t.role.empty(), "--role ROLE"},
    {!t.user.empty(), "--user USER"}};
  if (auto why = missing(needs, "token"); !why.empty())
    return fail(why);
  if (!ttl.empty()) {
    auto [end, ec] = std::from_chars(ttl.data(), ttl.data() + ttl.size(),
                                     t.ttl_seconds);
    if (ec != std::errc{} || end != ttl.data() + ttl.size()
        || t.ttl_seconds <= 0)
      return fail("--ttl must be a positive number of seconds");
  }
  if (!t.base_url.empty() && !t.link)
    return fail("--base-url is for --link");
  if (t.link && console_page(t.role).empty())
    return fail("--link is for --role agent (the desk) or supervisor (the "
                "board)");
  if (t.link && t.base_url.find("://") == std::string::npos
      && !t.base_url.empty())
    return fail("--base-url must be a URL such as https://baton.example.com");
  return {t, {}};
}

/// `baton export` and `baton explain`: one stored conversation, by id.
template <class Command>
parse_result
parse_stored(const std::vector<std::string>& args, std::string_view name) {
  Command e;
  std::string error;
  for (std::size_t i = 1; i < args.size() && error.empty(); ++i) {
    if (is_help(args[i]))
      return {help_command{}, {}};
    if (take_option(args, i, "--config", e.config_path, error)
        || take_option(args, i, "--conversation", e.conversation, error))
      continue;
    return fail(unknown(args[i], name));
  }
  if (!error.empty())
    return fail(error);
  const std::pair<bool, std::string_view> needs[]{
    {!e.config_path.empty(), "--config FILE"},
    {!e.conversation.empty(), "--conversation ID"}};
  if (auto why = missing(needs, name); !why.empty())
    return fail(why);
  return {e, {}};
}

parse_result parse_cluster(const std::vector<std::string>& args) {
  if (args.size() < 2 || args[1] != "status")
    return fail(args.size() < 2 ? "cluster: missing status"
                                : "cluster: unknown command " + args[1]
                                    + " (expected status)");
  cluster_status_command c;
  std::string error;
  for (std::size_t i = 2; i < args.size() && error.empty(); ++i) {
    if (is_help(args[i]))
      return {help_command{}, {}};
    if (take_option(args, i, "--config", c.config_path, error))
      continue;
    return fail(unknown(args[i], "cluster status"));
  }
  if (!error.empty())
    return fail(error);
  if (c.config_path.empty())
    return fail("cluster status: missing --config FILE");
  return {c, {}};
}

} // namespace

parse_result parse_command_line(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "token")
    return parse_token(args);
  if (!args.empty() && args[0] == "export")
    return parse_stored<export_command>(args, "export");
  if (!args.empty() && args[0] == "explain")
    return parse_stored<explain_command>(args, "explain");
  if (!args.empty() && args[0] == "replay")
    return parse_stored<replay_command>(args, "replay");
  if (!args.empty() && args[0] == "cluster")
    return parse_cluster(args);
  std::string config, check, error;
  for (std::size_t i = 0; i < args.size() && error.empty(); ++i) {
    const auto& arg = args[i];
    if (is_help(arg))
      return {help_command{}, {}};
    if (arg == "--version")
      return {version_command{}, {}};
    if (take_option(args, i, "--config", config, error)
        || take_option(args, i, "--check-config", check, error))
      continue;
    return fail(unknown(arg, ""));
  }
  if (!error.empty())
    return fail(error);
  if (!check.empty() && !config.empty())
    return fail("--config and --check-config exclude each other");
  if (!check.empty())
    return {check_config_command{check}, {}};
  if (!config.empty())
    return {serve_command{config}, {}};
  return fail("missing --config FILE");
}

const char* usage() {
  return R"(baton: routes live customer conversations to agents.

Usage:
  baton --config FILE            run the server
  baton --check-config FILE      validate a configuration: prints each
                                 problem as file:line: key: message, or ok
  baton token --config FILE --role ROLE --user USER [--ttl SECONDS]
              [--link [--base-url URL]]
                                 print a signed token (default ttl 3600 s);
                                 an agent or supervisor must be on the
                                 configuration's roster with that role;
                                 --link prints the desk (agent) or board
                                 (supervisor) URL that signs them in, at
                                 URL or at server.listen
  baton export --config FILE --conversation ID
                                 write a stored conversation's transcript
                                 as JSON to stdout
  baton explain --config FILE --conversation ID
                                 tell how a stored conversation was
                                 routed: each step, and why each agent
                                 was chosen or passed over
  baton replay --config FILE --conversation ID
                                 decide a stored conversation's routing
                                 again from its recorded grounds under
                                 FILE; prints each decision that comes out
                                 otherwise (exit status 3)
  baton cluster status --config FILE
                                 print the cluster's nodes, their leases
                                 and which node owns the shards, from the
                                 database in [storage]
  baton --version                print the version
  baton --help                   print this help

Roles: customer, agent, supervisor, bot, service.
Paths in the configuration are relative to its file's directory.
Environment: BATON_<SECTION>_<KEY> overrides a key of the configuration,
e.g. BATON_AUTH_SECRET or BATON_SERVER_LISTEN=0.0.0.0:9000; any other
BATON_* variable is an error, but for the few Baton's own scripts read
(docs/configuration.md, "Environment overrides").
Exit status: 0 done, 1 refused (bad configuration, user not on the
roster), 2 usage error, 3 a replayed decision came out otherwise.
)";
}

std::string usage_error(std::string_view problem) {
  return "baton: " + std::string{problem}
         + "\nTry 'baton --help' for the usage.\n";
}

std::string_view console_page(std::string_view role) {
  if (role == "agent")
    return "desk";
  if (role == "supervisor")
    return "board";
  return {};
}

std::optional<std::string> default_base_url(std::string_view listen,
                                            std::string_view prefix) {
  // server.listen was checked when the configuration loaded: host:port,
  // an IPv6 host in brackets.
  auto colon = listen.rfind(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  std::string host{listen.substr(0, colon)};
  auto port = listen.substr(colon + 1);
  if (port.empty() || port.find_first_not_of('0') == std::string_view::npos)
    return std::nullopt;
  if (host == "0.0.0.0")
    host = "127.0.0.1";
  else if (host == "[::]")
    host = "[::1]";
  return "http://" + host + ":" + std::string{port} + std::string{prefix};
}

std::string console_link(std::string_view base_url, std::string_view page,
                         std::string_view user, std::string_view token) {
  while (base_url.ends_with('/'))
    base_url.remove_suffix(1);
  return std::string{base_url} + "/" + std::string{page}
         + "#user=" + std::string{user} + "&token=" + std::string{token};
}

std::optional<std::string>
staff_refusal(engine::role role, std::string_view user,
              std::span<const engine::config::agent> agents,
              std::string_view roster_name) {
  using engine::config::staff_role;
  if (!engine::is_staff(role))
    return std::nullopt;
  bool want_supervisor = role == engine::role::supervisor;
  auto has = [](const engine::config::agent& a, staff_role r) {
    return std::ranges::find(a.roles, r) != a.roles.end();
  };
  auto fits = [&](const engine::config::agent& a) {
    return want_supervisor
             ? has(a, staff_role::supervisor)
             : has(a, staff_role::agent) || has(a, staff_role::manager);
  };
  std::vector<std::string_view> fitting;
  const engine::config::agent* same_id = nullptr;
  for (const auto& a : agents) {
    if (a.id == user) {
      if (fits(a))
        return std::nullopt;
      same_id = &a;
    }
    if (fits(a))
      fitting.push_back(a.id);
  }
  std::string_view noun = want_supervisor ? "supervisor" : "agent";
  std::string why = "\"" + std::string{user} + "\" is not "
                    + (want_supervisor ? "a " : "an ") + std::string{noun}
                    + " in " + std::string{roster_name} + " (";
  if (same_id != nullptr) {
    why += same_id->id + " has role";
    for (std::size_t i = 0; i < same_id->roles.size(); ++i) {
      auto r = same_id->roles[i];
      why += std::string{i == 0 ? " " : ", "}
             + (r == staff_role::agent     ? "agent"
                : r == staff_role::manager ? "manager"
                                           : "supervisor");
    }
    why += "; ";
  }
  constexpr std::size_t shown = 8;
  if (fitting.empty()) {
    why += "it lists no " + std::string{noun};
  } else {
    why += std::string{noun} + "s: ";
    for (std::size_t i = 0; i < fitting.size() && i < shown; ++i)
      why += (i == 0 ? "" : ", ") + std::string{fitting[i]};
    if (fitting.size() > shown)
      why += ", ... (" + std::to_string(fitting.size()) + " in all)";
  }
  return why + ")";
}

} // namespace baton::app
