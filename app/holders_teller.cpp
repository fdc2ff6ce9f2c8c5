#include "app/holders_teller.hpp"

#include <map>
#include <set>

#include "caf/all.hpp"

#include "actors/api.hpp"
#include "app/core_locator.hpp"
#include "log/log.hpp"

namespace baton::app {
namespace {

/// How long a directory has to give shards up: its conversations and then
/// its journal have two seconds each to store what they wrote.
constexpr std::chrono::seconds give_up_patience{5};

} // namespace

holders_teller::holders_teller(caf::actor_system& system,
                               std::string own_address,
                               std::int64_t own_incarnation,
                               std::chrono::milliseconds patience)
  : system_(system),
    own_address_(std::move(own_address)),
    own_incarnation_(own_incarnation),
    patience_(patience),
    cut_offs_(std::make_shared<cut_off_set>()),
    thread_([this] { run(); }) {
}

holders_teller::~holders_teller() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (watcher_)
    caf::anon_send_exit(*watcher_, caf::exit_reason::user_shutdown);
}

void holders_teller::serve(const caf::actor& directory) {
  {
    std::lock_guard lock{mutex_};
    directory_ = std::make_unique<caf::actor>(directory);
  }
  wake_.notify_all();
}

void holders_teller::tell(engine::storage::holder_table table) {
  {
    std::lock_guard lock{mutex_};
    latest_ = std::move(table);
    ++told_count_;
  }
  wake_.notify_all();
}

void holders_teller::run() {
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    bool newer = wake_.wait_for(lock, patience_, [this] {
      return stopping_ || (directory_ && latest_);
    });
    if (stopping_)
      return;
    if (!newer) {
      // No newer table comes while the leases live: the one told before,
      // told again over a new link, reaches a holder cut off once the link
      // is back (a cut that lasts fails here, and the votes go on).
      if (!directory_ || !last_told_ || !cut_off_now())
        continue;
      log::info("cluster: telling the table again to reach a node cut off")
        .field("version", last_told_->version);
      latest_ = *last_told_;
    }
    auto table = std::move(*latest_);
    latest_.reset();
    auto own = *directory_;
    lock.unlock();
    bool told = resolve_and_tell(table, own);
    lock.lock();
    if (told)
      last_told_ = table;
    // Not told: asked again after a pause, unless a newer one comes.
    if (!told && !latest_ && !stopping_) {
      latest_ = std::move(table);
      auto count = told_count_;
      wake_.wait_for(lock, patience_, [this, count] {
        return stopping_ || told_count_ != count;
      });
    }
  }
}

void holders_teller::give_up(std::vector<std::uint32_t> shards,
                             std::vector<std::uint64_t> epochs,
                             std::function<void(bool)> done) {
  caf::actor directory;
  {
    std::lock_guard lock{mutex_};
    if (directory_)
      directory = *directory_;
  }
  if (!directory) {
    done(false);
    return;
  }
  actors::ask_to_give_up(system_, directory, std::move(shards),
                         std::move(epochs), give_up_patience, std::move(done));
}

struct holders_teller::cut_off_set {
  std::mutex mutex;
  std::set<process> processes;
};

std::vector<holders_teller::process> holders_teller::cut_offs() const {
  std::shared_ptr<cut_off_set> current;
  {
    std::lock_guard lock{mutex_};
    current = cut_offs_;
  }
  std::lock_guard lock{current->mutex};
  return {current->processes.begin(), current->processes.end()};
}

bool holders_teller::newer_waiting() const {
  std::lock_guard lock{mutex_};
  return latest_.has_value() || stopping_;
}

bool holders_teller::cut_off_now() const {
  std::lock_guard lock{cut_offs_->mutex};
  return !cut_offs_->processes.empty();
}

void holders_teller::watch(const engine::storage::holder_table& table,
                           const std::vector<caf::actor>& holders) {
  std::map<caf::actor_addr, process> watched;
  std::vector<caf::actor> remote;
  for (std::size_t shard = 0; shard < holders.size(); ++shard)
    if (table.addresses[shard] != own_address_
        && watched
             .emplace(holders[shard].address(),
                      process{table.addresses[shard],
                              table.incarnations[shard]})
             .second)
      remote.push_back(holders[shard]);
  // What the table before was cut off from, a newer one settles.
  auto seen = std::make_shared<cut_off_set>();
  // Hidden: the node's stop waits for its actors, and this one waits for
  // nothing but a down.
  auto watcher = system_.spawn<caf::hidden>(
    [watched = std::move(watched), remote = std::move(remote),
     seen](caf::event_based_actor* self) -> caf::behavior {
      for (const auto& holder : remote)
        self->monitor(holder);
      self->set_down_handler([watched, seen](caf::down_msg& m) {
        // A directory that stopped, or a node drained or killed, is the
        // table's to move; only a broken link leaves both alive.
        auto i = watched.find(m.source);
        if (i == watched.end()
            || m.reason != caf::exit_reason::remote_link_unreachable)
          return;
        std::lock_guard lock{seen->mutex};
        seen->processes.insert(i->second);
      });
      // A monitor outlives the actor that placed it: taken back when a
      // newer table's watcher replaces this one, so that directories that
      // live on do not keep every watcher of every table told.
      self->set_exit_handler([self, remote](caf::exit_msg& m) {
        for (const auto& holder : remote)
          self->demonitor(holder);
        self->quit(m.reason);
      });
      return {[](caf::ok_atom) {}}; // nothing to answer: it only watches
    });
  std::lock_guard lock{mutex_};
  if (watcher_)
    caf::anon_send_exit(*watcher_, caf::exit_reason::user_shutdown);
  watcher_ = std::make_unique<caf::actor>(std::move(watcher));
  cut_offs_ = std::move(seen);
}

bool holders_teller::resolve_and_tell(
  const engine::storage::holder_table& table, const caf::actor& own) {
  // By address: the directory there and its process's incarnation.
  std::map<std::string, std::pair<caf::actor, std::int64_t>> found{
    {own_address_, {own, own_incarnation_}}};
  std::vector<caf::actor> holders;
  holders.reserve(table.addresses.size());
  for (std::size_t shard = 0; shard < table.addresses.size(); ++shard) {
    const auto& address = table.addresses[shard];
    auto known = found.find(address);
    if (known == found.end()) {
      if (newer_waiting())
        return false; // a look-up may take a while: the newer one first
      auto core = core_locator::find_core(system_, address, patience_);
      if (auto* why = std::get_if<std::string>(&core)) {
        log::warn("cluster: a node holding shards cannot be reached yet")
          .field("address", address)
          .field("problem", *why)
          .field("version", table.version);
        return false;
      }
      auto& c = std::get<core_locator::found_core>(core);
      known
        = found.emplace(address, std::pair{c.directory, c.incarnation}).first;
    }
    // A process that started there since the table was read holds none of
    // its shards: a newer table names it when it does.
    if (known->second.second != table.incarnations[shard]) {
      log::info("cluster: a table names a process that runs no more")
        .field("address", address)
        .field("version", table.version);
      return false;
    }
    holders.push_back(known->second.first);
  }
  watch(table, holders);
  actors::tell_holders(own, holders, table.version, table.epochs);
  told_once_ = true;
  log::info("cluster: the directories' table told")
    .field("version", table.version)
    .field("nodes", found.size());
  return true;
}

} // namespace baton::app
