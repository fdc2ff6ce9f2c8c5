#include "actors/api.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <string_view>

#include "caf/all.hpp"

#include "actors/directory/actor.hpp"
#include "actors/directory/messages.hpp"
#include "actors/messages.hpp"
#include "actors/session/hub.hpp"
#include "actors/session/local_sinks.hpp"
#include "actors/session/messages.hpp"
#include "actors/store/journal.hpp"
#include "actors/store/reader.hpp"

namespace baton::actors {

struct routing_service::impl {
  directory_actor directory;
  std::vector<session_hub_actor> hubs;
  journal_actor journal;
  reader_actor reader;
  std::shared_ptr<routing_metrics> metrics;
  /// Where a reload's configuration waits for the directory.
  std::shared_ptr<runtime_source> source;
  std::size_t recovered = 0;
  /// The directory is another node's: not ours to reload or stop.
  bool remote = false;

  /// A user's sessions all go through one hub: its requests keep their
  /// order, and its connect, requests and disconnect meet one sink table.
  const session_hub_actor& hub_of(const caller& who) const {
    auto key = std::hash<std::string_view>{}(who.user)
               ^ static_cast<std::size_t>(who.role);
    return hubs[key % hubs.size()];
  }
};

namespace {

engine::time_ms epoch_offset(caf::actor_system& system) {
  using namespace std::chrono;
  auto wall
    = duration_cast<milliseconds>(system_clock::now().time_since_epoch());
  auto steady
    = duration_cast<milliseconds>(system.clock().now().time_since_epoch());
  return (wall - steady).count();
}

} // namespace

routing_service::routing_service(
  caf::actor_system& system, std::shared_ptr<const engine::config::config> cfg,
  service_options options)
  : impl_(std::make_unique<impl>()) {
  std::vector<std::string> queue_ids;
  for (const auto& q : cfg->queues)
    queue_ids.push_back(q.id);
  impl_->metrics = std::make_shared<routing_metrics>(queue_ids);
  impl_->metrics->cluster = options.cluster;
  impl_->source = std::make_shared<runtime_source>();
  auto sinks = std::make_shared<local_sinks>(system.node());
  auto rt = std::make_shared<runtime>(runtime{std::move(cfg), 0, impl_->source,
                                              epoch_offset(system),
                                              options.seed, impl_->metrics});
  rt->sinks = sinks;
  rt->lease_holds = std::move(options.lease_holds);
  recover_conversations recovered;
  bool shared = options.shared_shards > 0;
  if (options.store) {
    // Read before the journal starts: the store has one user at a time.
    // Sharing the shards, the directory reads those it is given itself.
    if (!shared)
      options.store->load_open([&](engine::storage::conversation_log&& c) {
        recovered.logs.push_back(std::move(c));
      });
    const auto& storage = rt->cfg->storage;
    impl_->journal = spawn_journal(
      system, journal_options{options.store, storage.group_commit_ms,
                              storage.retention_days, rt->metrics});
    rt->journal = impl_->journal;
    impl_->reader = spawn_reader(
      system, reader_options{options.store->open_reader(), rt->metrics});
    rt->reader = impl_->reader;
  }
  impl_->directory
    = shared
        ? spawn_directory(system, std::move(rt),
                          engine::cluster::shard_set{options.shared_shards, {}})
        : spawn_directory(system, std::move(rt));
  // A request passed on to another node that dies is answered in time.
  auto patience = shared ? std::chrono::milliseconds{holder_patience}
                         : std::chrono::milliseconds{0};
  // One hub per worker: with one, every request and reply of the node
  // waits for one actor (docs/benchmarks.md, "Through the hub").
  auto hubs = options.hubs != 0
                ? options.hubs
                : std::max<std::size_t>(1, system.scheduler().num_workers());
  for (std::size_t i = 0; i < hubs; ++i)
    impl_->hubs.push_back(
      spawn_session_hub(system, impl_->directory, sinks, patience));
  impl_->recovered = recovered.logs.size();
  if (!recovered.logs.empty()) {
    // Waits until the directory has told every queue and agent: requests
    // that come after find the conversations where they were.
    caf::scoped_actor self{system};
    self->request(impl_->directory, caf::infinite, std::move(recovered))
      .receive([](bool) {}, [](const caf::error&) {});
  }
}

routing_service::routing_service(
  caf::actor_system& system, std::shared_ptr<const engine::config::config> cfg,
  const caf::actor& core, std::chrono::milliseconds patience,
  std::shared_ptr<cluster_metrics> cluster)
  : impl_(std::make_unique<impl>()) {
  impl_->remote = true;
  // Its gauges stay at zero: the core's node counts its conversations.
  std::vector<std::string> queue_ids;
  for (const auto& q : cfg->queues)
    queue_ids.push_back(q.id);
  impl_->metrics = std::make_shared<routing_metrics>(queue_ids);
  impl_->metrics->cluster = cluster;
  std::shared_ptr<histogram> latency;
  if (cluster)
    latency = {cluster, &cluster->relayed_request_latency};
  impl_->directory = caf::actor_cast<directory_actor>(core);
  auto sinks = std::make_shared<local_sinks>(system.node());
  auto hubs = std::max<std::size_t>(1, system.scheduler().num_workers());
  for (std::size_t i = 0; i < hubs; ++i)
    impl_->hubs.push_back(
      spawn_session_hub(system, impl_->directory, sinks, patience, latency));
}

bool routing_service::remote() const noexcept {
  return impl_->remote;
}

std::size_t routing_service::recovered() const noexcept {
  return impl_->recovered;
}

const routing_metrics& routing_service::metrics() const noexcept {
  return *impl_->metrics;
}

void tell_holders(const caf::actor& directory,
                  const std::vector<caf::actor>& holders, std::uint64_t version,
                  std::vector<std::uint64_t> epochs) {
  join_directories table;
  table.version = version;
  table.epochs = std::move(epochs);
  for (const auto& h : holders)
    table.holders.push_back(caf::actor_cast<directory_actor>(h));
  caf::anon_send(caf::actor_cast<directory_actor>(directory), std::move(table));
}

void ask_to_give_up(caf::actor_system& system, const caf::actor& directory,
                    std::vector<std::uint32_t> shards,
                    std::vector<std::uint64_t> epochs,
                    std::chrono::milliseconds patience,
                    std::function<void(bool)> done) {
  system.spawn([to = caf::actor_cast<directory_actor>(directory),
                asked = give_up_shards{std::move(shards), std::move(epochs)},
                patience,
                done = std::move(done)](caf::event_based_actor* self) mutable {
    self->request(to, patience, std::move(asked))
      .then([done](bool given) { done(given); },
            [done](const caf::error&) { done(false); });
  });
}

caf::actor routing_service::directory() const {
  return caf::actor_cast<caf::actor>(impl_->directory);
}

routing_service::~routing_service() {
  shutdown();
}

void routing_service::connect(const caller& who, sink_ptr sink, reply_fn done) {
  caf::anon_send(impl_->hub_of(who),
                 hub_connect{who, std::move(sink), std::move(done)});
}

void routing_service::disconnect(const caller& who, const sink_ptr& sink) {
  caf::anon_send(impl_->hub_of(who), hub_disconnect{who, sink});
}

void routing_service::submit(const caller& who, request r, reply_fn done) {
  caf::anon_send(impl_->hub_of(who),
                 hub_submit{who, std::move(r), std::move(done)});
}

void routing_service::reload(
  std::shared_ptr<const engine::config::config> cfg) {
  if (impl_->remote)
    return; // the core's node reloads its own configuration
  auto version = impl_->source->stage(std::move(cfg));
  caf::anon_send(impl_->directory, new_config{version});
}

void routing_service::shutdown() {
  if (impl_ && impl_->directory) {
    // Queues, agents and conversations are linked to the directory.
    if (!impl_->remote)
      caf::anon_send_exit(impl_->directory, caf::exit_reason::user_shutdown);
    impl_->directory = nullptr;
    if (impl_->remote && !impl_->hubs.empty()) {
      // The process goes on without this front: once its hubs are gone,
      // nothing calls the gateway's sessions back any more.
      caf::scoped_actor self{impl_->hubs.front()->home_system()};
      for (auto& hub : impl_->hubs) {
        self->monitor(hub);
        self->send_exit(hub, caf::exit_reason::user_shutdown);
      }
      for (std::size_t i = 0; i < impl_->hubs.size(); ++i)
        self->receive([](const caf::down_msg&) {});
    }
    for (auto& hub : impl_->hubs)
      caf::anon_send_exit(hub, caf::exit_reason::user_shutdown);
    impl_->hubs.clear();
    if (impl_->journal)
      caf::anon_send_exit(impl_->journal, caf::exit_reason::user_shutdown);
    impl_->journal = nullptr;
    if (impl_->reader)
      caf::anon_send_exit(impl_->reader, caf::exit_reason::user_shutdown);
    impl_->reader = nullptr;
  }
}

} // namespace baton::actors
