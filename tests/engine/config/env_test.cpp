#include "engine/config/config.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

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
  ::unsetenv("BATON_TEST_SYSTEM_ENV");
  EXPECT_EQ(system_env("BATON_TEST_SYSTEM_ENV"), std::nullopt);
}

} // namespace
} // namespace baton::engine::config
