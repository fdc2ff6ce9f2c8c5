// What a supervisor's bearer credential costs the I/O thread that checks it,
// with a large roster: named (`Bearer <user>:<token>`), bare and good, bare
// and forged (anyone on the internet can send one).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "engine/auth/token.hpp"
#include "gateway/http/bearer.hpp"

namespace baton::gateway {
namespace {

using engine::config::staff_role;

constexpr std::int64_t now = 1'800'000'000;

/// `agents` on the roster, every `agents / supervisors`-th a supervisor.
engine::config::config roster(int agents, int supervisors) {
  engine::config::config cfg;
  cfg.auth.secret = "bench-secret-bench-secret-bench-secret";
  for (int i = 0; i < agents; ++i) {
    engine::config::agent a;
    a.id = "agent-" + std::to_string(i);
    if (i % (agents / supervisors) == 0)
      a.roles = {staff_role::supervisor};
    cfg.agents.push_back(std::move(a));
  }
  cfg.index_roster(); // as the loader does
  return cfg;
}

enum class credential { named, bare, forged };

void BM_supervisor_credential(benchmark::State& state) {
  auto cfg = roster(static_cast<int>(state.range(0)),
                    static_cast<int>(state.range(1)));
  auto kind = static_cast<credential>(state.range(2));
  // The last supervisor: a bare token is found after trying all the others.
  const auto& user
    = cfg.agents[cfg.agents.size() - cfg.agents.size() / state.range(1)].id;
  auto token = engine::auth::sign(cfg.auth.secret, engine::role::supervisor,
                                  user, now + 3600);
  std::string header = "Bearer ";
  if (kind == credential::named)
    header += user + ":" + token;
  else if (kind == credential::bare)
    header += token;
  else
    header += std::to_string(now + 3600) + "." + std::string(64, 'a');
  // Before the guard: a fresh, unbounded one for each check, which
  // remembers nothing and searches for every bare token.
  bool before = state.range(3) == 0;
  bare_token_guard guard;
  for (auto _ : state) {
    if (before) {
      bare_token_guard fresh{SIZE_MAX};
      auto check = check_supervisor(cfg, header, now, fresh);
      benchmark::DoNotOptimize(check);
    } else {
      auto check = check_supervisor(cfg, header, now, guard);
      benchmark::DoNotOptimize(check);
    }
  }
  static constexpr const char* labels[] = {"named", "bare", "forged"};
  state.SetLabel(std::string{labels[state.range(2)]}
                 + (state.range(3) == 0 ? ", before" : ", now"));
}
BENCHMARK(BM_supervisor_credential)
  ->ArgsProduct({{20'000}, {1'000}, {0, 1, 2}, {0, 1}})
  ->Unit(benchmark::kMicrosecond);

} // namespace
} // namespace baton::gateway
