#include "app/cli.hpp"

#include <gtest/gtest.h>

namespace baton::app {
namespace {

template <class T>
const T& as(const parse_result& r) {
  EXPECT_TRUE(r.command) << r.error;
  return std::get<T>(*r.command);
}

TEST(CommandLineTest, ConfigRunsTheServer) {
  EXPECT_EQ(
    as<serve_command>(parse_command_line({"--config", "b.toml"})).config_path,
    "b.toml");
  EXPECT_EQ(
    as<serve_command>(parse_command_line({"--config=b.toml"})).config_path,
    "b.toml");
}

TEST(CommandLineTest, CheckConfigVersionHelp) {
  EXPECT_EQ(
    as<check_config_command>(parse_command_line({"--check-config", "x.toml"}))
      .config_path,
    "x.toml");
  as<version_command>(parse_command_line({"--version"}));
  as<help_command>(parse_command_line({"--help"}));
}

TEST(CommandLineTest, TokenTakesRoleUserAndTtl) {
  const auto& t = as<token_command>(
    parse_command_line({"token", "--config", "b.toml", "--role", "agent",
                        "--user", "alice", "--ttl", "60"}));
  EXPECT_EQ(t.config_path, "b.toml");
  EXPECT_EQ(t.role, "agent");
  EXPECT_EQ(t.user, "alice");
  EXPECT_EQ(t.ttl_seconds, 60);
}

TEST(CommandLineTest, MistakesAreExplained) {
  EXPECT_EQ(parse_command_line({}).error, "missing --config FILE");
  EXPECT_EQ(parse_command_line({"--config"}).error, "--config needs a value");
  EXPECT_EQ(parse_command_line({"--frobnicate"}).error,
            "unknown argument: --frobnicate");
  EXPECT_FALSE(parse_command_line({"token", "--role", "agent"}).command);
  EXPECT_EQ(parse_command_line({"token", "--config", "b", "--role", "agent",
                                "--user", "u", "--ttl", "-5"})
              .error,
            "--ttl must be a positive number of seconds");
}

TEST(CommandLineTest, ExportNamesConfigAndConversation) {
  const auto& e = as<export_command>(
    parse_command_line({"export", "--config", "b.toml", "--conversation=c-1"}));
  EXPECT_EQ(e.config_path, "b.toml");
  EXPECT_EQ(e.conversation, "c-1");
  auto missing = parse_command_line({"export", "--config", "b.toml"});
  EXPECT_FALSE(missing.command);
  EXPECT_EQ(missing.error, "export needs --config FILE --conversation ID");
  EXPECT_FALSE(parse_command_line({"export", "--verbose"}).command);
}

} // namespace
} // namespace baton::app
