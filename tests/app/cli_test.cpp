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
  EXPECT_EQ(parse_command_line({"--config="}).error, "--config needs a value");
  EXPECT_EQ(parse_command_line({"--frobnicate"}).error,
            "unknown option '--frobnicate'");
  EXPECT_EQ(parse_command_line({"serve"}).error, "unexpected argument 'serve'");
  EXPECT_EQ(parse_command_line({"--config", "a", "--check-config", "b"}).error,
            "--config and --check-config exclude each other");
  EXPECT_EQ(parse_command_line({"token", "--role", "agent"}).error,
            "token: missing --config FILE and --user USER");
  EXPECT_EQ(parse_command_line({"token"}).error,
            "token: missing --config FILE, --role ROLE and --user USER");
  EXPECT_EQ(parse_command_line({"token", "--config", "b", "--role", "agent",
                                "--user", "u", "--ttl", "-5"})
              .error,
            "--ttl must be a positive number of seconds");
  EXPECT_EQ(parse_command_line({"token", "--verbose"}).error,
            "unknown option '--verbose' for token");
}

TEST(CommandLineTest, HelpIsAskedForAnywhere) {
  as<help_command>(parse_command_line({"-h"}));
  as<help_command>(parse_command_line({"--config", "b.toml", "--help"}));
  as<help_command>(parse_command_line({"token", "--help"}));
  as<help_command>(parse_command_line({"export", "-h"}));
}

TEST(CommandLineTest, AUsageErrorIsTheProblemAndOneHint) {
  EXPECT_EQ(usage_error("missing --config FILE"),
            "baton: missing --config FILE\n"
            "Try 'baton --help' for the usage.\n");
}

TEST(CommandLineTest, TheHelpNamesEveryCommandAndTheExitCodes) {
  std::string help = usage();
  for (const char* word :
       {"--config FILE", "--check-config FILE", "token", "export", "explain",
        "replay", "cluster status", "--version", "--help", "--link",
        "--base-url", "BATON_", "Exit status"})
    EXPECT_NE(help.find(word), std::string::npos) << word;
}

TEST(CommandLineTest, ExportNamesConfigAndConversation) {
  const auto& e = as<export_command>(
    parse_command_line({"export", "--config", "b.toml", "--conversation=c-1"}));
  EXPECT_EQ(e.config_path, "b.toml");
  EXPECT_EQ(e.conversation, "c-1");
  auto missing = parse_command_line({"export", "--config", "b.toml"});
  EXPECT_FALSE(missing.command);
  EXPECT_EQ(missing.error, "export: missing --conversation ID");
  EXPECT_FALSE(parse_command_line({"export", "--verbose"}).command);
}

TEST(CommandLineTest, ExplainNamesConfigAndConversation) {
  const auto& e = as<explain_command>(parse_command_line(
    {"explain", "--config=b.toml", "--conversation", "c-1"}));
  EXPECT_EQ(e.config_path, "b.toml");
  EXPECT_EQ(e.conversation, "c-1");
  auto missing = parse_command_line({"explain", "--conversation", "c-1"});
  EXPECT_EQ(missing.error, "explain: missing --config FILE");
  EXPECT_EQ(parse_command_line({"explain", "--json"}).error,
            "unknown option '--json' for explain");
  const auto& r = as<replay_command>(parse_command_line(
    {"replay", "--config", "b.toml", "--conversation", "c-2"}));
  EXPECT_EQ(r.conversation, "c-2");
  EXPECT_EQ(parse_command_line({"replay", "--config", "b.toml"}).error,
            "replay: missing --conversation ID");
}

TEST(CommandLineTest, ClusterStatusNamesTheConfig) {
  const auto& c = as<cluster_status_command>(
    parse_command_line({"cluster", "status", "--config", "b.toml"}));
  EXPECT_EQ(c.config_path, "b.toml");
  EXPECT_EQ(parse_command_line({"cluster", "status"}).error,
            "cluster status: missing --config FILE");
  EXPECT_EQ(parse_command_line({"cluster"}).error, "cluster: missing status");
  EXPECT_EQ(parse_command_line({"cluster", "drain"}).error,
            "cluster: unknown command drain (expected status)");
}

// -- baton token and the roster ----------------------------------------------

std::vector<engine::config::agent> demo_roster() {
  using engine::config::staff_role;
  std::vector<engine::config::agent> roster(4);
  roster[0].id = "alice";
  roster[1].id = "dave";
  roster[1].roles = {staff_role::agent, staff_role::manager};
  roster[2].id = "mia";
  roster[2].roles = {staff_role::manager};
  roster[3].id = "erin";
  roster[3].roles = {staff_role::supervisor};
  return roster;
}

TEST(CommandLineTest, TokenIsForStaffOnTheRosterWithTheirRole) {
  auto roster = demo_roster();
  for (const char* agent : {"alice", "dave", "mia"})
    EXPECT_EQ(staff_refusal(engine::role::agent, agent, roster, "b.toml"),
              std::nullopt)
      << agent << ": a manager says hello as an agent";
  EXPECT_EQ(staff_refusal(engine::role::supervisor, "erin", roster, "b.toml"),
            std::nullopt);
}

