#include "app/cli.hpp"

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
    return true;
  }
  if (arg.rfind(name + "=", 0) == 0) {
    out = arg.substr(name.size() + 1);
    return true;
  }
  return false;
}

parse_result fail(std::string why) {
  return {std::nullopt, std::move(why)};
}

parse_result parse_token(const std::vector<std::string>& args) {
  token_command t;
  std::string ttl, error;
  for (std::size_t i = 1; i < args.size() && error.empty(); ++i) {
    if (take_option(args, i, "--config", t.config_path, error)
        || take_option(args, i, "--role", t.role, error)
        || take_option(args, i, "--user", t.user, error)
        || take_option(args, i, "--ttl", ttl, error))
      continue;
    return fail("unknown option for token: " + args[i]);
  }
  if (!error.empty())
    return fail(error);
  if (t.config_path.empty() || t.role.empty() || t.user.empty())
    return fail("token needs --config FILE --role ROLE --user USER");
  if (!ttl.empty()) {
    auto [end, ec] = std::from_chars(ttl.data(), ttl.data() + ttl.size(),
                                     t.ttl_seconds);
    if (ec != std::errc{} || end != ttl.data() + ttl.size()
        || t.ttl_seconds <= 0)
      return fail("--ttl must be a positive number of seconds");
  }
  return {t, {}};
}

parse_result parse_export(const std::vector<std::string>& args) {
  export_command e;
  std::string error;
  for (std::size_t i = 1; i < args.size() && error.empty(); ++i) {
    if (take_option(args, i, "--config", e.config_path, error)
        || take_option(args, i, "--conversation", e.conversation, error))
      continue;
    return fail("unknown option for export: " + args[i]);
  }
  if (!error.empty())
    return fail(error);
  if (e.config_path.empty() || e.conversation.empty())
    return fail("export needs --config FILE --conversation ID");
  return {e, {}};
}

} // namespace

parse_result parse_command_line(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "token")
    return parse_token(args);
  if (!args.empty() && args[0] == "export")
    return parse_export(args);
  std::string config, check, error;
  for (std::size_t i = 0; i < args.size() && error.empty(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h")
      return {help_command{}, {}};
    if (arg == "--version")
      return {version_command{}, {}};
    if (take_option(args, i, "--config", config, error)
        || take_option(args, i, "--check-config", check, error))
      continue;
    return fail("unknown argument: " + arg);
  }
  if (!error.empty())
    return fail(error);
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
  baton --check-config FILE      validate a configuration and exit
  baton token --config FILE --role ROLE --user USER [--ttl SECONDS]
                                 print a signed token (default ttl 3600 s)
  baton export --config FILE --conversation ID
                                 write a stored conversation's transcript
                                 as JSON to stdout
  baton --version                print the version
  baton --help                   print this help

Roles: customer, agent, supervisor, bot, service.
Environment: BATON_<SECTION>_<KEY> overrides a key of the configuration,
e.g. BATON_AUTH_SECRET or BATON_SERVER_LISTEN=0.0.0.0:9000.
)";
}

} // namespace baton::app
