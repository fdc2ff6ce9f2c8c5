#include "engine/config/config.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

// Every class of configuration error, with the exact `file:line: key:`
// prefix an operator will see.
namespace baton::engine::config {
namespace {

using testing::lines;
using testing::load;
using testing::messages;

TEST(ConfigErrorTest, UnknownTopLevelKeyNamesLineAndKey) {
  auto r = load(
    "[auth]\nsecret = "
    "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n[sever]\nlisten = \"a:1\"\n");
  EXPECT_FALSE(r.value);
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:3: sever: unknown key \"sever\" "
                   "(expected one of server, auth, storage, routing, "
                   "transfer, absence, attribution, supervision, limits, "
                   "log, console, cluster, topics, queues, agents, texts, "
                   "agents_file)"}));
}

TEST(ConfigErrorTest, UnknownKeyInSectionNamesLineAndKey) {
  auto r = load(
    "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\nsecrets = \"y\"\n");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:3: auth.secrets: unknown key "
                   "\"secrets\" (expected one of secret, secret_file, "
                   "allow_anonymous_customers, hello_timeout_ms)"}));
}

TEST(ConfigErrorTest, UnknownKeyInQueueNamesLineAndKey) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[queues]]
id = "general"
[[queues]]
id = "b"
stratgy = "ring_all"
)");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:7: queues[1].stratgy: unknown key "
                   "\"stratgy\" (expected one of id, name, strategy, "
                   "mode, offer_timeout_ms, wait_timeout_ms, "
                   "max_estimated_wait_s, welcome_text)"}));
}

TEST(ConfigErrorTest, WrongTypeNamesLineAndKey) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[server]
threads = "four"
idle_ping_ms = 1.5
[routing]
assign_auto_accept = "yes"
[[agents]]
id = "a"
queues = ["general", 7]
)");
  EXPECT_EQ(
    messages(r.errors),
    (lines{
      "baton.toml:4: server.threads: expected an integer, got a string",
      "baton.toml:5: server.idle_ping_ms: expected an integer, got a float",
      "baton.toml:7: routing.assign_auto_accept: expected a boolean, got a "
      "string",
      "baton.toml:10: agents[0].queues[1]: expected a string, got an "
      "integer"}));
}

TEST(ConfigErrorTest, WrongTypeForASectionOrArray) {
  auto r = load(R"(server = 5
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[queues]
id = "general"
)");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:1: server: expected a table, got an "
                   "integer",
                   "baton.toml:4: queues: expected an array of tables "
                   "([[queues]]), got a table"}));
}

TEST(ConfigErrorTest, BadEnumValueListsTheValidOnes) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[queues]]
id = "general"
[[queues]]
id = "b"
strategy = "fastest"
mode = "shove"
)");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:7: queues[1].strategy: unknown strategy "
                   "\"fastest\" (expected one of longest_idle, least_busy, "
                   "round_robin, ring_all, random, skills)",
                   "baton.toml:8: queues[1].mode: unknown mode \"shove\" "
                   "(expected one of push, pull, auto)"}));
}

TEST(ConfigErrorTest, BadRoleAndPermission) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[agents]]
id = "a"
roles = ["boss"]
permissions = ["fly"]
[[agents]]
id = "b"
roles = []
)");
  EXPECT_EQ(
    messages(r.errors),
    (lines{"baton.toml:5: agents[0].roles: unknown role \"boss\" "
           "(expected one of agent, manager, supervisor)",
           "baton.toml:6: agents[0].permissions: unknown permission "
           "\"fly\" (expected one of transfer, conference, takeover, "
           "supervise, assign_over_capacity)",
           "baton.toml:9: agents[1].roles: must name at least one role"}));
}

TEST(ConfigErrorTest, NegativeDurationAndOutOfRangeNumbers) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[routing]
offer_timeout_ms = -5
[server]
max_frame_bytes = 10
[[agents]]
id = "a"
capacity = 0
)");
  EXPECT_EQ(
    messages(r.errors),
    (lines{
      "baton.toml:4: routing.offer_timeout_ms: must not be negative, got -5",
      "baton.toml:6: server.max_frame_bytes: must be at least 1024, got 10",
      "baton.toml:9: agents[0].capacity: must be at least 1, got 0"}));
}

