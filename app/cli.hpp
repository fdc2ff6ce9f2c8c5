#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

/// The command line of `baton`, parsed without side effects so it is tested
/// on its own.
namespace baton::app {

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
};
/// Writes one stored conversation's transcript as JSON to stdout.
struct export_command {
  std::string config_path;
  std::string conversation;
};
struct version_command {};
struct help_command {};

using command = std::variant<serve_command, check_config_command, token_command,
                             export_command, version_command, help_command>;

struct parse_result {
  std::optional<app::command> command;
  std::string error; ///< set when `command` is not
};

parse_result parse_command_line(const std::vector<std::string>& args);

/// The text of `baton --help`.
const char* usage();

} // namespace baton::app
