#include "engine/config/config.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

namespace baton::engine::config {
namespace {

using testing::load;

TEST(ConfigLoadTest, DefaultsMatchTheSpec) {
  config c;
  EXPECT_EQ(c.server.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.server.threads, 0u);
  EXPECT_EQ(c.server.max_frame_bytes, 65536);
  EXPECT_EQ(c.server.max_sessions, 200000);
  EXPECT_EQ(c.server.max_requests_per_second, 50);
  EXPECT_EQ(c.server.idle_ping_ms, 30000);
  EXPECT_EQ(c.server.drain_timeout_ms, 10000);
  EXPECT_TRUE(c.auth.allow_anonymous_customers);
  EXPECT_EQ(c.auth.hello_timeout_ms, 10000);
  EXPECT_EQ(c.storage.backend, storage_backend::sqlite);
  EXPECT_EQ(c.storage.path, "data/baton.db");
  EXPECT_EQ(c.storage.durability, durability_mode::fsync);
  EXPECT_EQ(c.storage.group_commit_ms, 0);
  EXPECT_EQ(c.storage.retention_days, 90);
  EXPECT_EQ(c.routing.default_queue, "general");
  EXPECT_EQ(c.routing.offer_timeout_ms, 20000);
  EXPECT_EQ(c.routing.max_missed_offers, 3);
  EXPECT_FALSE(c.routing.assign_auto_accept);
  EXPECT_EQ(c.routing.agent_disconnect_grace_ms, 30000);
  EXPECT_TRUE(c.transfer.require_reason);
  EXPECT_TRUE(c.transfer.require_consent);
  EXPECT_EQ(c.transfer.consent_timeout_ms, 60000);
  EXPECT_EQ(c.transfer.priority_boost, 10);
  EXPECT_TRUE(c.transfer.include_history);
  EXPECT_EQ(c.transfer.history_lines, 50);
  EXPECT_EQ(c.absence.direct_response_timeout_ms, 120000);
  EXPECT_EQ(c.absence.choice_timeout_ms, 300000);
  EXPECT_EQ(c.attribution.window_ms, 86400000);
  EXPECT_FALSE(c.attribution.prefer_non_manager);
  EXPECT_EQ(c.supervision.stats_interval_ms, 1000);
}

TEST(ConfigLoadTest, OnlyASecretRunsWithTheDefaultQueue) {
  auto r = load("[auth]\nsecret = \"s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t\"\n");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(testing::messages(r.errors));
  auto& c = *r.value;
  EXPECT_EQ(c.auth.secret, "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t");
  EXPECT_EQ(c.server, config{}.server);
  ASSERT_EQ(c.queues.size(), 1u);
  auto* q = c.find_queue("general");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->name, "general");
  EXPECT_EQ(q->strategy, strategy::longest_idle);
  EXPECT_EQ(q->mode, queue_mode::push);
  EXPECT_EQ(q->offer_timeout_ms, 20000);
  EXPECT_EQ(q->wait_timeout_ms, 300000);
  EXPECT_TRUE(c.topics.empty());
  EXPECT_TRUE(c.agents.empty());
  EXPECT_TRUE(r.warnings.empty());
}

TEST(ConfigLoadTest, EmptyFileWithEnvSecretRuns) {
  auto r = load("",
                {{"BATON_AUTH_SECRET", "from-env-0123456789abcdef01234567"}});
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(testing::messages(r.errors));
  EXPECT_EQ(r.value->auth.secret, "from-env-0123456789abcdef01234567");
}

TEST(ConfigLoadTest, ExampleAndShortSecretsAreRefused) {
  auto example = load("[auth]\nsecret = \"change-me\"\n");
  EXPECT_FALSE(example.ok());
  ASSERT_EQ(example.errors.size(), 1u);
  EXPECT_EQ(example.errors[0].line, 2u);
  EXPECT_EQ(example.errors[0].key, "auth.secret");
  auto short_one
    = load("[auth]\nsecret = \"0123456789abcdef0123456789abcde\"\n");
  ASSERT_EQ(short_one.errors.size(), 1u) << "31 bytes";
  EXPECT_NE(short_one.errors[0].message.find("at least 32"), std::string::npos)
    << short_one.errors[0].message;
  EXPECT_TRUE(
    load("[auth]\nsecret = \"0123456789abcdef0123456789abcdef\"\n").ok());
}

TEST(ConfigLoadTest, ASecretFileStandsInForTheSecret) {
  auto r = load("[auth]\nsecret_file = \"data/baton.secret\"\n");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(testing::messages(r.errors));
  EXPECT_EQ(r.value->auth.secret_file, "data/baton.secret");
}

TEST(ConfigLoadTest, DefaultQueueFollowsRoutingDefaultQueue) {
  auto r = load(R"(
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[routing]
default_queue = "main"
offer_timeout_ms = 5000
)");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value->queues.size(), 1u);
  EXPECT_EQ(r.value->queues[0].id, "main");
  EXPECT_EQ(r.value->queues[0].offer_timeout_ms, 5000);
}

TEST(ConfigLoadTest, QueueOfferTimeoutDefaultsToRoutings) {
  auto r = load(R"(
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[routing]
default_queue = "a"
offer_timeout_ms = 7000
[[queues]]
id = "a"
[[queues]]
id = "b"
name = "Bee"
strategy = "ring_all"
mode = "auto"
offer_timeout_ms = 9000
wait_timeout_ms = 1000
welcome_text = "Hi"
)");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(testing::messages(r.errors));
  auto& c = *r.value;
  ASSERT_EQ(c.queues.size(), 2u);
  EXPECT_EQ(c.queues[0].offer_timeout_ms, 7000);
  EXPECT_EQ(c.queues[0].name, "a");
  auto* b = c.find_queue("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->name, "Bee");
  EXPECT_EQ(b->strategy, strategy::ring_all);
  EXPECT_EQ(b->mode, queue_mode::auto_assign);
  EXPECT_EQ(b->offer_timeout_ms, 9000);
  EXPECT_EQ(b->wait_timeout_ms, 1000);
  EXPECT_EQ(b->welcome_text, "Hi");
  EXPECT_EQ(c.find_queue("c"), nullptr);
}

TEST(ConfigLoadTest, AgentDefaultsAndLookups) {
  auto r = load(R"(
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[topics]]
id = "vip"
restricted = true
queue = "general"
[[agents]]
id = "alice"
topics = ["vip"]
[[agents]]
id = "sam"
name = "Sam"
queues = []
capacity = 5
roles = ["supervisor", "supervisor"]
permissions = ["supervise"]
[[agents]]
id = "nina"
permissions = []
)");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(testing::messages(r.errors));
  auto& c = *r.value;
  auto* alice = c.find_agent("alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->name, "alice");
  EXPECT_EQ(alice->queues, std::vector<std::string>{"general"});
  EXPECT_EQ(alice->capacity, 1);
  EXPECT_TRUE(alice->has_role(staff_role::agent));
  EXPECT_FALSE(alice->has_role(staff_role::supervisor));
  EXPECT_TRUE(alice->has_permission(permission::transfer));
  EXPECT_TRUE(alice->has_permission(permission::conference));
  EXPECT_FALSE(alice->has_permission(permission::takeover));
  EXPECT_TRUE(alice->in_queue("general"));
  EXPECT_TRUE(alice->has_topic("vip"));
  auto* sam = c.find_agent("sam");
  ASSERT_NE(sam, nullptr);
  EXPECT_TRUE(sam->queues.empty());
  EXPECT_EQ(sam->capacity, 5);
  EXPECT_EQ(sam->roles, std::vector<staff_role>{staff_role::supervisor});
  EXPECT_EQ(sam->permissions, std::vector<permission>{permission::supervise});
  // `[]` grants nothing, not even the everyday two.
  auto* nina = c.find_agent("nina");
  ASSERT_NE(nina, nullptr);
  EXPECT_TRUE(nina->permissions.empty());
  EXPECT_FALSE(nina->has_permission(permission::transfer));
  auto* vip = c.find_topic("vip");
  ASSERT_NE(vip, nullptr);
  EXPECT_EQ(vip->name, "vip");
  EXPECT_TRUE(vip->restricted);
  EXPECT_EQ(vip->queue, "general");
  EXPECT_EQ(c.find_agent("nobody"), nullptr);
}

TEST(ConfigLoadTest, SupervisorWithoutQueuesJoinsNone) {
  auto r = load(R"(
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[agents]]
id = "erin"
roles = ["supervisor"]
)");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value->agents[0].queues.empty());
}

TEST(ConfigLoadTest, SectionsAreRead) {
  auto r = load(R"(
[server]
listen = "[::1]:9000"
threads = 4
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
allow_anonymous_customers = false
[storage]
backend = "postgres"
url = "postgresql://db/baton"
durability = "os"
[transfer]
require_consent = false
history_lines = 0
[attribution]
prefer_non_manager = true
)");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(testing::messages(r.errors));
  auto& c = *r.value;
  EXPECT_EQ(c.server.listen, "[::1]:9000");
  EXPECT_EQ(c.server.threads, 4u);
  EXPECT_FALSE(c.auth.allow_anonymous_customers);
  EXPECT_EQ(c.storage.backend, storage_backend::postgres);
  EXPECT_EQ(c.storage.url, "postgresql://db/baton");
  EXPECT_EQ(c.storage.durability, durability_mode::os);
  EXPECT_FALSE(c.transfer.require_consent);
  EXPECT_EQ(c.transfer.history_lines, 0);
  EXPECT_TRUE(c.attribution.prefer_non_manager);
}

TEST(ConfigLoadTest, ParseEndpoint) {
  auto e = parse_endpoint("0.0.0.0:9000");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "0.0.0.0");
  EXPECT_EQ(e->port, 9000);
  EXPECT_EQ(parse_endpoint("[::1]:80")->host, "::1");
  EXPECT_FALSE(parse_endpoint("localhost"));
  EXPECT_FALSE(parse_endpoint(":80"));
  EXPECT_FALSE(parse_endpoint("::1:80"));
  EXPECT_EQ(parse_endpoint("host:0")->port, 0) << "0: any free port";
  EXPECT_FALSE(parse_endpoint("host:65536"));
  EXPECT_FALSE(parse_endpoint("host:8o"));
}

TEST(ConfigLoadTest, AgentsFileIsMergedRelativeToTheMainFile) {
  testing::temp_dir dir;
  dir.write("agents.toml", R"(
[[agents]]
id = "bob"
queues = ["general"]
capacity = 2
)");
  auto main = dir.write("baton.toml", R"(
agents_file = "agents.toml"
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[agents]]
id = "alice"
)");
  auto r = load_file(main, testing::env_of());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(testing::messages(r.errors));
  auto& c = *r.value;
  EXPECT_EQ(c.agents_file, "agents.toml");
  ASSERT_EQ(c.agents.size(), 2u);
  EXPECT_NE(c.find_agent("alice"), nullptr);
  ASSERT_NE(c.find_agent("bob"), nullptr);
  EXPECT_EQ(c.find_agent("bob")->capacity, 2);
}

TEST(ConfigLoadTest, MissingFileIsAnError) {
  auto r = load_file("/nonexistent/baton.toml", testing::env_of());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(),
            "/nonexistent/baton.toml: cannot read file: "
            "No such file or directory");
  EXPECT_FALSE(r.value);
}

} // namespace
} // namespace baton::engine::config
