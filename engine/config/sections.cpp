// The single-table sections: [server] ... [supervision]. Each field's limits
// live here, next to its key; docs/configuration.md mirrors them.

#include "engine/config/fields.hpp"

namespace baton::engine::config::detail {
namespace {

constexpr std::int64_t max_duration = 7 * 86400000LL; // a week

/// Tokens are HMAC-SHA256: a key shorter than its 32-byte block is weak.
constexpr std::size_t min_secret_bytes = 32;

/// Secrets printed in examples and tutorials: known to everyone.
bool is_example_secret(std::string_view s) {
  for (std::string_view known :
       {"change-me", "changeme", "secret", "password", "test-secret"})
    if (s == known)
      return true;
  return false;
}

check_result check_listen(std::string_view s) {
  if (parse_endpoint(s))
    return std::nullopt;
  return "expected host:port with a port from 0 to 65535, got " + in_quotes(s);
}

/// The other nodes connect to what is written here: an address of this
/// host they can reach, not a wildcard.
check_result check_cluster_listen(std::string_view s) {
  if (s.empty())
    return std::nullopt;
  if (auto problem = check_listen(s))
    return problem;
  auto host = parse_endpoint(s)->host;
  if (host == "0.0.0.0" || host == "::")
    return "must name an address the other nodes reach this node at, not "
           "the wildcard "
           + in_quotes(host);
  return std::nullopt;
}

/// IP addresses, IPv4 or IPv6, written as a peer's address is read.
template <class S>
field<S> address_list(std::string_view key, std::vector<std::string> S::*m) {
  return {key, kind::string_list, [=](S& s, value&& v) -> check_result {
            auto& addresses = std::get<std::vector<std::string>>(v);
            for (const auto& a : addresses)
              if (!is_ip_address(a))
                return "expected an IPv4 or IPv6 address, got " + in_quotes(a);
            s.*m = std::move(addresses);
            return std::nullopt;
          }};
}

template <class S>
using fields_of = std::vector<field<S>>;

const fields_of<server_settings>& server_fields() {
  using s = server_settings;
  static const fields_of<s> fields{
    text("listen", &s::listen, check_listen),
    integer("threads", &s::threads, 0, 1024),
    integer("max_frame_bytes", &s::max_frame_bytes, 1024, 64 << 20),
    integer("max_sessions", &s::max_sessions, 1),
    integer("max_requests_per_second", &s::max_requests_per_second, 1),
    integer("idle_ping_ms", &s::idle_ping_ms, 1, max_duration),
    integer("drain_timeout_ms", &s::drain_timeout_ms, 0, max_duration),
    integer("max_write_queue_bytes", &s::max_write_queue_bytes, 65536,
            std::int64_t{1} << 32),
    address_list("trusted_proxies", &s::trusted_proxies),
  };
  return fields;
}

const fields_of<auth_settings>& auth_fields() {
  using s = auth_settings;
  static const fields_of<s> fields{
    text("secret", &s::secret, non_empty),
    text("secret_file", &s::secret_file, non_empty),
    flag("allow_anonymous_customers", &s::allow_anonymous_customers),
    integer("hello_timeout_ms", &s::hello_timeout_ms, 1, max_duration),
  };
  return fields;
}

const fields_of<storage_settings>& storage_fields() {
  using s = storage_settings;
  static const fields_of<s> fields{
    choice("backend", &s::backend, parse_storage_backend, "backend",
           "sqlite, postgres, memory"),
    text("path", &s::path),
    text("url", &s::url),
    choice("durability", &s::durability, parse_durability, "durability",
           "fsync, os"),
    integer("group_commit_ms", &s::group_commit_ms, 0, 1000),
    integer("retention_days", &s::retention_days, 0, 36500),
    integer("max_pending_events", &s::max_pending_events, 100, 100000000),
    integer("max_pending_reads", &s::max_pending_reads, 1, 100000),
  };
  return fields;
}

const fields_of<routing_settings>& routing_fields() {
  using s = routing_settings;
  static const fields_of<s> fields{
    identifier("default_queue", &s::default_queue),
    integer("offer_timeout_ms", &s::offer_timeout_ms, 1, max_duration),
    integer("max_missed_offers", &s::max_missed_offers, 1, 1000),
    flag("assign_auto_accept", &s::assign_auto_accept),
    integer("agent_disconnect_grace_ms", &s::agent_disconnect_grace_ms, 0,
            max_duration),
    integer("reoffer_delay_ms", &s::reoffer_delay_ms, 0, max_duration),
    integer("position_update_ms", &s::position_update_ms, 100, 600000),
    integer("passivate_after_ms", &s::passivate_after_ms, 0, max_duration),
  };
  return fields;
}

const fields_of<transfer_settings>& transfer_fields() {
  using s = transfer_settings;
  static const fields_of<s> fields{
    flag("require_reason", &s::require_reason),
    flag("require_consent", &s::require_consent),
    integer("consent_timeout_ms", &s::consent_timeout_ms, 1, max_duration),
    integer("priority_boost", &s::priority_boost, 0, 1000000),
    flag("include_history", &s::include_history),
    // The protocol's history pages stop at 500 too.
    integer("history_lines", &s::history_lines, 0, 500),
  };
  return fields;
}

const fields_of<absence_settings>& absence_fields() {
  using s = absence_settings;
  static const fields_of<s> fields{
    integer("direct_response_timeout_ms", &s::direct_response_timeout_ms, 1,
            max_duration),
    integer("choice_timeout_ms", &s::choice_timeout_ms, 1, max_duration),
  };
  return fields;
}

const fields_of<attribution_settings>& attribution_fields() {
  using s = attribution_settings;
  static const fields_of<s> fields{
    // Orders may be credited up to a year after the conversation.
    integer("window_ms", &s::window_ms, 0, 366 * 86400000LL),
    flag("prefer_non_manager", &s::prefer_non_manager),
  };
  return fields;
}

const fields_of<supervision_settings>& supervision_fields() {
  using s = supervision_settings;
  static const fields_of<s> fields{
    // Faster than 10 per second would flood every supervisor's socket.
    integer("stats_interval_ms", &s::stats_interval_ms, 100, max_duration),
  };
  return fields;
}

const fields_of<limits_settings>& limits_fields() {
  using s = limits_settings;
  static const fields_of<s> fields{
    integer("sessions_per_user", &s::sessions_per_user, 1, 100000),
    integer("sessions_per_address", &s::sessions_per_address, 1, 10000000),
    integer("open_conversations_per_customer",
            &s::open_conversations_per_customer, 1, 10000),
    integer("starts_per_anonymous_session", &s::starts_per_anonymous_session, 1,
            100000),
    integer("messages_per_conversation", &s::messages_per_conversation, 10,
            10000000),
    integer("max_text_bytes", &s::max_text_bytes, 64, 64 << 20),
    integer("text_bytes_per_conversation", &s::text_bytes_per_conversation, 64,
            std::int64_t{1} << 40),
    integer("closed_conversations_listed", &s::closed_conversations_listed, 0,
            500),
    integer("bad_frames_per_session", &s::bad_frames_per_session, 1, 1000000),
    integer("requests_in_flight_per_session",
            &s::requests_in_flight_per_session, 1, 100000),
  };
  return fields;
}

const fields_of<log_settings>& log_fields() {
  using s = log_settings;
  static const fields_of<s> fields{
    choice("level", &s::level, parse_log_level, "level",
           "debug, info, warn, error"),
    choice("format", &s::format, parse_log_format, "format", "text, json"),
  };
  return fields;
}

/// A URL path prefix: "" or "/a/b", made of the characters of an
/// identifier, and not one of the endpoints' own paths.
check_result check_prefix(std::string_view s) {
  if (s.empty())
    return std::nullopt;
  if (s.size() > 64)
    return "is longer than 64 characters";
  if (s.front() != '/' || s.back() == '/')
    return "expected \"\" or a path such as \"/chat\" (a leading '/', no "
           "trailing one), got "
           + in_quotes(s);
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '-' || c == '_';
    bool slash = c == '/' && i + 1 < s.size() && s[i + 1] != '/';
    bool dot = c == '.' && i > 0 && s[i - 1] != '/';
    if (!word && !slash && !dot)
      return "may hold only letters, digits, '-', '_', '.' and single '/' "
             "(no '.' after a '/'), got "
             + in_quotes(s);
  }
  // The endpoints of docs/protocol.md keep their paths.
  for (std::string_view taken : {"/v1", "/healthz", "/readyz", "/metrics"})
    if (s == taken || (s.starts_with(taken) && s[taken.size()] == '/'))
      return in_quotes(s) + " is taken by the endpoint " + std::string{taken};
  return std::nullopt;
}

const fields_of<console_settings>& console_fields() {
  using s = console_settings;
  static const fields_of<s> fields{
    flag("enabled", &s::enabled),
    text("dir", &s::dir, non_empty),
    text("prefix", &s::prefix, check_prefix),
  };
  return fields;
}

const fields_of<cluster_settings>& cluster_fields() {
  using s = cluster_settings;
  static const fields_of<s> fields{
    identifier("node_id", &s::node_id),
    // Stored with every lease; 65536 keeps the shard table small.
    integer("shards", &s::shards, 1, 65536),
    integer("lease_renew_ms", &s::lease_renew_ms, 50, 60000),
    integer("lease_expiry_ms", &s::lease_expiry_ms, 100, 600000),
    text("listen", &s::listen, check_cluster_listen),
    flag("spread", &s::spread),
    integer("expected_nodes", &s::expected_nodes, 1, 1000),
  };
  return fields;
}

template <class S>
void read_section(const toml::table& root, std::string_view name,
                  const fields_of<S>& fields, S& out, context& ctx) {
  std::span<const field<S>> all{fields};
  if (auto* node = root.get(name)) {
    if (auto* table = node->as_table())
      read_table(*table, name, all, out, ctx);
    else
      ctx.fail(ctx.at(*node, std::string{name}),
               "expected a table, got " + std::string{type_name(*node)});
  }
  apply_env(name, all, out, ctx);
}

// Checks that need two keys, after the environment had its say.
void cross_check(config& cfg, context& ctx) {
  auto& st = cfg.storage;
  if (st.backend == storage_backend::postgres && st.url.empty())
    ctx.fail(ctx.where("storage.backend"),
             "backend \"postgres\" needs storage.url");
  if (st.backend == storage_backend::sqlite && st.path.empty())
    ctx.fail(ctx.where("storage.path"),
             "must not be empty with backend \"sqlite\"");
  if (cfg.server.max_write_queue_bytes < cfg.server.max_frame_bytes)
    ctx.fail(ctx.where("server.max_write_queue_bytes"),
             "must be at least server.max_frame_bytes ("
               + std::to_string(cfg.server.max_frame_bytes)
               + "): the frame being written counts");
  if (cfg.limits.max_text_bytes >= cfg.server.max_frame_bytes)
    ctx.warn(ctx.where("limits.max_text_bytes"),
             "not below server.max_frame_bytes ("
               + std::to_string(cfg.server.max_frame_bytes)
               + "): the frame limit bounds texts first");
  if (cfg.cluster.enabled()) {
    if (st.backend != storage_backend::postgres)
      ctx.fail(ctx.where("cluster.node_id"),
               "[cluster] needs storage.backend = \"postgres\": the nodes "
               "share their leases and the log there");
    if (cfg.cluster.lease_expiry_ms < 2 * cfg.cluster.lease_renew_ms)
      ctx.fail(ctx.where("cluster.lease_expiry_ms"),
               "must be at least twice cluster.lease_renew_ms ("
                 + std::to_string(cfg.cluster.lease_renew_ms)
                 + "): a node stops serving one renewal before its lease "
                   "runs out");
    if (cfg.cluster.spread && cfg.cluster.listen.empty())
      ctx.fail(ctx.where("cluster.spread"),
               "needs cluster.listen: the nodes holding the shards reach "
               "each other there");
    if (cfg.cluster.expected_nodes > cfg.cluster.shards)
      ctx.fail(ctx.where("cluster.expected_nodes"),
               "more nodes than cluster.shards ("
                 + std::to_string(cfg.cluster.shards)
                 + "): some would hold none");
  }
  const auto& secret = cfg.auth.secret;
  if (secret.empty() && cfg.auth.secret_file.empty())
    ctx.fail(ctx.where("auth.secret"),
             "missing: set [auth] secret, [auth] secret_file or "
             "BATON_AUTH_SECRET");
  else if (is_example_secret(secret))
    ctx.fail(ctx.where("auth.secret"),
             in_quotes(secret)
               + " is an example secret: anyone could sign tokens; use "
                 "secret_file or a random one (openssl rand -hex 32)");
  else if (!secret.empty() && secret.size() < min_secret_bytes)
    ctx.fail(ctx.where("auth.secret"),
             "is " + std::to_string(secret.size()) + " bytes: at least "
               + std::to_string(min_secret_bytes) + " (openssl rand -hex 32)");
}

} // namespace