TEST(ConfigErrorTest, BadListenAndInvalidIds) {
  auto r = load(R"([server]
listen = "8080"
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[queues]]
id = "has space"
[[agents]]
id = "a"
queues = ["x/y"]
)");
  EXPECT_EQ(
    messages(r.errors),
    (lines{"baton.toml:2: server.listen: expected host:port with a port "
           "from 0 to 65535, got \"8080\"",
           "baton.toml:6: queues[0].id: invalid id \"has space\" (1 to 64 "
           "characters from A-Z a-z 0-9 _ . : @ -)",
           "baton.toml:9: agents[0].queues: invalid id \"x/y\" (1 to 64 "
           "characters from A-Z a-z 0-9 _ . : @ -)"}));
}

TEST(ConfigErrorTest, ATrustedProxyIsAnAddress) {
  auto r = load(R"([server]
trusted_proxies = ["10.0.0.5", "::1", "10.0.0.0/8"]
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
)");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:2: server.trusted_proxies: expected an IPv4 "
                   "or IPv6 address, got \"10.0.0.0/8\""}));
}

TEST(ConfigErrorTest, MissingIdNamesTheTable) {
  auto r = load(
    "[auth]\nsecret = "
    "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n[[topics]]\nname = \"T\"\n");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:3: topics[0].id: missing required key"}));
}

TEST(ConfigErrorTest, DanglingReferencesNameTheReference) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[routing]
default_queue = "main"
[[queues]]
id = "sales"
[[topics]]
id = "vip"
queue = "gold"
[[agents]]
id = "alice"
queues = ["sales", "support"]
topics = ["vip", "refund"]
)");
  EXPECT_EQ(
    messages(r.errors),
    (lines{"baton.toml:4: routing.default_queue: unknown queue \"main\" "
           "(no [[queues]] has this id)",
           "baton.toml:9: topics[0].queue: unknown queue \"gold\"",
           "baton.toml:12: agents[0].queues[1]: unknown queue "
           "\"support\"",
           "baton.toml:13: agents[0].topics[1]: unknown topic "
           "\"refund\""}));
}

TEST(ConfigErrorTest, DefaultQueueMissingWhenLeftAtItsDefault) {
  auto r = load(
    "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n[[queues]]\nid = "
    "\"sales\"\n");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml: routing.default_queue: unknown queue "
                   "\"general\" (no [[queues]] has this id)"}));
}

TEST(ConfigErrorTest, AgentWithoutQueuesNeedsTheDefaultQueue) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[routing]
default_queue = "sales"
[[queues]]
id = "sales"
[[agents]]
id = "a"
)");
  EXPECT_TRUE(r.ok());
}

TEST(ConfigErrorTest, DuplicateIdsNameBothPlaces) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[queues]]
id = "general"
[[queues]]
id = "general"
[[topics]]
id = "t"
[[topics]]
id = "t"
[[agents]]
id = "a"
[[agents]]
id = "a"
)");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:6: queues[1].id: duplicate queue id \"general\" "
                   "(first defined at baton.toml:4)",
                   "baton.toml:10: topics[1].id: duplicate topic id \"t\" "
                   "(first defined at baton.toml:8)",
                   "baton.toml:14: agents[1].id: duplicate agent id \"a\" "
                   "(first defined at baton.toml:12)"}));
}

TEST(ConfigErrorTest, SyntaxErrorNamesTheLine) {
  auto r = load(
    "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n\n[server\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, "baton.toml");
  EXPECT_EQ(r.errors[0].line, 4u);
  EXPECT_TRUE(r.errors[0].to_string().starts_with("baton.toml:4: "));
}

TEST(ConfigErrorTest, MissingSecret) {
  auto r = load("[server]\nthreads = 2\n");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml: auth.secret: missing: set [auth] "
                   "secret, [auth] secret_file or BATON_AUTH_SECRET"}));
}

TEST(ConfigErrorTest, PostgresNeedsAUrl) {
  auto r = load(
    "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n[storage]\nbackend "
    "= \"postgres\"\n");
  EXPECT_EQ(messages(r.errors), (lines{"baton.toml:4: storage.backend: backend "
                                       "\"postgres\" needs storage.url"}));
}

TEST(ConfigErrorTest, AClusterNeedsPostgresAndALeaseLongerThanTwoRenewals) {
  auto r = load(
    "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n[cluster]\nnode_id "
    "= \"n1\"\nlease_renew_ms = 1000\nlease_expiry_ms = 1500\n");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:4: cluster.node_id: [cluster] needs "
                   "storage.backend = \"postgres\": the nodes share their "
                   "leases and the log there",
                   "baton.toml:6: cluster.lease_expiry_ms: must be at least "
                   "twice cluster.lease_renew_ms (1000): a node stops serving "
                   "one renewal before its lease runs out"}));
}

