// bench_cluster_load [SECONDS] [--spread]: baton-load against a cluster on
// this machine: three nodes on one private PostgreSQL, one serving and two
// relaying (cluster.listen), HAProxy in front; docs/cluster.md, "Measured".
//
// The same closed loop (5 messages each, 100 agents of capacity 4) runs,
// with 1 customer at a time (the latency of the path alone) and with 50:
//   same node    clients of the serving node itself
//   cross node   clients of a relay: every request and event crosses nodes
//   3 nodes      through HAProxy, which spreads sessions over all three (50)
//   1 node       through HAProxy, once the two relays are stopped (50)
// With --spread (cluster.spread) the three share the shards: "one node" is
// the clients of one of them (most of their conversations, customers and
// agents are held by the other two), and "1 node" runs once the other two
// drained and left it every shard.
// Each row is baton-load's own JSON summary, reduced to a table.

#include <signal.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <boost/json.hpp>

#include "tests/engine/storage/postgres_cluster.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/haproxy.hpp"
#include "tests/support/server_process.hpp"

namespace {

using namespace baton;
using std::chrono::milliseconds;
using test_support::server_process;

constexpr milliseconds give_up{30000};
constexpr int agents = 100;
constexpr int capacity = 4;

std::string config_text(const std::string& url, bool spread) {
  std::string t = "[server]\nthreads = 1\nmax_requests_per_second = 1000000\n"
                  "[auth]\nsecret = \"bench-cluster-5b0e9f1c27d84a63e19b\"\n"
                  "[storage]\nbackend = \"postgres\"\nurl = \""
                  + url
                  + "\"\ndurability = \"fsync\"\n"
                    "[routing]\ndefault_queue = \"q0\"\n"
                    "[limits]\nsessions_per_address = 10000000\n"
                    "sessions_per_user = 100000\n"
                    "[cluster]\nshards = 16\n"
                  + (spread ? "spread = true\nexpected_nodes = 3\n" : "")
                  + "[[queues]]\nid = \"q0\"\nstrategy = \"longest_idle\"\n";
  for (int a = 0; a < agents; ++a)
    t += "[[agents]]\nid = \"a" + std::to_string(a) + "\"\nname = \"Agent "
         + std::to_string(a) + "\"\nqueues = [\"q0\"]\ncapacity = "
         + std::to_string(capacity) + "\n";
  return t;
}

struct node {
  std::string id;
  std::uint16_t port = 0;
  std::optional<server_process> process;
};

bool start(node& n, const std::filesystem::path& config,
           std::string_view ready_line) {
  n.process.emplace();
  server_process::options o;
  o.binary = BATON_BINARY;
  o.config_path = config.string();
  o.listen = "127.0.0.1:" + std::to_string(n.port);
  o.env = {"BATON_CLUSTER_NODE_ID=" + n.id, "BATON_CLUSTER_LISTEN=127.0.0.1:0"};
  o.wait_for_listening = false;
  return n.process->start(o) && n.process->wait_log(ready_line, give_up);
}

/// baton-load's JSON summary of one run against `port`.
std::optional<boost::json::object> load(std::uint16_t port,
                                        const std::filesystem::path& config,
                                        int seconds, int concurrency) {
  // baton-load reads the nodes' file with no node's environment.
  auto command = std::string(BATON_LOAD) + " --no-progress --json --url "
                 + "ws://127.0.0.1:" + std::to_string(port) + "/v1/ws"
                 + " --config " + config.string() + " --duration "
                 + std::to_string(seconds) + " --concurrency "
                 + std::to_string(concurrency) + " --messages 5 2>"
                 + (config.parent_path() / "load.err").string();
  std::unique_ptr<FILE, int (*)(FILE*)> out(popen(command.c_str(), "r"),
                                            pclose);
  if (!out)
    return std::nullopt;
  std::string text;
  std::array<char, 4096> chunk{};
  while (auto n = std::fread(chunk.data(), 1, chunk.size(), out.get()))
    text.append(chunk.data(), n);
  // The summary is the last line.
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  auto line = text.substr(text.rfind('\n') + 1);
  boost::system::error_code ec;
  auto v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) {
    std::ifstream err(config.parent_path() / "load.err");
    std::fprintf(stderr, "baton-load: %s\n",
                 std::string(std::istreambuf_iterator<char>(err), {}).c_str());
    return std::nullopt;
  }
  return v.as_object();
}

