// bench_failover [KILLS] [--spread]: how long a cluster behind HAProxy is
// unable to answer for a conversation when the node serving it is killed
// (kill -9) and when it is drained (SIGTERM); docs/cluster.md.
//
// Each round starts a conversation through HAProxy, kills the node that
// serves it, and times from the kill to the first successful
// `conversation.history` of that conversation through HAProxy (retried
// every 10 ms, as a reconnecting client would). The killed node is started
// again for the next round (spread, once the others gave its share back). Two
// nodes, one serving and one standing by; with --spread (cluster.spread), three
// nodes sharing the shards, and the one killed is the owner of the
// conversation's shard, as the database says. Leases are the defaults (renewed
// every second, running out after three); HAProxy checks /readyz every 250 ms.

#include <signal.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/auth/token.hpp"
#include "engine/cluster/shards.hpp"
#include "engine/storage/postgres_leases.hpp"
#include "tests/e2e/ws_client.hpp"
#include "tests/engine/storage/postgres_cluster.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/haproxy.hpp"
#include "tests/support/server_process.hpp"

namespace {

using namespace baton;
using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;
using test_support::server_process;

constexpr std::string_view secret = "bench-failover-9c1e7d2b44f0a6e38d15";
constexpr milliseconds give_up{30000};

/// The cluster's default shard count, which the config leaves as it is.
constexpr std::uint32_t shard_count = 256;

std::string config_text(const std::string& url, bool spread) {
  return "[server]\nthreads = 2\n[auth]\nsecret = \"" + std::string(secret)
         + "\"\n[storage]\nbackend = \"postgres\"\nurl = \"" + url
         + "\"\n[cluster]\n"
         + (spread ? "spread = true\nexpected_nodes = 3\n" : "")
         + "[[queues]]\nid = \"general\"\nname = \"General\"\n"
           "[[agents]]\nid = \"alice\"\nname = \"Alice\"\n"
           "queues = [\"general\"]\n";
}

struct node {
  std::string id;
  std::uint16_t port = 0;
  std::optional<server_process> process;
};

/// Ready: serving (listening), standing by (joined), or, spread, told
/// which node holds what, or holding its share again (the others gave it
/// up), so that each round starts from an even cluster.
enum class ready_when { serving, joined, told, holding };

/// Started, not waited for; spread, it takes the other nodes' calls.
bool spawn(node& n, const std::filesystem::path& config, bool spread) {
  n.process.reset();
  n.process.emplace();
  server_process::options o;
  o.binary = BATON_BINARY;
  o.config_path = config.string();
  o.listen = "127.0.0.1:" + std::to_string(n.port);
  o.env = {"BATON_CLUSTER_NODE_ID=" + n.id};
  if (spread)
    o.env.push_back("BATON_CLUSTER_LISTEN=127.0.0.1:0");
  o.wait_for_listening = false;
  return n.process->start(o);
}

bool ready(node& n, ready_when when) {
  switch (when) {
    case ready_when::serving:
      return n.process->wait_listening(give_up);
    case ready_when::joined:
      return n.process->wait_log("cluster: joined", give_up);
    case ready_when::holding:
      return n.process->wait_log("cluster: claimed shards", give_up);
    default:
      return n.process->wait_log("the directories' table told", give_up);
  }
}

/// The node (n1, n2, ...) owning `conversation`'s shard; empty if none.
std::string owner_of(const std::string& url, const std::string& conversation) {
  engine::storage::postgres_leases leases(
    url, engine::storage::postgres_leases::access::tables_exist);
  auto shard = engine::cluster::shard_of(conversation, shard_count);
  for (const auto& s : leases.shards())
    if (s.shard == shard)
      return s.owner;
  return {};
}

std::string token(std::string_view user) {
  using namespace std::chrono;
  auto now = duration_cast<seconds>(system_clock::now().time_since_epoch());
  return engine::auth::sign(secret, engine::role::customer, user,
                            now.count() + 3600);
}

/// A customer's session through HAProxy; nothing when no node answers.
std::optional<e2e::ws_client> login(std::uint16_t front,
                                    const std::string& user) {
  e2e::ws_client c;
  e2e::connect_options o;
  o.timeout = milliseconds(1000);
  if (!c.connect(front, o))
    return std::nullopt;
  auto reply = c.request({{"type", "hello"},
                          {"id", "h"},
                          {"role", "customer"},
                          {"user", user},
                          {"token", token(user)}},
                         milliseconds(1000));
  if (!reply || reply->at("type").as_string() != "ok")
    return std::nullopt;
  return c;
}

bool answers(std::uint16_t front, const std::string& user,
             const std::string& conversation) {
  auto c = login(front, user);
  if (!c)
    return false;
  auto reply = c->request({{"type", "conversation.history"},
                           {"id", "q"},
                           {"conversation", conversation}},
                          milliseconds(1000));
  return reply && reply->at("type").as_string() == "ok";
}

/// From `stopped` to the first answer for `conversation`, in ms.
std::optional<double>
time_to_answer(clock_type::time_point stopped, std::uint16_t front,
               const std::string& user, const std::string& conversation) {
  while (clock_type::now() - stopped < give_up) {
    if (answers(front, user, conversation))
      return std::chrono::duration<double, std::milli>(clock_type::now()
                                                       - stopped)
        .count();
    std::this_thread::sleep_for(milliseconds(10));
  }
  return std::nullopt;
}

std::optional<std::string> start_conversation(std::uint16_t front,
                                              const std::string& user) {
  for (auto began = clock_type::now(); clock_type::now() - began < give_up;
       std::this_thread::sleep_for(milliseconds(10))) {
    auto c = login(front, user);
    if (!c)
      continue;
    auto reply = c->request({{"type", "conversation.start"},
                             {"id", "s"},
                             {"text", "where is my order?"}},
                            milliseconds(2000));
    if (reply && reply->at("type").as_string() == "ok")
      return std::string(reply->at("conversation").as_string());
  }
  return std::nullopt;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

int fail(const std::string& why) {
  std::fprintf(stderr, "bench_failover: %s\n", why.c_str());
  return 1;
}

} // namespace

int main(int argc, char** argv) {
  int kills = 10;
  bool spread = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--spread")
      spread = true;
    else
      kills = std::atoi(argv[i]);
  }
  auto* pg = engine::storage::testing::postgres_cluster::shared();
  if (pg == nullptr)
    return fail(engine::storage::testing::postgres_cluster::why_unavailable());
  auto dir = std::filesystem::temp_directory_path() / "baton-failover";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto config = dir / "baton.toml";
  auto url = pg->url(pg->create_database());
  std::ofstream(config) << config_text(url, spread);