void read_settings(const toml::table& root, config& cfg, context& ctx) {
  read_section(root, "server", server_fields(), cfg.server, ctx);
  read_section(root, "auth", auth_fields(), cfg.auth, ctx);
  read_section(root, "storage", storage_fields(), cfg.storage, ctx);
  read_section(root, "routing", routing_fields(), cfg.routing, ctx);
  read_section(root, "transfer", transfer_fields(), cfg.transfer, ctx);
  read_section(root, "absence", absence_fields(), cfg.absence, ctx);
  read_section(root, "attribution", attribution_fields(), cfg.attribution, ctx);
  read_section(root, "supervision", supervision_fields(), cfg.supervision, ctx);
  read_section(root, "limits", limits_fields(), cfg.limits, ctx);
  read_section(root, "log", log_fields(), cfg.log, ctx);
  read_section(root, "console", console_fields(), cfg.console, ctx);
  read_section(root, "cluster", cluster_fields(), cfg.cluster, ctx);
  // Nodes often share one file, each naming itself in its environment.
  if (root.contains("cluster") && cfg.cluster.node_id.empty())
    ctx.fail(ctx.where("cluster.node_id"),
             "missing: set cluster.node_id or BATON_CLUSTER_NODE_ID, "
             "different on each node");
  cross_check(cfg, ctx);
}

