#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/load/scenario.hpp"

/// Who the load generator may be: the agents and queues a server knows, and
/// the secret that signs their tokens. Read from the server's configuration,
/// or made up for a spawned server.
namespace baton::bench {

struct roster {
  std::string secret;
  std::vector<std::string> agents;      ///< agent ids that can take offers
  std::vector<std::string> supervisors; ///< ids that may supervise
  std::vector<std::string> queues;      ///< queue ids to start conversations in
  std::string transfer_topic;           ///< a topic to give as transfer reason

  // What the centre can serve: fits defaults to it and explains a run.
  std::string source;            ///< the configuration file, or "generated"
  std::int64_t slots = 0;        ///< the agents' capacities, summed
  std::int64_t max_capacity = 0; ///< the most one agent takes at once
  /// server.max_requests_per_second, per session; 0: lifted for the test.
  std::int64_t max_requests_per_second = 0;
  std::vector<std::string> ring_all_queues; ///< of `queues`
  /// Queues no conversation is started in, each with why: "returns (pull:
  /// ...)".
  std::vector<std::string> skipped_queues;
};

struct roster_result {
  roster value;
  std::string error; ///< empty on success
};

/// The agents (role agent or manager, in at least one queue used), queues
/// and secret of a configuration file, as `baton` itself reads it (the
/// secret from `auth.secret_file` too, which the server made on its first
/// start). Pull queues and queues without an agent are left out: the
/// generator's agents take offers, and nobody would take theirs.
roster_result roster_from_config(const std::string& path);

/// For a run against a running centre (conversations mode, --url): the
/// values it can serve, for the settings the scenario did not give. A
/// closed loop gets at most as many customers as the agents have slots
/// (more would only wait in a queue and time out); agents answer slowly
/// enough to stay under the server's per-session request limit (at once,
/// an agent with several conversations passes it and its refused answers
/// stall their conversations). Returns one line per value chosen, for the
/// summary.
std::vector<std::string> fit_to_centre(scenario& s, const roster& r);

/// A configuration for a spawned server, written into `dir` as baton.toml:
/// `s.agents` agents of capacity `s.agent_capacity` in every one of
/// `s.queues` queues, `s.supervisors` supervisors, a random secret, storage
/// as `s.storage` says (a SQLite file lives in `dir`), limits lifted
/// so that the generator rather than the rate limiter decides the load.
/// Returns the roster; `path` receives the file's path.
roster_result write_spawn_config(const scenario& s,
                                 const std::filesystem::path& dir,
                                 std::filesystem::path& path);

} // namespace baton::bench
