#include "bench/load/roster.hpp"

#include <fstream>
#include <random>

#include "engine/config/config.hpp"

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

} // namespace

roster_result roster_from_config(const std::string& path) {
  roster_result r;
  auto loaded = engine::config::load_file(path);
  if (!loaded.value) {
    r.error = path + ": not a valid configuration";
    for (const auto& e : loaded.errors)
      r.error += "\n  " + e.to_string();
    return r;
  }
  const auto& cfg = *loaded.value;
  r.value.secret = cfg.auth.secret;
  for (const auto& q : cfg.queues)
    r.value.queues.push_back(q.id);
  for (const auto& a : cfg.agents) {
    bool staff = false;
    for (auto role : a.roles)
      staff = staff || role != engine::config::staff_role::supervisor;
    if (staff && !a.queues.empty())
      r.value.agents.push_back(a.id);
    if (a.has_role(engine::config::staff_role::supervisor)
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

roster_result write_spawn_config(const scenario& s,
                                 const std::filesystem::path& dir,
                                 std::filesystem::path& path) {
  roster_result r;
  r.value.secret = random_secret();
  r.value.transfer_topic = "escalation";
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
