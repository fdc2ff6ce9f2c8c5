#include "engine/config/config.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace baton::engine::config {
namespace {

using testing::lines;
using testing::load;
using testing::messages;

TEST(ConfigEnvTest, OverridesStringIntegerAndBooleanKeys) {
  auto r = load(R"(
[server]
listen = "127.0.0.1:8080"
threads = 2
[auth]
secret = "from-file-0123456789abcdef0123456"
)",
                {{"BATON_SERVER_LISTEN", "0.0.0.0:9000"},
                 {"BATON_SERVER_THREADS", "8"},
                 {"BATON_AUTH_SECRET", "from-env-0123456789abcdef01234567"},
                 {"BATON_AUTH_ALLOW_ANONYMOUS_CUSTOMERS", "false"},
                 {"BATON_ROUTING_OFFER_TIMEOUT_MS", "5000"},
                 {"BATON_STORAGE_BACKEND", "memory"},
                 {"BATON_SUPERVISION_STATS_INTERVAL_MS", "250"}});
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  auto& c = *r.value;
  EXPECT_EQ(c.server.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.server.threads, 8u);
  EXPECT_EQ(c.auth.secret, "from-env-0123456789abcdef01234567");
  EXPECT_FALSE(c.auth.allow_anonymous_customers);
  EXPECT_EQ(c.routing.offer_timeout_ms, 5000);
  EXPECT_EQ(c.storage.backend, storage_backend::memory);
  EXPECT_EQ(c.supervision.stats_interval_ms, 250);
}

TEST(ConfigEnvTest, RoutingOverrideReachesInheritingQueues) {
  auto r = load(R"(
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[queues]]
id = "general"
[[queues]]
id = "fixed"
offer_timeout_ms = 1000
)",
                {{"BATON_ROUTING_OFFER_TIMEOUT_MS", "4000"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->find_queue("general")->offer_timeout_ms, 4000);
  EXPECT_EQ(r.value->find_queue("fixed")->offer_timeout_ms, 1000);
}

TEST(ConfigEnvTest, DefaultQueueFromEnvIsCheckedAgainstQueues) {
  auto r
    = load("[auth]\nsecret = "
           "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n[[queues]]\nid = \"sales\"\n",
           {{"BATON_ROUTING_DEFAULT_QUEUE", "support"}});
  EXPECT_EQ(messages(r.errors),
            (lines{"environment: BATON_ROUTING_DEFAULT_QUEUE: unknown queue "
                   "\"support\" (no [[queues]] has this id)"}));
}

TEST(ConfigEnvTest, BadValuesNameTheVariable) {
  auto r = load("[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n",
                {{"BATON_SERVER_THREADS", "four"},
                 {"BATON_SERVER_MAX_SESSIONS", "12abc"},
                 {"BATON_AUTH_ALLOW_ANONYMOUS_CUSTOMERS", "yes"},
                 {"BATON_ROUTING_OFFER_TIMEOUT_MS", "-1"},
                 {"BATON_STORAGE_DURABILITY", "paper"},
                 {"BATON_SERVER_LISTEN", "nowhere"}});
  EXPECT_FALSE(r.value);
  EXPECT_EQ(
    messages(r.errors),
    (lines{
      "environment: BATON_SERVER_LISTEN: expected host:port with a port "
      "from 0 to 65535, got \"nowhere\"",
      "environment: BATON_SERVER_THREADS: expected an integer for "
      "server.threads, got \"four\"",
      "environment: BATON_SERVER_MAX_SESSIONS: expected an integer for "
      "server.max_sessions, got \"12abc\"",
      "environment: BATON_AUTH_ALLOW_ANONYMOUS_CUSTOMERS: expected a boolean "
      "for auth.allow_anonymous_customers, got \"yes\"",
      "environment: BATON_STORAGE_DURABILITY: unknown durability \"paper\" "
      "(expected one of fsync, os)",
      "environment: BATON_ROUTING_OFFER_TIMEOUT_MS: must not be negative, "
      "got -1"}));
}

TEST(ConfigEnvTest, EmptyEnvSecretIsRefused) {
  auto r = load("[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n",
                {{"BATON_AUTH_SECRET", ""}});
  EXPECT_EQ(messages(r.errors),
            (lines{"environment: BATON_AUTH_SECRET: must not be empty"}));
}

