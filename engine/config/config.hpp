#pragma once

#include "engine/config/texts.hpp"
#include "engine/types.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

/// The operator's configuration (docs/configuration.md): one struct per
/// section, with the defaults of a single machine, loaded and validated in one
/// go.
namespace baton::engine::config {

// -- vocabulary -------------------------------------------------------------

enum class storage_backend : std::uint8_t { sqlite, postgres, memory };

/// fsync: survives power loss; os: survives a crash of the process.
enum class durability_mode : std::uint8_t { fsync, os };

/// The roles of a configured member. `manager` matters to attribution only;
/// on the wire a manager says hello as an agent.
enum class staff_role : std::uint8_t { agent, manager, supervisor };

enum class permission : std::uint8_t {
  transfer,
  conference,
  takeover,
  supervise,
  /// `conversation.assign` may give an agent more than its capacity.
  assign_over_capacity,
};

/// The least severe log lines written; each level includes those after it.
enum class log_level : std::uint8_t { debug, info, warn, error };

/// text: one human-readable line per entry; json: one JSON object per line.
enum class log_format : std::uint8_t { text, json };

std::string_view to_string(storage_backend b) noexcept;
std::string_view to_string(durability_mode d) noexcept;
std::string_view to_string(staff_role r) noexcept;
std::string_view to_string(permission p) noexcept;
std::string_view to_string(log_level l) noexcept;
std::string_view to_string(log_format f) noexcept;

std::optional<storage_backend>
parse_storage_backend(std::string_view s) noexcept;
std::optional<durability_mode> parse_durability(std::string_view s) noexcept;
std::optional<staff_role> parse_staff_role(std::string_view s) noexcept;
std::optional<permission> parse_permission(std::string_view s) noexcept;
std::optional<log_level> parse_log_level(std::string_view s) noexcept;
std::optional<log_format> parse_log_format(std::string_view s) noexcept;

/// `server.listen` split up: "127.0.0.1:8080", "[::1]:8080", "localhost:80".
struct endpoint {
  std::string host;
  std::uint16_t port = 0;
};

/// Nullopt unless `s` is host:port with a port in 0..65535 (0: any free one).
std::optional<endpoint> parse_endpoint(std::string_view s);

/// True for an IPv4 or IPv6 address as written, with no port or brackets.
bool is_ip_address(std::string_view s);

// -- single-table sections --------------------------------------------------

struct server_settings {
  std::string listen = "127.0.0.1:8080";
  std::uint32_t threads = 0; ///< 0: one per core
  std::int64_t max_frame_bytes = 65536;
  std::int64_t max_sessions = 200000;
  std::int64_t max_requests_per_second = 50; ///< per session
  duration_ms idle_ping_ms = 30000;
  duration_ms drain_timeout_ms = 10000;
  /// A session whose unsent frames pass this is cut off (a slow consumer).
  std::int64_t max_write_queue_bytes = 1048576;
  /// Addresses of the load balancers in front: a connection from one of
  /// them is counted under the client address its `X-Forwarded-For` names.
  std::vector<std::string> trusted_proxies;

  bool operator==(const server_settings&) const = default;
};

struct auth_settings {
  /// From the file or BATON_AUTH_SECRET; at least 32 bytes, no example.
  std::string secret;
  /// Used when `secret` is not set: a file holding it, made with a random
  /// one on first start (see resolve_secret_file). Written relative to the
  /// configuration file's directory; a load prefixes that directory.
  std::string secret_file;
  bool allow_anonymous_customers = true;
  duration_ms hello_timeout_ms = 10000;

  bool operator==(const auth_settings&) const = default;
};

struct storage_settings {
  storage_backend backend = storage_backend::sqlite;
  /// sqlite. Written relative to the configuration file's directory; a load
  /// prefixes that directory.
  std::string path = "data/baton.db";
  std::string url; ///< postgres
  durability_mode durability = durability_mode::fsync;
  /// 0: commit at once what arrived; what arrives during a commit goes
  /// into the next one (docs/storage.md).
  duration_ms group_commit_ms = 0;
  std::int64_t retention_days = 90; ///< 0: keep forever
  /// Events waiting for their commit; past it, changes get `unavailable`.
  std::int64_t max_pending_events = 100000;
  /// Reads of stored conversations (history, explain, resume, attribution)
  /// waiting for the one reader; past it they get `unavailable`.
  std::int64_t max_pending_reads = 64;

