#ifdef BATON_HAVE_POSTGRES

#  include "app/lease_keeper.hpp"

#  include "engine/storage/postgres_leases.hpp"
#  include "log/log.hpp"

namespace baton::app {
namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

} // namespace

lease_keeper::lease_keeper(const engine::config::cluster_settings& settings,
                           std::string url,
                           std::shared_ptr<engine::storage::shard_fence> fence,
                           std::shared_ptr<actors::cluster_metrics> metrics)
  : settings_(settings),
    url_(std::move(url)),
    fence_(std::move(fence)),
    metrics_(std::move(metrics)) {
}

lease_keeper::~lease_keeper() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (keeper_.joinable())
    keeper_.join();
  if (watchdog_.joinable())
    watchdog_.join();
}

void lease_keeper::start(std::function<void()> activated) {
  activated_ = std::move(activated);
  keeper_ = std::thread([this] { keep(); });
  watchdog_ = std::thread([this] { watch(); });
}

bool lease_keeper::wait_for(milliseconds d) {
  std::unique_lock lock{mutex_};
  return !wake_.wait_for(lock, d, [this] { return stopping_; });
}

void lease_keeper::renew(engine::storage::postgres_leases& leases) {
  const auto& node = fence_->node();
  auto incarnation = fence_->incarnation();
  if (!joined_) {
    joined_ = leases.join(node, incarnation, settings_.lease_expiry_ms);
    if (!joined_) {
      log::warn("cluster: node id in use by another live process; waiting")
        .field("node", node);
      return;
    }
    fence_->renewed(
      clock::now()
      + milliseconds{settings_.lease_expiry_ms - settings_.lease_renew_ms});
    log::info("cluster: joined").field("node", node);
    return;
  }
  auto asked = clock::now();
  auto left = leases.renew(node, incarnation, settings_.lease_expiry_ms);
  auto took = clock::now() - asked;
  metrics_->lease_renew_latency.observe(
    std::chrono::duration<double>(took).count());
  if (left) {
    // Counted from the asking: the database's lease began after it.
    fence_->renewed(
      asked
      + milliseconds{settings_.lease_expiry_ms - settings_.lease_renew_ms});
    return;
  }
  metrics_->lease_renew_failures.add(1);
  if (active_)
    fence_->lose("the lease ran out before it was renewed");
  else
    joined_ = false; // a standby just joins again
}

void lease_keeper::keep() {
  std::unique_ptr<engine::storage::postgres_leases> leases;
  std::size_t failures = 0;
  do {
    try {
      if (!leases) {
        leases = std::make_unique<engine::storage::postgres_leases>(url_);
        leases->prepare(static_cast<std::uint32_t>(settings_.shards));
      }
      renew(*leases);
      if (joined_ && !active_) {
        auto claimed = leases->claim_all(fence_->node(), fence_->incarnation());
        if (!claimed.empty()) {
          fence_->hold(claimed);
          metrics_->shards_held.set(static_cast<std::int64_t>(fence_->held()));
          metrics_->takeovers.add(1);
          active_ = true;
          log::info("cluster: this node serves now")
            .field("node", fence_->node())
            .field("shards", claimed.size());
          wake_.notify_all(); // the watchdog starts watching
          activated_();
        }
      }
      if (failures > 0)
        log::info("cluster: the database answers again")
          .field("failures", failures);
      failures = 0;
    } catch (const std::exception& e) {
      metrics_->lease_renew_failures.add(1);
      // The first failure of a run, then one line in ten.
      if (failures++ % 10 == 0)
        log::warn("cluster: the lease cannot be renewed")
          .field("problem", e.what())
          .field("failures", failures);
      leases.reset(); // a fresh connection next time
    }
  } while (wait_for(next_round()));
}

milliseconds lease_keeper::next_round() const {
  // A standby looks for shards to claim four times a renewal, so a handover
  // (SIGTERM) is taken within a quarter of it; it renews at each look too,
  // a cheap UPDATE of one row.
  return milliseconds{
    active_ ? settings_.lease_renew_ms
            : std::max<std::int64_t>(settings_.lease_renew_ms / 4, 10)};
}

void lease_keeper::watch() {
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    if (!active_) {
      wake_.wait(lock, [this] { return stopping_ || active_.load(); });
      continue;
    }
    auto until = fence_->safe_until();
    if (clock::now() >= until) {
      lock.unlock();
      fence_->lose("the lease was not renewed in time");
      return;
    }
    wake_.wait_until(lock, until, [this] { return stopping_; });
  }
}

void lease_keeper::leave() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (keeper_.joinable())
    keeper_.join();
  if (watchdog_.joinable())
    watchdog_.join();
  try {
    engine::storage::postgres_leases leases(url_);
    leases.release(fence_->node(), fence_->incarnation());
    fence_->release_all();
    metrics_->shards_held.set(0);
    log::info("cluster: shards handed over").field("node", fence_->node());
  } catch (const std::exception& e) {
    log::warn("cluster: cannot hand the shards over; they move when the "
              "lease runs out")
      .field("problem", e.what());
  }
}

} // namespace baton::app

#endif