namespace {

template <class S>
void add_env_names(std::string_view section, const fields_of<S>& fields,
                   std::vector<std::string>& out) {
  for (const auto& f : fields)
    if (f.type != kind::string_list)
      out.push_back(env_name(section, f.key));
}

/// Every variable read_settings applies, in the order of the sections.
const std::vector<std::string>& settings_env_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    add_env_names("server", server_fields(), out);
    add_env_names("auth", auth_fields(), out);
    add_env_names("storage", storage_fields(), out);
    add_env_names("routing", routing_fields(), out);
    add_env_names("transfer", transfer_fields(), out);
    add_env_names("absence", absence_fields(), out);
    add_env_names("attribution", attribution_fields(), out);
    add_env_names("supervision", supervision_fields(), out);
    add_env_names("limits", limits_fields(), out);
    add_env_names("log", log_fields(), out);
    add_env_names("console", console_fields(), out);
    add_env_names("cluster", cluster_fields(), out);
    return out;
  }();
  return names;
}

constexpr std::string_view prefix = "BATON_";

/// BATON_SERVER_SECRET or BATON_SECRET: the key is right, the section is
/// wrong or missing.
std::optional<std::string_view>
same_key_elsewhere(std::string_view name,
                   std::span<const std::string_view> known) {
  auto key_of = [](std::string_view rest) {
    auto cut = rest.find('_');
    return cut == std::string_view::npos ? std::string_view{}
                                         : rest.substr(cut + 1);
  };
  auto rest = name.substr(prefix.size());
  for (std::string_view key : {key_of(rest), rest}) {
    if (key.empty())
      continue;
    for (auto k : known)
      if (key_of(k.substr(prefix.size())) == key)
        return k;
  }
  return std::nullopt;
}

} // namespace

void check_env_names(context& ctx) {
  if (!ctx.env.names)
    return;
  const auto& all = settings_env_names();
  std::vector<std::string_view> known{all.begin(), all.end()};
  // Compared without the prefix every name shares.
  std::vector<std::string_view> rests;
  for (auto k : known)
    rests.push_back(k.substr(prefix.size()));
  for (const auto& name : ctx.env.names()) {
    if (!name.starts_with(prefix)
        || std::ranges::find(known, name) != known.end()
        || std::ranges::find(ignored_env_names(), name)
             != ignored_env_names().end())
      continue;
    std::string guess;
    if (auto same = same_key_elsewhere(name, known))
      guess = *same;
    else if (auto near = closest(std::string_view{name}.substr(prefix.size()),
                                 rests))
      guess = std::string{prefix} + std::string{*near};
    ctx.fail({std::string{env_file}, 0, name},
             guess.empty()
               ? "unknown setting: no section has such a key "
                 "(BATON_<SECTION>_<KEY>, see docs/configuration.md)"
               : "unknown setting; did you mean " + guess + "?");
  }
}

} // namespace baton::engine::config::detail
