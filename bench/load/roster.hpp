#pragma once

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
};

struct roster_result {
  roster value;
  std::string error; ///< empty on success
};

/// The agents (role agent or manager, in at least one queue), queues and
/// secret of a configuration file, as `baton` itself reads it.
roster_result roster_from_config(const std::string& path);

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