double number(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : 0;
}

double latency(const boost::json::object& o, std::string_view what,
               std::string_view p) {
  const auto* v = o.if_contains(what);
  return v && v->is_object() ? number(v->as_object(), p) : 0;
}

void row(const char* what, int concurrency, const boost::json::object& r) {
  auto errors = r.if_contains("errors");
  std::size_t error_count = 0;
  if (errors && errors->is_object())
    for (const auto& [k, v] : errors->as_object())
      error_count += static_cast<std::size_t>(v.to_number<double>());
  std::printf("| %s | %d | %.0f | %.0f | %.2f / %.2f | %.2f / %.2f | %zu |\n",
              what, concurrency, number(r, "routed_per_sec"),
              number(r, "frames_per_sec"),
              latency(r, "route_latency_ms", "p50"),
              latency(r, "route_latency_ms", "p99"),
              latency(r, "message_latency_ms", "p50"),
              latency(r, "message_latency_ms", "p99"), error_count);
  std::fflush(stdout);
}

int fail(const std::string& why) {
  std::fprintf(stderr, "bench_cluster_load: %s\n", why.c_str());
  return 1;
}

} // namespace

int main(int argc, char** argv) {
  int seconds = 10;
  bool spread = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--spread")
      spread = true;
    else
      seconds = std::atoi(argv[i]);
  }
  auto* pg = engine::storage::testing::postgres_cluster::shared();
  if (pg == nullptr)
    return fail(engine::storage::testing::postgres_cluster::why_unavailable());
  auto dir = std::filesystem::temp_directory_path() / "baton-cluster-load";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto config = dir / "baton.toml";
  std::ofstream(config) << config_text(pg->url(pg->create_database()), spread);

  std::array<node, 3> nodes;
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
  if (spread) {
    for (auto& n : nodes)
      if (!start(n, config, "cluster: joined"))
        return fail(n.id + " did not join");
    for (auto& n : nodes)
      if (!n.process->wait_log("the directories' table told", give_up))
        return fail(n.id + " was told no table");
  } else {
    if (!start(nodes[0], config, "this node serves now"))
      return fail("n1 did not serve");
    for (std::size_t i = 1; i < nodes.size(); ++i)
      if (!start(nodes[i], config, "relaying to the serving node"))
        return fail(nodes[i].id + " did not relay");
  }
  // HAProxy's checks find the relays.
  std::this_thread::sleep_for(milliseconds(4 * h.check_interval.count()));

  std::printf("| clients of | customers at once | routed/s | frames/s "
              "| route p50 / p99 ms | message p50 / p99 ms | errors |\n"
              "|---|---|---|---|---|---|---|\n");
  auto run = [&](const char* what, std::uint16_t port, int concurrency) {
    if (auto r = load(port, config, seconds, concurrency))
      row(what, concurrency, *r);
    else
      std::printf("| %s | %d | no summary from baton-load | | | | |\n", what,
                  concurrency);
  };
  // One customer at a time: the latency of the path alone.
  if (spread) {
    run("one node of three sharing the shards", nodes[0].port, 1);
    run("one node of three sharing the shards", nodes[0].port, 50);
  } else {
    run("the serving node (same node)", nodes[0].port, 1);
    run("a relay (cross node)", nodes[1].port, 1);
    run("the serving node (same node)", nodes[0].port, 50);
    run("a relay (cross node)", nodes[1].port, 50);
  }
  run("HAProxy, 3 nodes", h.front_port, 50);
  for (std::size_t i = 1; i < nodes.size(); ++i)
    nodes[i].process->stop(milliseconds(5000));
  // Spread, n1 claims what the other two left, then HAProxy's checks find
  // them gone.
  if (spread && !nodes[0].process->wait_log("held=16", give_up))
    return fail("n1 did not take every shard");
  std::this_thread::sleep_for(milliseconds(4 * h.check_interval.count()));
  run("HAProxy, 1 node", h.front_port, 50);

  nodes[0].process->stop(milliseconds(5000));
  haproxy.stop(milliseconds(2000));
  std::filesystem::remove_all(dir);
  return 0;
}
