#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/config/config.hpp"
#include "engine/types.hpp"

/// The command line of `baton`, parsed without side effects so it is tested
/// on its own. Exit codes: 0 done, 1 refused (a bad configuration, a user
/// not on the roster), 2 a usage error.
namespace baton::app {

inline constexpr int exit_refused = 1;
inline constexpr int exit_usage = 2;
/// `baton replay`: a decision came out otherwise.
inline constexpr int exit_differs = 3;

struct serve_command {
  std::string config_path;
};
struct check_config_command {
  std::string config_path;
};
struct token_command {
  std::string config_path;
  std::string role;
  std::string user;
  std::int64_t ttl_seconds = 3600;
  /// Print the console URL to open instead of the bare token.
  bool link = false;
  /// Where the consoles are served, for the link; empty: from the
  /// configuration's server.listen and console.prefix.
  std::string base_url;
};
/// Writes one stored conversation's transcript as JSON to stdout.
struct export_command {
  std::string config_path;
  std::string conversation;
};
/// Tells how one stored conversation was routed, step by step, to stdout
/// (docs/routing.md, "Why this agent").
struct explain_command {
  std::string config_path;
  std::string conversation;
};
/// Decides a stored conversation's routing again under the configuration
/// and prints what comes out otherwise (docs/routing.md, "Replay").
struct replay_command {
  std::string config_path;
  std::string conversation;
};
/// Prints the cluster's members, their leases and who owns the shards, as
/// the database has them (docs/cluster.md).
struct cluster_status_command {
  std::string config_path;
};
struct version_command {};
struct help_command {};

using command
  = std::variant<serve_command, check_config_command, token_command,
                 export_command, explain_command, replay_command,
                 cluster_status_command, version_command, help_command>;

struct parse_result {
  std::optional<app::command> command;
  std::string error; ///< set when `command` is not
};

parse_result parse_command_line(const std::vector<std::string>& args);

/// The text of `baton --help`.
const char* usage();

/// What a usage error prints to stderr, GNU style: the problem, then one
/// line pointing at --help (not the whole help, which buries the problem).
std::string usage_error(std::string_view problem);

/// The console a staff member signs in to: "desk" for an agent, "board"
/// for a supervisor; empty for roles that have none.
std::string_view console_page(std::string_view role);

/// The consoles' address for a server listening on `listen` (host:port)
/// under `prefix`, as a browser on the same machine reaches it: a wildcard
/// address becomes the loopback one. Nullopt when no URL can be made from
/// it (port 0, chosen at start).
std::optional<std::string> default_base_url(std::string_view listen,
                                            std::string_view prefix);

/// `BASE/PAGE#user=USER&token=TOKEN`: the token rides in the fragment,
/// which browsers never send, so it stays out of server logs and Referer.
std::string console_link(std::string_view base_url, std::string_view page,
                         std::string_view user, std::string_view token);

/// Why `baton token` must not sign for `user` as `role`; nullopt when it
/// may. A staff token is of use only to a member the roster lists with that
/// role (the gateway refuses anyone else at hello), so a typo is caught
/// here rather than at the desktop. Agents are members with role agent or
/// manager, supervisors those with role supervisor, as the gateway checks.
/// Customers, bots and services are on no roster: nullopt. `roster_name`
/// says where the agents come from ("config/baton.toml").
std::optional<std::string>
staff_refusal(engine::role role, std::string_view user,
              std::span<const engine::config::agent> agents,
              std::string_view roster_name);

} // namespace baton::app