TEST(CommandLineTest, TokenForAnUnknownUserIsRefusedNamingTheRoster) {
  auto roster = demo_roster();
  EXPECT_EQ(staff_refusal(engine::role::agent, "nobody", roster, "b.toml"),
            "\"nobody\" is not an agent in b.toml (agents: alice, dave, mia)");
  EXPECT_EQ(staff_refusal(engine::role::supervisor, "zed", roster, "b.toml"),
            "\"zed\" is not a supervisor in b.toml (supervisors: erin)");
}

TEST(CommandLineTest, TokenForAnotherRoleSaysWhichTheMemberHas) {
  auto roster = demo_roster();
  EXPECT_EQ(staff_refusal(engine::role::agent, "erin", roster, "b.toml"),
            "\"erin\" is not an agent in b.toml (erin has role supervisor; "
            "agents: alice, dave, mia)");
  EXPECT_EQ(staff_refusal(engine::role::supervisor, "dave", roster, "b.toml"),
            "\"dave\" is not a supervisor in b.toml (dave has role agent, "
            "manager; supervisors: erin)");
}

TEST(CommandLineTest, TokenRefusalCutsALongRosterShort) {
  std::vector<engine::config::agent> roster(20);
  for (std::size_t i = 0; i < roster.size(); ++i)
    roster[i].id = "a" + std::to_string(i);
  EXPECT_EQ(staff_refusal(engine::role::agent, "x", roster, "b.toml"),
            "\"x\" is not an agent in b.toml (agents: a0, a1, a2, a3, a4, "
            "a5, a6, a7, ... (20 in all))");
  EXPECT_EQ(staff_refusal(engine::role::supervisor, "x", roster, "b.toml"),
            "\"x\" is not a supervisor in b.toml (it lists no supervisor)");
}

TEST(CommandLineTest, TokenForCustomersBotsAndServicesNeedsNoRoster) {
  for (auto role :
       {engine::role::customer, engine::role::bot, engine::role::service})
    EXPECT_EQ(staff_refusal(role, "anyone", {}, "b.toml"), std::nullopt);
}

TEST(CommandLineTest, TokenLinkTakesABaseUrl) {
  const auto& plain = as<token_command>(parse_command_line(
    {"token", "--config", "b.toml", "--role", "agent", "--user", "alice"}));
  EXPECT_FALSE(plain.link);
  // Held: `as` returns a reference into the result.
  auto parsed = parse_command_line(
    {"token", "--config", "b.toml", "--role", "agent", "--user", "alice",
     "--link", "--base-url=https://baton.example.com/chat"});
  const auto& t = as<token_command>(parsed);
  EXPECT_TRUE(t.link);
  EXPECT_EQ(t.base_url, "https://baton.example.com/chat");
  EXPECT_TRUE(as<token_command>(
                parse_command_line({"token", "--link", "--config", "b",
                                    "--role", "supervisor", "--user", "erin"}))
                .link);
}

TEST(CommandLineTest, TokenLinkMistakesAreExplained) {
  EXPECT_EQ(parse_command_line({"token", "--config", "b", "--role", "agent",
                                "--user", "u", "--base-url", "http://h"})
              .error,
            "--base-url is for --link");
  EXPECT_EQ(parse_command_line({"token", "--config", "b", "--role", "customer",
                                "--user", "u", "--link"})
              .error,
            "--link is for --role agent (the desk) or supervisor (the board)");
  EXPECT_EQ(parse_command_line({"token", "--config", "b", "--role", "agent",
                                "--user", "u", "--link", "--base-url",
                                "baton.example.com"})
              .error,
            "--base-url must be a URL such as https://baton.example.com");
  EXPECT_EQ(parse_command_line({"token", "--config", "b", "--role", "agent",
                                "--user", "u", "--link", "--base-url"})
              .error,
            "--base-url needs a value");
}

TEST(CommandLineTest, AgentsGetTheDeskAndSupervisorsTheBoard) {
  EXPECT_EQ(console_page("agent"), "desk");
  EXPECT_EQ(console_page("supervisor"), "board");
  EXPECT_EQ(console_page("customer"), "");
  EXPECT_EQ(console_page("bot"), "");
}

TEST(CommandLineTest, TheBaseUrlIsWhereTheServerListens) {
  EXPECT_EQ(default_base_url("127.0.0.1:8080", ""), "http://127.0.0.1:8080");
  EXPECT_EQ(default_base_url("0.0.0.0:9000", "/chat"),
            "http://127.0.0.1:9000/chat");
  EXPECT_EQ(default_base_url("[::]:80", ""), "http://[::1]:80");
  EXPECT_EQ(default_base_url("[::1]:8080", ""), "http://[::1]:8080");
  EXPECT_EQ(default_base_url("localhost:8080", ""), "http://localhost:8080");
  EXPECT_EQ(default_base_url("127.0.0.1:0", ""), std::nullopt)
    << "a port chosen at start is no address to link to";
}

TEST(CommandLineTest, TheLinkCarriesTheTokenInTheFragment) {
  EXPECT_EQ(console_link("http://127.0.0.1:8080", "desk", "alice", "17.ab"),
            "http://127.0.0.1:8080/desk#user=alice&token=17.ab");
  EXPECT_EQ(console_link("https://b.example.com/chat/", "board", "erin", "1.f"),
            "https://b.example.com/chat/board#user=erin&token=1.f");
}

} // namespace
} // namespace baton::app