TEST(ConfigErrorTest, SpreadShardsNeedAnAddressAndNoMoreNodesThanShards) {
  auto r = load("[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
                "[storage]\nbackend = \"postgres\"\nurl = \"postgresql:///b\"\n"
                "[cluster]\nnode_id = \"n1\"\nshards = 2\nspread = true\n"
                "expected_nodes = 3\n");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:9: cluster.spread: needs cluster.listen: the "
                   "nodes holding the shards reach each other there",
                   "baton.toml:10: cluster.expected_nodes: more nodes than "
                   "cluster.shards (2): some would hold none"}));
}

TEST(ConfigErrorTest, AClusterSectionNamesItsNode) {
  auto r = load("[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
                "[storage]\nbackend = \"postgres\"\nurl = \"postgresql:///b\"\n"
                "[cluster]\nshards = 64\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].to_string().find(
              "cluster.node_id: missing: set cluster.node_id or "
              "BATON_CLUSTER_NODE_ID"),
            std::string::npos)
    << r.errors[0].to_string();
}

TEST(ConfigErrorTest, AClusterAddressIsOneTheOtherNodesCanReach) {
  auto r = load("[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
                "[storage]\nbackend = \"postgres\"\nurl = \"postgresql:///b\"\n"
                "[cluster]\nnode_id = \"n1\"\nlisten = \"0.0.0.0:7070\"\n");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:8: cluster.listen: must name an address the "
                   "other nodes reach this node at, not the wildcard "
                   "\"0.0.0.0\""}));
  auto ok = load(
    "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
    "[storage]\nbackend = \"postgres\"\nurl = \"postgresql:///b\"\n"
    "[cluster]\nnode_id = \"n1\"\nlisten = \"10.0.0.11:0\"\n");
  EXPECT_TRUE(ok.errors.empty()) << messages(ok.errors).front();
  EXPECT_EQ(ok.value->cluster.listen, "10.0.0.11:0");
}

TEST(ConfigErrorTest, UnknownTextKeyAndPlaceholder) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[texts]
no_agent = "Nobody"
participant_joined = "{nmae} joined"
no_agents = ""
)");
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_TRUE(r.errors[0].to_string().starts_with(
    "baton.toml:4: texts.no_agent: unknown key \"no_agent\" (expected one of "
    "participant_joined, "));
  EXPECT_EQ(r.errors[1].to_string(),
            "baton.toml:5: texts.participant_joined: unknown placeholder "
            "{nmae} (expected {name})");
  EXPECT_EQ(r.errors[2].to_string(),
            "baton.toml:6: texts.no_agents: must not be empty");
}

TEST(ConfigErrorTest, AllErrorsAreCollectedInLineOrder) {
  auto r = load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[agents]]
id = "a"
capacity = -1
[server]
threads = -2
bogus = 1
)");
  EXPECT_FALSE(r.value);
  EXPECT_EQ(
    messages(r.errors),
    (lines{"baton.toml:5: agents[0].capacity: must not be negative, got -1",
           "baton.toml:7: server.threads: must not be negative, got -2",
           "baton.toml:8: server.bogus: unknown key \"bogus\" (expected one of "
           "listen, threads, max_frame_bytes, max_sessions, "
           "max_requests_per_second, idle_ping_ms, drain_timeout_ms, "
           "max_write_queue_bytes, trusted_proxies)"}));
}

TEST(ConfigErrorTest, AgentsFileErrorsNameThatFile) {
  testing::temp_dir dir;
  auto roster = dir.write("agents.toml", R"([[agents]]
id = "alice"
[[agents]]
id = "bob"
capacity = 0
[server]
threads = 1
)");
  auto main = dir.write("baton.toml", R"(agents_file = "agents.toml"
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[[agents]]
id = "alice"
)");
  auto r = load_file(main, testing::env_of());
  EXPECT_EQ(messages(r.errors),
            (lines{roster
                     + ":2: agents[0].id: duplicate agent id \"alice\" "
                       "(first defined at "
                     + main + ":5)",
                   roster + ":5: agents[1].capacity: must be at least 1, got 0",
                   roster
                     + ":6: server: unknown key \"server\" (an agents_file "
                       "holds only [[agents]])"}));
}

TEST(ConfigErrorTest, MissingAgentsFile) {
  auto r = load("agents_file = \"nope.toml\"\n[auth]\nsecret = "
                "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n");
  EXPECT_EQ(messages(r.errors), (lines{"baton.toml:1: agents_file: cannot read "
                                       "\"nope.toml\""}));
}

} // namespace
} // namespace baton::engine::config
