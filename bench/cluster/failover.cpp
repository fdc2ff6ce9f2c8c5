// bench_failover [KILLS]: how long a cluster of two nodes behind HAProxy
// is unable to answer for a conversation when the serving node is killed
// (kill -9) and when it is drained (SIGTERM); docs/cluster.md.
//
// Each round starts a conversation through HAProxy, kills the node that
// serves, and times from the kill to the first successful
// `conversation.history` of that conversation through HAProxy (retried
// every 10 ms, as a reconnecting client would). The killed node is started
// again and stands by for the next round. Leases are the defaults
// (renewed every second, running out after three); HAProxy checks /readyz
// every 250 ms.

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

std::string config_text(const std::string& url) {
  return "[server]\nthreads = 2\n[auth]\nsecret = \"" + std::string(secret)
         + "\"\n[storage]\nbackend = \"postgres\"\nurl = \"" + url
         + "\"\n[cluster]\n"
           "[[queues]]\nid = \"general\"\nname = \"General\"\n"
           "[[agents]]\nid = \"alice\"\nname = \"Alice\"\n"
           "queues = [\"general\"]\n";
}

struct node {
  std::string id;
  std::uint16_t port = 0;
  std::optional<server_process> process;
};

bool start(node& n, const std::filesystem::path& config, bool serving) {
  n.process.reset();
  n.process.emplace();
  server_process::options o;
  o.binary = BATON_BINARY;
  o.config_path = config.string();
  o.listen = "127.0.0.1:" + std::to_string(n.port);
  o.env = {"BATON_CLUSTER_NODE_ID=" + n.id};
  o.wait_for_listening = false;
  if (!n.process->start(o))
    return false;
  return serving ? n.process->wait_listening(give_up)
                 : n.process->wait_log("cluster: joined", give_up);
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
  int kills = argc > 1 ? std::atoi(argv[1]) : 10;
  auto* pg = engine::storage::testing::postgres_cluster::shared();
  if (pg == nullptr)
    return fail(engine::storage::testing::postgres_cluster::why_unavailable());
  auto dir = std::filesystem::temp_directory_path() / "baton-failover";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto config = dir / "baton.toml";
  std::ofstream(config) << config_text(pg->url(pg->create_database()));

  std::array<node, 2> nodes;
  nodes[0].id = "n1";
  nodes[1].id = "n2";
  for (auto& n : nodes)
    n.port = test_support::free_loopback_port();
  test_support::haproxy_options h;
  h.front_port = test_support::free_loopback_port();
  h.node_ports = {nodes[0].port, nodes[1].port};
  h.check_interval = milliseconds(250);
  server_process haproxy;
  if (!test_support::start_haproxy(haproxy, h, dir))
    return fail("HAProxy did not start: " + haproxy.error());
  if (!start(nodes[0], config, true) || !start(nodes[1], config, false))
    return fail("the nodes did not start");

  std::printf("failover: 2 nodes, lease renewed every 1000 ms, runs out "
              "after 3000 ms; HAProxy checks every %lld ms\n",
              static_cast<long long>(h.check_interval.count()));
  std::vector<double> times;
  std::size_t serving = 0;
  for (int k = 0; k < kills; ++k) {
    auto user = "customer-" + std::to_string(k);
    auto conversation = start_conversation(h.front_port, user);
    if (!conversation)
      return fail("no conversation before kill " + std::to_string(k + 1));
    auto& victim = nodes[serving];
    auto killed = clock_type::now();
    victim.process->signal(SIGKILL);
    auto took = time_to_answer(killed, h.front_port, user, *conversation);
    if (!took)
      return fail("nothing answered after kill " + std::to_string(k + 1));
    times.push_back(*took);
    std::printf("kill %2d: %s answered after %.0f ms\n", k + 1,
                nodes[1 - serving].id.c_str(), *took);
    victim.process->wait_exit(milliseconds(5000));
    if (!start(victim, config, false))
      return fail(victim.id + " did not stand by again");
    serving = 1 - serving;
  }
  if (!times.empty())
    std::printf("kill -9 to the first answer: p50 %.0f ms, max %.0f ms over "
                "%zu kills\n",
                percentile(times, 0.5), percentile(times, 1.0), times.size());

  auto user = std::string("customer-drain");
  auto conversation = start_conversation(h.front_port, user);
  if (!conversation)
    return fail("no conversation before the drain");
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
