#include "app/server.hpp"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <thread>

#include <signal.h>
#include <unistd.h>

#include <mimalloc.h>

#include "caf/all.hpp"
#include "caf/io/middleman.hpp"

#include "actors/api.hpp"
#include "actors/metrics.hpp"
#include "actors/scheduler.hpp"
#include "actors/wire/registry.hpp"
#include "app/core_locator.hpp"
#include "app/holders_teller.hpp"
#include "app/lease_keeper.hpp"
#include "app/relay.hpp"
#include "engine/config/changes.hpp"
#include "engine/config/secret_file.hpp"
#include "engine/storage/shard_fence.hpp"
#include "engine/storage/store.hpp"
#include "gateway/server/server.hpp"
#include "log/fatal_signals.hpp"
#include "log/log.hpp"

namespace baton::app {
namespace {

std::size_t scheduler_threads(const engine::config::config& cfg) {
  if (cfg.server.threads > 0)
    return cfg.server.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

/// Blocks until SIGTERM, SIGINT or SIGHUP. The signals are blocked in every
/// thread (set before any thread starts), so only this wait sees them.
int wait_for_signal(const sigset_t& signals) {
  int sig = 0;
  sigwait(&signals, &sig);
  return sig;
}

/// As wait_for_signal, for at most `most`: 0 when none came.
int wait_for_signal(const sigset_t& signals, std::chrono::milliseconds most) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(most);
  timespec limit{static_cast<time_t>(s.count()),
                 static_cast<long>((most - s).count() * 1000000)};
  int sig = sigtimedwait(&signals, nullptr, &limit);
  return sig < 0 ? 0 : sig;
}

using config_ptr = std::shared_ptr<const engine::config::config>;

/// A PostgreSQL connection string with its password left out, URL
/// (`postgresql://user:secret@host/db`) or keywords (`password=secret`).
std::string without_password(std::string url) {
  if (auto scheme = url.find("://"); scheme != std::string::npos) {
    auto at = url.find('@', scheme);
    auto colon = url.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at)
      url.erase(colon, at - colon);
  }
  for (auto p = url.find("password="); p != std::string::npos;
       p = url.find("password=")) {
    auto end = url.find(' ', p);
    url.erase(p, end == std::string::npos ? std::string::npos : end - p + 1);
  }
  return url;
}

/// Where the store keeps its data, for the start-up line: the database
/// file, or the PostgreSQL connection without its password.
std::string storage_location(const engine::config::storage_settings& s) {
  using engine::config::storage_backend;
  switch (s.backend) {
    case storage_backend::sqlite:
      return std::filesystem::absolute(s.path).string();
    case storage_backend::memory:
      return "memory (nothing is kept)";
    default:
      return without_password(s.url);
  }
}

void set_up_log(const engine::config::log_settings& s) {
  using engine::config::log_format;
  using engine::config::log_level;
  auto lowest = s.level == log_level::debug  ? log::level::debug
                : s.level == log_level::info ? log::level::info
                : s.level == log_level::warn ? log::level::warn
                                             : log::level::error;
  log::setup(lowest, s.format == log_format::json ? log::format::json
                                                  : log::format::text);
}

/// `host:0` with the port actually bound.
std::string with_port(const std::string& listen, std::uint16_t port) {
  auto colon = listen.rfind(':');
  return (colon == std::string::npos ? listen : listen.substr(0, colon)) + ":"
         + std::to_string(port);
}

/// SIGHUP: reads and validates the file again. A file with any error changes
/// nothing. Listener and storage settings cannot change while running: the
/// running ones stay, and a change to them is logged as needing a restart.
config_ptr reload(const std::string& path, const config_ptr& running) {
  log::info("reloading").field("config", path);
  auto result = engine::config::load_file(path);
  for (const auto& w : result.warnings)
    log::warn("configuration").field("problem", w.to_string());
  for (const auto& e : result.errors)
    log::error("configuration").field("problem", e.to_string());
  if (!result.ok()) {
    log::error("reload refused: the running configuration stays")
      .field("config", path)
      .field("errors", result.errors.size());
    return nullptr;
  }
  auto next = std::move(*result.value);
  if (auto problem = engine::config::resolve_secret_file(next, false);
      !problem.empty()) {
    log::error("reload refused: the running configuration stays")
      .field("problem", problem);
    return nullptr;
  }
  const auto& now = *running;
  if (next.server.listen != now.server.listen
      || next.server.threads != now.server.threads)
    log::warn("server.listen and server.threads take effect at the next "
              "restart");
  if (!(next.storage == now.storage))
    log::warn("[storage] takes effect at the next restart");
  if (!(next.cluster == now.cluster))
    log::warn("[cluster] takes effect at the next restart");
  next.server.listen = now.server.listen;
  next.server.threads = now.server.threads;
  next.storage = now.storage;
  next.cluster = now.cluster;
  return std::make_shared<const engine::config::config>(std::move(next));
}

/// This node in its cluster: its fence, its lease keeper, what they count.
struct cluster_node {
  std::shared_ptr<engine::storage::shard_fence> fence;
  std::shared_ptr<actors::cluster_metrics> metrics;
  std::unique_ptr<lease_keeper> keeper;
};

/// Tells this process from an earlier one of the same node id.
std::int64_t new_incarnation() {
  std::random_device random;
  auto high = static_cast<std::int64_t>(random() & 0x7fffffff);
  return (high << 32) | random();
}

/// This node's fence, what it counts and its lease keeper, not started.
void make_cluster_node(cluster_node& node, const engine::config::config& cfg,
                       std::int64_t incarnation) {
  const auto& c = cfg.cluster;
  node.fence = std::make_shared<engine::storage::shard_fence>(
    c.node_id, incarnation, static_cast<std::uint32_t>(c.shards));
  node.fence->on_lost([](const std::string& why) {
    // Another node may be taking over: not one more write or reply.
    log::error("cluster: this node stops at once").field("problem", why);
    std::_Exit(exit_lease_lost);
  });
  node.metrics = std::make_shared<actors::cluster_metrics>();
  node.keeper = std::make_unique<lease_keeper>(c, cfg.storage.url, node.fence,
                                               node.metrics);
}

/// Waits for the keeper's SIGUSR1: true then; false when a stopping signal
/// came first. A reload meanwhile is read now and used once serving;
/// `other` hears every other signal (SIGUSR2, or 0 for `most` passed).
bool wait_to_serve(const sigset_t& signals, const std::string& config_path,
                   config_ptr& cfg,
                   const std::function<std::chrono::milliseconds()>& most,
                   const std::function<void(int)>& other) {
  auto next_signal = [&] {
    auto limit = most ? most() : std::chrono::milliseconds{0};
    return limit.count() > 0 ? wait_for_signal(signals, limit)
                             : wait_for_signal(signals);
  };
  for (int sig = next_signal(); sig != SIGUSR1; sig = next_signal()) {
    if (sig == SIGUSR2 || sig == 0) {
      other(sig);
      continue;
    }
    if (sig != SIGHUP)
      return false;
    if (auto next = reload(config_path, cfg)) {
      cfg = std::move(next);
      other(SIGHUP);
    }
  }
  return true;
}

/// Waits until `teller` told the directory a table: 0 then, or the
/// stopping signal that came first. A reload asked meanwhile is asked again
/// once it has.
int wait_for_table(const holders_teller& teller, const sigset_t& signals) {
  bool reload_asked = false;
  while (!teller.told()) {
    int sig = wait_for_signal(signals, std::chrono::milliseconds{50});
    if (sig == SIGTERM || sig == SIGINT)
      return sig;
    reload_asked = reload_asked || sig == SIGHUP;
  }
  if (reload_asked)
    kill(getpid(), SIGHUP);
  return 0;
}

/// Joins a cluster that spreads the shards (cluster.spread): the node
/// serves from its join on, holding no shard until a table of holders its
/// keeper reads gives it some (told through `teller`). True once joined;
/// false when a signal stopped it first.
bool join_spread(cluster_node& node, std::int64_t incarnation,
                 const sigset_t& signals, const std::string& config_path,
                 config_ptr& cfg, const core_locator& locator,
                 holders_teller& teller) {
  make_cluster_node(node, *cfg, incarnation);
  // The keeper stops before the teller goes.
  node.keeper->take_cut_offs_from([&teller] { return teller.cut_offs(); });
  log::info("cluster: joining; the shards are spread over the live nodes")
    .field("node", cfg->cluster.node_id)
    .field("shards", cfg->cluster.shards)
    .field("expected_nodes", cfg->cluster.expected_nodes);
  node.keeper->start_spread(
    [] { kill(getpid(), SIGUSR1); }, locator.address(),
    [&teller](engine::storage::holder_table table) {
      teller.tell(std::move(table));
    },
    [&teller](std::vector<std::uint32_t> shards,
              std::vector<std::uint64_t> epochs,
              std::function<void(bool)> done) {
      teller.give_up(std::move(shards), std::move(epochs), std::move(done));
    });
  if (wait_to_serve(signals, config_path, cfg, {}, [](int) {}))
    return true;
  node.keeper->leave();
  return false;
}

/// Joins the cluster and stands by until this node holds every shard:
/// true then; false when a signal stopped it first. A reload while standing
/// by is read now and used once serving. With a `locator` (cluster.listen),
/// the node relays its clients to the serving node meanwhile.
bool stand_by(cluster_node& node, std::int64_t incarnation,
              const sigset_t& signals, const std::string& config_path,
              config_ptr& cfg, caf::actor_system& system,
              const core_locator* locator) {
  // A copy: a reload replaces `cfg` (its [cluster] stays as it was).
  const auto c = cfg->cluster;
  make_cluster_node(node, *cfg, incarnation);
  log::info("cluster: standing by until this node holds the shards")
    .field("node", c.node_id)
    .field("shards", c.shards)
    .field("relay", locator != nullptr);
  // SIGUSR2: the serving node changed, or the core relayed to went away.
  auto look_again = [] { kill(getpid(), SIGUSR2); };
  std::optional<relay> relaying;
  if (locator != nullptr)
    relaying.emplace(system, cfg, look_again, node.metrics);
  node.keeper->start([] { kill(getpid(), SIGUSR1); },
                     locator ? locator->address() : std::string{},
                     locator ? std::function<void()>{look_again} : nullptr);
  // A relay that could not reach the core tries again each renewal.
  auto most = [&] {
    return relaying && relaying->should_retry()
             ? std::chrono::milliseconds{c.lease_renew_ms}
             : std::chrono::milliseconds{0};
  };
  auto other = [&](int sig) {
    if (!relaying)
      return;
    if (sig == SIGHUP)
      relaying->reload(cfg);
    else if (!node.keeper->active())
      // Once this node holds the shards, SIGUSR1 is on its way: no relay.
      relaying->follow(node.keeper->serving());
  };
  if (!wait_to_serve(signals, config_path, cfg, most, other)) {
    relaying.reset();
    node.keeper->leave();
    return false;
  }
  // This node serves now: its relay's sessions reconnect, here or elsewhere.
  relaying.reset();
  return true;
}

/// Tells the other nodes' relays where this node's core is. Null when the
/// node takes no calls from them (no cluster.listen).
std::unique_ptr<core_locator> publish_locator(const engine::config::config& cfg,
                                              caf::actor_system& system) {
  if (!cfg.cluster.enabled() || cfg.cluster.listen.empty())
    return nullptr;
  auto locator = std::make_unique<core_locator>(system, cfg.cluster.listen);
  log::info("cluster: taking the other nodes' calls")
    .field("address", locator->address());
  return locator;
}

/// CAF's middleman, for a node that talks to other nodes, with heartbeats:
/// by default a dead peer is noticed only when TCP gives up, minutes later.
void load_middleman(const engine::config::config& cfg,
                    caf::actor_system_config& caf_cfg) {
  if (!cfg.cluster.enabled() || cfg.cluster.listen.empty())
    return;
  caf_cfg.load<caf::io::middleman>();
  caf_cfg.set(
    "middleman.heartbeat-interval",
    caf::timespan{std::chrono::milliseconds{cfg.cluster.lease_renew_ms}});
  // Longer than a lease: the database, not the link, says who is alive; a
  // link lagging for a moment must not cut every relayed session at once.
  caf_cfg.set(
    "middleman.connection-timeout",
    caf::timespan{std::chrono::milliseconds{3 * cfg.cluster.lease_expiry_ms}});
}

} // namespace