TEST(ConfigEnvTest, PostgresUrlFromEnv) {
  auto r = load(
    "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n[storage]\nbackend "
    "= \"postgres\"\n",
    {{"BATON_STORAGE_URL", "postgresql://db/baton"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->storage.url, "postgresql://db/baton");
}

TEST(ConfigEnvTest, SystemEnvReadsTheProcessEnvironment) {
  ::setenv("BATON_TEST_SYSTEM_ENV", "42", 1);
  EXPECT_EQ(system_env("BATON_TEST_SYSTEM_ENV"), "42");
  auto names = system_environment().names();
  EXPECT_NE(std::ranges::find(names, "BATON_TEST_SYSTEM_ENV"), names.end());
  for (const auto& name : names)
    EXPECT_TRUE(name.starts_with("BATON_")) << name;
  ::unsetenv("BATON_TEST_SYSTEM_ENV");
  EXPECT_EQ(system_env("BATON_TEST_SYSTEM_ENV"), std::nullopt);
}

constexpr std::string_view secret_line
  = "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n";

TEST(ConfigEnvTest, AMisspeltVariableIsAnErrorNamingTheClosest) {
  auto r = load(secret_line, {{"BATON_AUTH_SECRETT", "x"},
                              {"BATON_SERVER_LISTN", "0.0.0.0:9000"},
                              {"BATON_ROUTING_OFER_TIMEOUT_MS", "5"},
                              {"BATON_STORAGE_PAHT", "x.db"}});
  EXPECT_FALSE(r.value);
  EXPECT_EQ(messages(r.errors),
            (lines{"environment: BATON_AUTH_SECRETT: unknown setting; did "
                   "you mean BATON_AUTH_SECRET?",
                   "environment: BATON_ROUTING_OFER_TIMEOUT_MS: unknown "
                   "setting; did you mean BATON_ROUTING_OFFER_TIMEOUT_MS?",
                   "environment: BATON_SERVER_LISTN: unknown setting; did "
                   "you mean BATON_SERVER_LISTEN?",
                   "environment: BATON_STORAGE_PAHT: unknown setting; did "
                   "you mean BATON_STORAGE_PATH?"}));
}

TEST(ConfigEnvTest, AKeyUnderTheWrongSectionNamesItsSection) {
  auto r = load(secret_line,
                {{"BATON_SERVER_SECRET", "x"}, {"BATON_THREADS", "2"}});
  EXPECT_EQ(messages(r.errors),
            (lines{"environment: BATON_SERVER_SECRET: unknown setting; did "
                   "you mean BATON_AUTH_SECRET?",
                   "environment: BATON_THREADS: unknown setting; did you "
                   "mean BATON_SERVER_THREADS?"}));
}

TEST(ConfigEnvTest, ANameCloseToNothingSaysHowNamesAreMade) {
  auto r = load(secret_line, {{"BATON_FROBNICATE", "1"}});
  EXPECT_EQ(messages(r.errors),
            (lines{"environment: BATON_FROBNICATE: unknown setting: no "
                   "section has such a key (BATON_<SECTION>_<KEY>, see "
                   "docs/configuration.md)"}));
}

TEST(ConfigEnvTest, TheToolsOwnVariablesAndOtherNamesAreLeftAlone) {
  std::map<std::string, std::string> env{{"PATH", "/usr/bin"}, {"BATONX", "1"}};
  for (auto name : ignored_env_names())
    env.emplace(std::string{name}, "1");
  EXPECT_TRUE(env.contains("BATON_CONFIG")) << "scripts/run.sh reads it";
  auto r = load(secret_line, env);
  EXPECT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
}

TEST(ConfigEnvTest, ABareLookupChecksNoNames) {
  auto r = load_string(secret_line, "baton.toml",
                       [](std::string_view name) -> std::optional<std::string> {
                         if (name == "BATON_SERVER_THREADS")
                           return "3";
                         return std::nullopt;
                       });
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_EQ(r.value->server.threads, 3u);
}

TEST(ConfigEnvTest, EveryOverrideAppliedIsAKnownName) {
  // The overrides of every section, [limits] and [log] included, pass the
  // name check: the check and apply_env read the same field tables.
  auto r = load(secret_line, {{"BATON_LIMITS_SESSIONS_PER_USER", "3"},
                              {"BATON_LOG_LEVEL", "debug"},
                              {"BATON_LOG_FORMAT", "json"},
                              {"BATON_ABSENCE_DIRECT_RESPONSE_TIMEOUT_MS", "9"},
                              {"BATON_ATTRIBUTION_WINDOW_MS", "0"}});
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_EQ(r.value->limits.sessions_per_user, 3);
  EXPECT_EQ(r.value->log.level, log_level::debug);
  EXPECT_EQ(r.value->log.format, log_format::json);
}

} // namespace
} // namespace baton::engine::config