  bool operator==(const storage_settings&) const = default;
};

struct routing_settings {
  std::string default_queue = "general";
  duration_ms offer_timeout_ms = 20000;
  std::int64_t max_missed_offers = 3;
  bool assign_auto_accept = false;
  duration_ms agent_disconnect_grace_ms = 30000;
  /// How long a conversation that every eligible agent declined or missed
  /// waits before it is offered to them again.
  duration_ms reoffer_delay_ms = 1000;
  /// How often a queue looks at its line to tell waiting customers where
  /// they stand (conversation.position), each only when it moved enough.
  duration_ms position_update_ms = 5000;
  /// A conversation waiting in a queue with nothing in flight for this
  /// long leaves memory but for a compact record, and comes back with the
  /// next message for it (docs/architecture.md, "Passivation"). 0: never.
  duration_ms passivate_after_ms = 30000;

  bool operator==(const routing_settings&) const = default;
};

struct transfer_settings {
  bool require_reason = true;
  bool require_consent = true;
  duration_ms consent_timeout_ms = 60000;
  std::int64_t priority_boost = 10;
  bool include_history = true;
  std::int64_t history_lines = 50;

  bool operator==(const transfer_settings&) const = default;
};

struct absence_settings {
  duration_ms direct_response_timeout_ms = 120000;
  /// After `agent.absent`, how long the customer's choice may wait.
  duration_ms choice_timeout_ms = 300000;

  bool operator==(const absence_settings&) const = default;
};

struct attribution_settings {
  duration_ms window_ms = 86400000;
  bool prefer_non_manager = false;

  bool operator==(const attribution_settings&) const = default;
};

struct supervision_settings {
  duration_ms stats_interval_ms = 1000;

  bool operator==(const supervision_settings&) const = default;
};

/// What one client may hold or do: every count a client controls has a
/// bound here (docs/security.md).
struct limits_settings {
  std::int64_t sessions_per_user = 20;
  /// Sessions from one source address (a shop behind one NAT is one address).
  std::int64_t sessions_per_address = 1000;
  std::int64_t open_conversations_per_customer = 5;
  /// `conversation.start` per anonymous session: a visitor with a fresh id
  /// per session cannot lean on the per-customer bound.
  std::int64_t starts_per_anonymous_session = 10;
  std::int64_t messages_per_conversation = 5000;
  /// Bytes of one message's text; below server.max_frame_bytes.
  std::int64_t max_text_bytes = 16384;
  /// Bytes of all the messages' texts of one conversation: what it holds in
  /// memory while open (messages_per_conversation × max_text_bytes would be
  /// 80 MB).
  std::int64_t text_bytes_per_conversation = 1 << 20;
  /// Closed conversations a user's `conversation.list` remembers.
  std::int64_t closed_conversations_listed = 20;
  /// Frames that are not a valid request (undecodable, binary, unknown
  /// verb) a session may send; the next closes it with 1008.
  std::int64_t bad_frames_per_session = 100;
  /// Requests of one session awaiting their replies. Past it the session
  /// reads nothing more until one is answered: replies finished early wait
  /// for an earlier one's, and they must not pile up behind a slow one.
  std::int64_t requests_in_flight_per_session = 64;

  bool operator==(const limits_settings&) const = default;
};

/// [log]: what the process log writes (app/log.*). A reload changes both.
struct log_settings {
  log_level level = log_level::info;
  log_format format = log_format::text;