int serve(const engine::config::config& cfg, const std::string& config_path) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGHUP);
  sigaddset(&stop, SIGUSR1); // the lease keeper: this node serves now
  sigaddset(&stop, SIGUSR2); // the lease keeper or relay: look again
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  set_up_log(cfg.log);
  log::report_fatal_signals();
  log::info("starting")
    .field("version", BATON_VERSION)
    .field("config", config_path)
    .field("mimalloc", mi_version());

  auto shared = std::make_shared<const engine::config::config>(cfg);
  caf::actor_system_config caf_cfg;
  actors::configure_scheduler(caf_cfg, scheduler_threads(cfg));
  actors::add_message_types(caf_cfg);
  load_middleman(cfg, caf_cfg);
  caf::actor_system system{caf_cfg};
  std::unique_ptr<core_locator> locator;
  try {
    locator = publish_locator(cfg, system);
  } catch (const std::exception& e) {
    log::error("cannot listen").field("problem", e.what());
    return 1;
  }
  // Before the node: its keeper tells it tables until it stops.
  const auto incarnation = new_incarnation();
  std::unique_ptr<holders_teller> teller;
  if (cfg.cluster.enabled() && cfg.cluster.spread)
    teller = std::make_unique<holders_teller>(
      system, locator->address(), incarnation,
      std::chrono::milliseconds{cfg.cluster.lease_expiry_ms});
  cluster_node clustered;
  if (cfg.cluster.enabled()) {
#ifdef BATON_HAVE_POSTGRES
    bool joined = teller ? join_spread(clustered, incarnation, stop,
                                       config_path, shared, *locator, *teller)
                         : stand_by(clustered, incarnation, stop, config_path,
                                    shared, system, locator.get());
    if (!joined) {
      locator.reset();
      log::info("stopped");
      return 0;
    }
#else
    log::error("[cluster] needs PostgreSQL: this build has no libpq");
    return 1;
#endif
  }

  std::shared_ptr<engine::storage::store> store;
  try {
    store = engine::storage::open_store(cfg.storage, clustered.fence);
  } catch (const std::exception& e) {
    log::error("storage cannot open").field("problem", e.what());
    return 1;
  }
  {
    actors::service_options options;
    options.store = store;
    options.cluster = clustered.metrics;
    if (clustered.fence)
      options.lease_holds = [fence = clustered.fence] {
        return engine::storage::shard_fence::clock::now() < fence->safe_until();
      };
    if (teller)
      options.shared_shards = static_cast<std::uint32_t>(cfg.cluster.shards);
    // Open conversations come back before the gateway listens, so /readyz
    // is 200 only once they are all in place.
    auto recovery_start = std::chrono::steady_clock::now();
    std::optional<actors::routing_service> service;
    try {
      service.emplace(system, shared, std::move(options));
    } catch (const std::exception& e) {
      log::error("storage cannot recover").field("problem", e.what());
      return 1;
    }
    auto& routing = *service;
    log::info("storage open")
      .field("backend", engine::config::to_string(cfg.storage.backend))
      .field("where", storage_location(cfg.storage))
      .field("recovered", routing.recovered())
      .field("ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - recovery_start)
                     .count());
    log::info("routing")
      .field("queues", cfg.queues.size())
      .field("agents", cfg.agents.size())
      .field("topics", cfg.topics.size())
      .field("threads", scheduler_threads(cfg));
    gateway::server front(shared, routing);
    try {
      front.start();
    } catch (const std::exception& e) {
      log::error("cannot listen")
        .field("listen", cfg.server.listen)
        .field("problem", e.what());
      routing.shutdown();
      locator.reset();
      system.await_all_actors_done();
      return 1;
    }
    if (locator)
      locator->serve(
        routing.directory(),
        [&routing] { return routing.metrics().store_failing(); },
        clustered.fence ? clustered.fence->incarnation() : 0);
    if (teller)
      teller->serve(routing.directory());
    if (!teller)
      front.set_ready();
    // Tests and scripts read this line to learn the port (listen = ":0").
    log::always("listening")
      .field("address", with_port(cfg.server.listen, front.port()))
      .field("port", front.port());
    auto running = shared;
    // What a standby's keeper or relay still had to say is of no use now.
    auto next_signal = [&stop] {
      int sig = wait_for_signal(stop);
      while (sig == SIGUSR1 || sig == SIGUSR2)
        sig = wait_for_signal(stop);
      return sig;
    };
    // A spread node is ready once its directory has a table to route by.
    int sig = teller ? wait_for_table(*teller, stop) : 0;
    if (sig == 0) {
      if (teller)
        front.set_ready();
      sig = next_signal();
    }
    for (; sig == SIGHUP; sig = next_signal()) {
      auto next = reload(config_path, running);
      if (!next)
        continue;
      auto changes = engine::config::describe_changes(*running, *next);
      set_up_log(next->log);
      routing.reload(next);
      front.reload(next);
      running = std::move(next);
      for (const auto& change : changes)
        log::info("reloaded").field("change", change);
      log::info("configuration reloaded").field("changes", changes.size());
    }
    if (clustered.keeper)
      clustered.keeper->stop_claiming(); // no more shards for a node leaving
    log::info("draining")
      .field("signal", sig == SIGTERM ? "SIGTERM" : "SIGINT")
      .field("timeout_ms", cfg.server.drain_timeout_ms);
    // Relays asking from now on find no core here: they wait for the next.
    if (locator)
      locator->serve({});
    // A standby serves once this node has handed its shards over: the
    // sooner sessions leave, the sooner they are served there.
    front.drain_and_stop(clustered.keeper != nullptr);
    routing.shutdown();
    locator.reset();
    // Actors may still hold sessions (sinks, reply callbacks): they must be
    // done before the gateway and its io_context go.
    system.await_all_actors_done();
  }
  system.await_all_actors_done();
  store.reset();
  if (clustered.keeper)
    clustered.keeper->leave(); // nothing more is written: a standby may go on
  log::info("stopped");
  return 0;
}

} // namespace baton::app