  std::vector<node> nodes(spread ? 3 : 2);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].id = "n" + std::to_string(i + 1);
    nodes[i].port = test_support::free_loopback_port();
  }
  test_support::haproxy_options h;
  h.front_port = test_support::free_loopback_port();
  for (const auto& n : nodes)
    h.node_ports.push_back(n.port);
  h.check_interval = milliseconds(250);
  server_process haproxy;
  if (!test_support::start_haproxy(haproxy, h, dir))
    return fail("HAProxy did not start: " + haproxy.error());
  // Spread, the nodes come up together and share the shards; otherwise n1
  // serves and n2 stands by.
  auto restarted = spread ? ready_when::holding : ready_when::joined;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (!spawn(nodes[i], config, spread)
        || (!spread
            && !ready(nodes[i],
                      i == 0 ? ready_when::serving : ready_when::joined)))
      return fail("the nodes did not start");
  for (auto& n : nodes)
    if (spread && !ready(n, ready_when::told))
      return fail(n.id + " was told no table");

  std::printf("failover: %zu nodes%s, lease renewed every 1000 ms, runs out "
              "after 3000 ms; HAProxy checks every %lld ms\n",
              nodes.size(), spread ? " sharing the shards" : "",
              static_cast<long long>(h.check_interval.count()));
  std::vector<double> times;
  std::size_t serving = 0;
  for (int k = 0; k < kills; ++k) {
    auto user = "customer-" + std::to_string(k);
    auto conversation = start_conversation(h.front_port, user);
    if (!conversation)
      return fail("no conversation before kill " + std::to_string(k + 1));
    if (spread) {
      auto owner = owner_of(url, *conversation);
      auto i = std::find_if(nodes.begin(), nodes.end(),
                            [&](const node& n) { return n.id == owner; });
      if (i == nodes.end())
        return fail("no node owns " + *conversation);
      serving = static_cast<std::size_t>(i - nodes.begin());
    }
    auto& victim = nodes[serving];
    auto killed = clock_type::now();
    victim.process->signal(SIGKILL);
    auto took = time_to_answer(killed, h.front_port, user, *conversation);
    if (!took)
      return fail("nothing answered after kill " + std::to_string(k + 1));
    times.push_back(*took);
    std::printf("kill %2d: %s killed, answered after %.0f ms\n", k + 1,
                victim.id.c_str(), *took);
    victim.process->wait_exit(milliseconds(5000));
    if (!spawn(victim, config, spread) || !ready(victim, restarted))
      return fail(victim.id + " did not come back");
    serving = (serving + 1) % nodes.size();
  }
  if (!times.empty())
    std::printf("kill -9 to the first answer: p50 %.0f ms, max %.0f ms over "
                "%zu kills\n",
                percentile(times, 0.5), percentile(times, 1.0), times.size());

  auto user = std::string("customer-drain");
  auto conversation = start_conversation(h.front_port, user);
  if (!conversation)
    return fail("no conversation before the drain");
  if (spread) {
    auto owner = owner_of(url, *conversation);
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].id == owner)
        serving = i;
  }
  auto drained = clock_type::now();
  nodes[serving].process->signal(SIGTERM);
  auto took = time_to_answer(drained, h.front_port, user, *conversation);
  if (!took)
    return fail("nothing answered after the drain");
  std::printf("SIGTERM to the first answer: %.0f ms\n", *took);
  for (auto& n : nodes)
    n.process->stop(milliseconds(5000));
  haproxy.stop(milliseconds(2000));
  std::filesystem::remove_all(dir);
  return 0;
}