  bool operator==(const log_settings&) const = default;
};

/// [cluster]: several nodes on one PostgreSQL database (docs/cluster.md).
/// Without it (no node_id) a node runs on its own, as always. Read at start
/// only.
struct cluster_settings {
  /// This node's name in the cluster; empty: not clustered.
  std::string node_id;
  /// How many shards the conversations, queues and agents map to. Fixed
  /// when the cluster's tables are made; every node must say the same.
  std::int64_t shards = 256;
  /// How often a node renews its lease in the database.
  duration_ms lease_renew_ms = 1000;
  /// How long a lease lasts unrenewed; a node stops serving
  /// lease_renew_ms before it could run out.
  duration_ms lease_expiry_ms = 3000;
  /// Where this node takes the other nodes' calls (CAF's middleman), as
  /// they reach it; empty: nowhere, and a node standing by takes no client.
  std::string listen;
  /// The shards spread over the live nodes, each serving its share
  /// (docs/cluster.md, "Spreading the shards"); false: one node serves
  /// them all and the others stand by. Needs `listen`.
  bool spread = false;
  /// Spread: how many nodes the cluster comes up with. While no live node
  /// holds a shard, a node claims only once that many are live (or 10 s
  /// after it joined, lease_expiry_ms × 3 if longer), so that one node up
  /// first does not claim every shard.
  std::int64_t expected_nodes = 1;

  bool enabled() const noexcept {
    return !node_id.empty();
  }
  bool operator==(const cluster_settings&) const = default;
};

/// [console]: the web consoles baton serves from its HTTP port
/// (docs/consoles.md). Read at start and on reload.
struct console_settings {
  bool enabled = true;
  /// The built static files. Empty: `web/` beside the directory of the
  /// `baton` binary (build/bin/baton serves build/web). Written relative to
  /// the configuration file's directory; a load prefixes that directory.
  std::string dir;
  /// Where the consoles are served: "" at the root (`/`, `/widget`), or a
  /// path such as "/chat" (`/chat/`, `/chat/widget`).
  std::string prefix;

  bool operator==(const console_settings&) const = default;
};

// -- the roster -------------------------------------------------------------

struct topic {
  std::string id;
  std::string name; ///< defaults to the id
  /// Only agents listing this topic may take its conversations.
  bool restricted = false;
  /// Where conversations started with this topic go; empty: the default queue.
  std::string queue;

  bool operator==(const topic&) const = default;
};

struct queue {
  std::string id;
  std::string name; ///< defaults to the id
  engine::strategy strategy = engine::strategy::longest_idle;
  queue_mode mode = queue_mode::push;
  duration_ms offer_timeout_ms = 20000; ///< defaults to routing's
  duration_ms wait_timeout_ms = 300000;
  /// A conversation whose estimated wait on entering is longer (seconds) is
  /// told so at once instead of waiting out its wait; 0: never.
  std::int64_t max_estimated_wait_s = 0;
  /// The `conversation.queued` text; empty: the `queued` text.
  std::string welcome_text;

  bool operator==(const queue&) const = default;
};

struct agent {
  std::string id;
  std::string name; ///< defaults to the id
  /// Absent in the file: the default queue. `queues = []`: none (direct
  /// conversations and transfers to this agent only).
  std::vector<std::string> queues;
  std::vector<std::string> topics; ///< restricted topics it may take
  std::int64_t capacity = 1;       ///< concurrent conversations
  std::vector<staff_role> roles{staff_role::agent};
  std::vector<permission> permissions{permission::transfer,
                                      permission::conference};

  bool has_role(staff_role r) const noexcept;
  bool has_permission(permission p) const noexcept;
  bool in_queue(std::string_view queue_id) const noexcept;
  bool has_topic(std::string_view topic_id) const noexcept;

  bool operator==(const agent&) const = default;
};

// -- the whole ----------------------------------------------------------------

/// The roster's ids in order, each with its place in `config::agents`: a
/// route names its agent, a hello or a bearer credential its member, a
/// reload every agent, and a linear search at 20 000 agents costs tens of
/// microseconds each (docs/benchmarks.md, "A supervisor's bearer
/// credential"). Derived from the roster: it is never a difference between
/// two configurations of its own.
class roster_index {
public:
  void build(const std::vector<agent>& agents);
  /// Where `id` was among the agents it was built from.
  std::optional<std::size_t> find(std::string_view id) const noexcept;
  /// The ids after `id`, in order, each with its place: a page of the
  /// roster by id costs its own length, not the roster's.
  std::span<const std::pair<std::string, std::size_t>>
  after(std::string_view id) const noexcept;
  std::size_t size() const noexcept {
    return by_id_.size();
  }

