#include "bench/load/roster.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <random>
#include <string_view>

#include "engine/config/config.hpp"
#include "engine/config/secret_file.hpp"

namespace baton::bench {
namespace {

std::string random_secret() {
  std::random_device rd;
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i)
    s += hex[rd() % 16];
  return s;
}

/// A cluster's configuration leaves each node's id and address to that
/// node's environment (docs/cluster.md, "Running a cluster"): baton-load
/// is no node, and reads it as one would, with an id and address of its own.
std::optional<std::string> as_a_node(std::string_view name) {
  if (auto set = engine::config::system_env(name))
    return set;
  if (name == "BATON_CLUSTER_NODE_ID")
    return "baton-load";
  if (name == "BATON_CLUSTER_LISTEN")
    return "127.0.0.1:0";
  return std::nullopt;
}

/// Whether the file was refused only for what a node's environment gives:
/// given always, the id would make any configuration a cluster's.
bool wants_a_node(const engine::config::load_result& loaded) {
  return !loaded.errors.empty()
         && std::ranges::all_of(loaded.errors, [](const auto& e) {
              return e.key == "cluster.node_id" || e.key == "cluster.spread";
            });
}

} // namespace

roster_result roster_from_config(const std::string& path) {
  using engine::config::staff_role;
  roster_result r;
  auto loaded = engine::config::load_file(path);
  if (wants_a_node(loaded)) {
    auto env = engine::config::system_environment();
    env.lookup = as_a_node;
    loaded = engine::config::load_file(path, env);
  }
  if (!loaded.value) {
    r.error = path + ": not a valid configuration";
    for (const auto& e : loaded.errors)
      r.error += "\n  " + e.to_string();
    return r;
  }
  auto& cfg = *loaded.value;
  if (auto problem = engine::config::resolve_secret_file(cfg, false);
      !problem.empty()) {
    r.error = path + ": " + problem
              + " (the server makes it on its first start: start it "
                "first, or give both BATON_AUTH_SECRET)";
    return r;
  }
  r.value.secret = cfg.auth.secret;
  r.value.source = path;
  r.value.max_requests_per_second = cfg.server.max_requests_per_second;
  auto takes_offers = [](const engine::config::agent& a) {
    return a.has_role(staff_role::agent) || a.has_role(staff_role::manager);
  };
  for (const auto& q : cfg.queues) {
    if (q.mode == engine::queue_mode::pull) {
      r.value.skipped_queues.push_back(
        q.id
        + " (pull: agents pick from its waiting list; the generator's "
          "agents only take offers)");
      continue;
    }
    bool served = false;
    for (const auto& a : cfg.agents)
      served = served || (takes_offers(a) && a.in_queue(q.id));
    if (!served) {
      r.value.skipped_queues.push_back(q.id + " (no agent in it)");
      continue;
    }
    r.value.queues.push_back(q.id);
    if (q.strategy == engine::strategy::ring_all)
      r.value.ring_all_queues.push_back(q.id);
  }
  for (const auto& a : cfg.agents) {
    bool used = false;
    for (const auto& q : r.value.queues)
      used = used || a.in_queue(q);
    if (takes_offers(a) && used) {
      r.value.agents.push_back(a.id);
      r.value.slots += a.capacity;
      r.value.max_capacity = std::max(r.value.max_capacity, a.capacity);
    }
    if (a.has_role(staff_role::supervisor)
        || a.has_permission(engine::config::permission::supervise))
      r.value.supervisors.push_back(a.id);
  }
  for (const auto& t : cfg.topics)
    if (!t.restricted) {
      r.value.transfer_topic = t.id;
      break;
    }
  return r;
}