  bool operator==(const roster_index&) const noexcept {
    return true;
  }

private:
  std::vector<std::pair<std::string, std::size_t>> by_id_;
};

struct config {
  server_settings server;
  auth_settings auth;
  storage_settings storage;
  routing_settings routing;
  transfer_settings transfer;
  absence_settings absence;
  attribution_settings attribution;
  supervision_settings supervision;
  limits_settings limits;
  log_settings log;
  console_settings console;
  cluster_settings cluster;
  std::vector<topic> topics;
  std::vector<queue> queues; ///< never empty after a successful load
  std::vector<agent> agents;
  ::baton::engine::config::texts texts;
  /// As written in the file; the agents are already merged into `agents`.
  std::string agents_file;
  /// Built by the loader; after changing `agents`, call index_roster().
  roster_index roster;

  /// Nullptr when absent. Queues and topics are searched in full (a few
  /// dozen); agents by `roster`, in full while it does not match `agents`
  /// (a configuration put together by hand).
  const queue* find_queue(std::string_view id) const noexcept;
  const topic* find_topic(std::string_view id) const noexcept;
  const agent* find_agent(std::string_view id) const noexcept;
  void index_roster();

  bool operator==(const config&) const = default;
};

// -- loading ----------------------------------------------------------------

/// One problem, located: `file:line: key: message`. `line` is 0 when the
/// problem has no line (a missing key, an environment variable); `key` is the
/// dotted path with 0-based indexes (`queues[1].strategy`) or the variable.
struct error {
  std::string file;
  std::size_t line = 0;
  std::string key;
  std::string message;

  std::string to_string() const;
};

/// Reads an environment variable; tests pass their own.
using env_lookup
  = std::function<std::optional<std::string>(std::string_view name)>;

/// Lists the names of the variables set that start with `BATON_`.
using env_names = std::function<std::vector<std::string>()>;

/// What a load reads from the environment: the overrides, by name, and the
/// names of the `BATON_*` variables set, so that a misspelt override is
/// refused instead of silently ignored. A bare lookup (no `names`) checks
/// no name: a lookup alone cannot tell what is set.
struct environment {
  env_lookup lookup;
  env_names names;

  environment(env_lookup get, env_names list)
    : lookup(std::move(get)), names(std::move(list)) {
  }
  /// From a bare lookup, as tests and benchmarks pass one.
  template <class F>
  requires std::is_convertible_v<F, env_lookup>
  environment(F get) // NOLINT(google-explicit-constructor): a lookup is one
    : lookup(std::move(get)) {
  }
};

/// The process environment (std::getenv).
std::optional<std::string> system_env(std::string_view name);

/// The process environment: lookups and the names of its `BATON_*`
/// variables.
environment system_environment();

/// `BATON_*` variables that Baton's own scripts and tools read and that are
/// not settings: the loader neither applies nor refuses them
/// (docs/configuration.md, "Environment overrides").
std::span<const std::string_view> ignored_env_names() noexcept;

struct load_result {
  std::optional<config> value; ///< set exactly when `errors` is empty
  std::vector<error> errors;   ///< all of them, in file order
  std::vector<error> warnings; ///< worth logging, not worth refusing

  bool ok() const noexcept {
    return errors.empty();
  }
};

/// Reads, parses and validates a config file. Relative paths in it
/// (`storage.path`, `auth.secret_file`, `console.dir`, `agents_file`), from
/// the file or the environment, are relative to the file's directory;
/// `storage.path`, `auth.secret_file` and `console.dir` come back with that
/// directory prefixed.
load_result load_file(const std::string& path,
                      const environment& env = system_environment());

/// As load_file, for text already in memory; `source_name` names it in
/// messages and its directory anchors relative paths.
load_result load_string(std::string_view text, const std::string& source_name,
                        const environment& env = system_environment());

} // namespace baton::engine::config