std::vector<std::string> fit_to_centre(scenario& s, const roster& r) {
  std::vector<std::string> chosen;
  if (s.spawn || s.mode != load_mode::conversations)
    return chosen;
  if (s.rate == 0 && !s.was_given("load.concurrency") && r.slots > 0
      && r.slots < s.concurrency) {
    s.concurrency = static_cast<int>(r.slots);
    chosen.push_back("concurrency " + std::to_string(r.slots)
                     + ": the agents' slots (their capacities in " + r.source
                     + "); more customers at once would only wait in a "
                       "queue (--concurrency to choose)");
  }
  // Half the limit: an agent also accepts offers, and answers come in bursts.
  if (r.max_requests_per_second > 0 && r.max_capacity > 0
      && !s.was_given("agents.reply_think_ms") && s.reply_think.count() == 0) {
    auto ms = (2000 * r.max_capacity + r.max_requests_per_second - 1)
              / r.max_requests_per_second;
    if (2000 * r.max_capacity >= r.max_requests_per_second) {
      ms = (ms + 9) / 10 * 10;
      s.reply_think = milliseconds(ms);
      chosen.push_back(
        "agents answer after " + std::to_string(ms)
        + " ms: at once, an agent with " + std::to_string(r.max_capacity)
        + " conversations would pass server.max_requests_per_second ("
        + std::to_string(r.max_requests_per_second)
        + " per session) and its refused answers would stall their "
          "conversations (--reply-think-ms to choose)");
    }
  }
  return chosen;
}

roster_result write_spawn_config(const scenario& s,
                                 const std::filesystem::path& dir,
                                 std::filesystem::path& path) {
  roster_result r;
  r.value.secret = random_secret();
  r.value.transfer_topic = "escalation";
  r.value.source = "generated";
  r.value.slots = std::int64_t{s.agents} * s.agent_capacity;
  r.value.max_capacity = s.agent_capacity;
  for (int q = 0; q < s.queues; ++q)
    r.value.queues.push_back("q" + std::to_string(q));
  for (int a = 0; a < s.agents; ++a)
    r.value.agents.push_back("a" + std::to_string(a));
  for (int v = 0; v < s.supervisors; ++v)
    r.value.supervisors.push_back("sv" + std::to_string(v));

  path = dir / "baton.toml";
  std::ofstream out(path);
  out
    << "# Written by baton-load --spawn.\n"
       "[server]\n"
       "listen = \"127.0.0.1:8080\"   # BATON_SERVER_LISTEN picks a free port\n"
    << "threads = " << s.server_threads << "\n"
    << "max_sessions = 1000000\n"
       "max_requests_per_second = 1000000\n"
       "max_write_queue_bytes = 67108864\n"
       "drain_timeout_ms = 500\n"
       "[auth]\n"
    << "secret = \"" << r.value.secret << "\"\n"
    << "allow_anonymous_customers = true\n"
       "[storage]\n"
    << "backend = \"" << s.storage << "\"\n"
    << "path = \"" << (dir / "baton.db").string() << "\"\n"
    << "durability = \"" << s.durability
    << "\"\n"
       "[routing]\n"
       "default_queue = \"q0\"\n"
       "[transfer]\n"
       "require_consent = false\n"
       // Every simulated client comes from 127.0.0.1: the per-address
       // bound would take the load generator for an attack.
       "[limits]\n"
       "sessions_per_address = 10000000\n"
       "sessions_per_user = 100000\n"
       "[[topics]]\n"
       "id = \"escalation\"\n"
       "name = \"Escalation\"\n";
  std::string queue_list;
  for (const auto& q : r.value.queues) {
    out << "[[queues]]\nid = \"" << q << "\"\nstrategy = \"longest_idle\"\n";
    queue_list += (queue_list.empty() ? "\"" : ", \"") + q + "\"";
  }
  for (const auto& a : r.value.agents)
    out << "[[agents]]\nid = \"" << a << "\"\nname = \"Agent " << a
        << "\"\nqueues = [" << queue_list
        << "]\ncapacity = " << s.agent_capacity << "\n";
  for (const auto& v : r.value.supervisors)
    out << "[[agents]]\nid = \"" << v << "\"\nname = \"Supervisor " << v
        << "\"\nroles = [\"supervisor\"]\npermissions = [\"supervise\"]\n";
  out.close();
  if (!out)
    r.error = "cannot write " + path.string();
  return r;
}

} // namespace baton::bench
