#ifdef BATON_HAVE_POSTGRES

#  include "app/lease_keeper.hpp"

#  include <algorithm>

#  include "engine/cluster/clock_offset.hpp"
#  include "engine/storage/holder_table.hpp"
#  include "engine/storage/postgres_leases.hpp"
#  include "log/log.hpp"

namespace baton::app {
namespace {

using std::chrono::milliseconds;

/// How many times a renewal a standby looks for shards to claim, and how
/// often at most.
constexpr std::int64_t standby_looks = 4;
constexpr milliseconds shortest_look{10};

milliseconds standby_round(const engine::config::cluster_settings& settings) {
  return std::max(milliseconds{settings.lease_renew_ms / standby_looks},
                  shortest_look);
}

/// What `claim` answers, or nothing when it failed: the round's renewal
/// went through before it, so a failed claim is no lease lost, and the
/// next round claims again.
template <class Claim>
std::vector<engine::storage::held_shard> claimed_or_none(Claim claim) {
  try {
    return claim();
  } catch (const std::exception& e) {
    log::warn("cluster: shards could not be claimed; the next round tries "
              "again")
      .field("problem", e.what());
    return {};
  }
}

/// Spread: how long at least a node waits after its join for
/// cluster.expected_nodes to be live before it claims its share anyway
/// (lease_expiry_ms × 3 if longer).
constexpr milliseconds bring_up_patience{10000};

/// The directory's answer to an ask to give shards up.
enum giving_answer : int { not_yet, given, refused };

/// Past it, a warning: a node that takes conversations over from another
/// reads their ages and wait deadlines, stamped by the other's clock, by
/// its own, and both are off by the two clocks' difference. Under half of
/// it again, the all-clear: a clock near the line does not flap.
constexpr milliseconds clock_offset_warning{1000};
/// A renewal slower than this (one that waited on a row lock) reads the
/// database's clock too late to say anything of the offset.
constexpr milliseconds clock_read_within{200};

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
  stop_threads();
}

void lease_keeper::stop_threads() {
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

void lease_keeper::start(std::function<void()> activated, std::string address,
                         std::function<void()> serving_changed) {
  activated_ = std::move(activated);
  address_ = std::move(address);
  serving_changed_ = std::move(serving_changed);
  keeper_ = std::thread([this] { keep(); });
  watchdog_ = std::thread([this] { watch(); });
}

void lease_keeper::start_spread(
  std::function<void()> joined, std::string address,
  std::function<void(engine::storage::holder_table)> table_changed,
  give_up_fn give_up) {
  table_changed_ = std::move(table_changed);
  give_up_ = std::move(give_up);
  start(std::move(joined), std::move(address));
}

bool lease_keeper::wait_until(clock::time_point t) {
  std::unique_lock lock{mutex_};
  return !wake_.wait_until(lock, t, [this] { return stopping_; });
}

lease_keeper::clock::time_point
lease_keeper::safe_until(clock::time_point asked) const {
  // The database's lease began after the asking and runs lease_expiry_ms;
  // half a renewal less leaves room for clocks that do not quite agree.
  return asked
         + milliseconds{settings_.lease_expiry_ms
                        - settings_.lease_renew_ms / 2};
}

void lease_keeper::renew(engine::storage::postgres_leases& leases,
                         clock::time_point asked) {
  const auto& node = fence_->node();
  auto incarnation = fence_->incarnation();
  if (!joined_) {
    joined_ = leases.join(node, incarnation, settings_.lease_expiry_ms,
                          address_);
    if (!joined_) {
      log::warn("cluster: node id in use by another live process; waiting")
        .field("node", node);
      return;
    }
    fence_->renewed(safe_until(asked));
    log::info("cluster: joined").field("node", node);
    if (settings_.spread && !active_) {
      joined_at_ = clock::now();
      serve_now();
    }
    return;
  }
  auto sent = std::chrono::system_clock::now();
  auto renewed = leases.renew(node, incarnation, settings_.lease_expiry_ms,
                              clock_offset_ms_);
  metrics_->lease_renew_latency.observe(
    std::chrono::duration<double>(clock::now() - asked).count());
  if (renewed) {
    note_clock_offset(sent, std::chrono::system_clock::now(),
                      renewed->database_now_ms);
    live_nodes_ = renewed->live_nodes;
  }
  if (renewed && (!active_ || renewed->shards_held >= fence_->held())) {
    fence_->renewed(safe_until(asked));
    return;
  }
  metrics_->lease_renew_failures.add(1);
  if (active_)
    fence_->lose(renewed ? "another node holds this node's shards"
                         : "the lease could not be renewed: it ran out, or "
                           "the other nodes voted this node down");
  else
    joined_ = false; // a standby just joins again
}

/// This node's clock less the database's at the renewal, for /metrics and
/// a warning past clock_offset_warning.
void lease_keeper::note_clock_offset(
  std::chrono::system_clock::time_point sent,
  std::chrono::system_clock::time_point received,
  engine::time_ms database_now_ms) {
  auto unix_ms = [](std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<milliseconds>(t.time_since_epoch())
      .count();
  };
  if (received - sent > clock_read_within)
    return;
  auto offset = milliseconds{engine::cluster::clock_offset_ms(
    unix_ms(sent), unix_ms(received), database_now_ms)};
  metrics_->clock_offset_ms.set(offset.count());
  metrics_->clock_offsets_read.add(1);
  clock_offset_ms_ = offset.count(); // written with the next renewal
  auto off = offset >= milliseconds{0} ? offset : -offset;
  if (!clock_warned_ && off > clock_offset_warning) {
    clock_warned_ = true;
    log::warn("cluster: this node's clock differs from the database's")
      .field("offset_ms", static_cast<std::int64_t>(offset.count()))
      .field("node", fence_->node());
  } else if (clock_warned_ && off < clock_offset_warning / 2) {
    clock_warned_ = false;
    log::info("cluster: this node's clock agrees with the database's again")
      .field("offset_ms", static_cast<std::int64_t>(offset.count()));
  }
}

void lease_keeper::claim(engine::storage::postgres_leases& leases) {
  auto claimed = claimed_or_none([&] {
    return leases.claim_all(fence_->node(), fence_->incarnation(),
                            claim_wait().count());
  });
  if (claimed.empty())
    return;
  fence_->hold(claimed);
  metrics_->shards_held.set(static_cast<std::int64_t>(fence_->held()));
  metrics_->takeovers.add(1);
  log::info("cluster: this node serves now")
    .field("node", fence_->node())
    .field("shards", claimed.size());
  serve_now();
}

void lease_keeper::serve_now() {
  {
    std::lock_guard lock{mutex_};
    active_ = true;
  }
  wake_.notify_all(); // the watchdog starts watching
  activated_();
}

void lease_keeper::hold(std::span<const engine::storage::held_shard> held) {
  auto before = fence_->held();
  fence_->hold(held);
  // Also when a write taught the fence them first (a claim whose answer
  // was lost): the count is the fence's.
  metrics_->shards_held.set(static_cast<std::int64_t>(fence_->held()));
  if (held.size() <= before)
    return;
  metrics_->takeovers.add(1);
  log::info("cluster: claimed shards")
    .field("node", fence_->node())
    .field("held", held.size())
    .field("new", held.size() - before);
}

void lease_keeper::spread_round(engine::storage::postgres_leases& leases) {
  if (!claiming_)
    return;
  auto owners = leases.shards();
  // A cluster coming up (no live node holds a shard: its first start, or
  // all of it started again) waits for its nodes to share the shards: the
  // first alone would claim them all and keep them while the others join.
  // A running cluster's nodes claim at once what a node left behind.
  bool coming_up = std::none_of(owners.begin(), owners.end(),
                                [](const auto& s) { return s.owner_live; });
  auto bring_up = std::max(milliseconds{3 * settings_.lease_expiry_ms},
                           bring_up_patience);
  if (!coming_up
      || live_nodes_ >= static_cast<std::size_t>(settings_.expected_nodes)
      || clock::now() >= joined_at_ + bring_up) {
    auto before = fence_->held();
    hold(claimed_or_none([&] {
      return leases.claim_share(fence_->node(), fence_->incarnation(),
                                claim_wait().count());
    }));
    if (fence_->held() != before)
      owners = leases.shards();
  }
  if (even_out(leases, coming_up) == evening::released)
    owners = leases.shards();
  auto table = engine::storage::holders_of(
    owners, static_cast<std::uint32_t>(settings_.shards));
  if (!table || table->version <= table_told_)
    return;
  table_told_ = table->version;
  table_changed_(std::move(*table));
}

lease_keeper::evening
lease_keeper::even_out(engine::storage::postgres_leases& leases,
                       bool coming_up) {
  if (giving_answer_) {
    switch (giving_answer_->load()) {
      case not_yet:
        return evening::nothing;
      case refused:
        giving_answer_.reset(); // asked again next round
        return evening::nothing;
      default:
        break;
    }
    // Freed only now: the directory stopped their actors and its journal
    // stored every write to them, so no write of this node's is fenced.
    // The fence first: should the database's answer be lost after its
    // commit, the next renewal must not find the fence holding more than
    // the database says (asked again, the release changes nothing more).
    fence_->release(giving_);
    leases.release_shards(fence_->node(), fence_->incarnation(), giving_);
    metrics_->shards_held.set(static_cast<std::int64_t>(fence_->held()));
    metrics_->shards_given_up.add(static_cast<std::int64_t>(giving_.size()));
    log::info("cluster: gave shards up to even the cluster out")
      .field("node", fence_->node())
      .field("shards", giving_.size())
      .field("held", fence_->held());
    giving_.clear();
    giving_answer_.reset();
    return evening::released;
  }
  if (giving_.empty()) {
    if (coming_up || table_told_ == 0 || !give_up_)
      return evening::nothing;
    // Live as of now, after this round's claim: the renewal's count may be
    // a node that left since, and giving up against it, claiming back
    // against the next, would move shards back and forth.
    auto members = leases.members();
    auto live = static_cast<std::size_t>(
      std::count_if(members.begin(), members.end(),
                    [](const auto& m) { return m.lease_left_ms > 0; }));
    if (live == 0)
      return evening::nothing;
    // As baton_claim_share counts it: a node with fewer claims up to it.
    auto share = (static_cast<std::size_t>(settings_.shards) + live - 1) / live;
    auto held = fence_->held_shards();
    if (held.size() <= share)
      return evening::nothing;
    giving_.assign(held.end()
                     - static_cast<std::ptrdiff_t>(held.size() - share),
                   held.end());
  }
  std::vector<std::uint64_t> epochs;
  for (auto shard : giving_) {
    auto epoch = fence_->epoch_of(shard);
    if (!epoch) { // lost meanwhile: nothing to give
      giving_.clear();
      return evening::nothing;
    }
    epochs.push_back(*epoch);
  }
  // A table told meanwhile names this node for them at the epochs given
  // up at: the directory does not take them back from it (still_moving).
  giving_answer_ = std::make_shared<std::atomic<int>>(not_yet);
  give_up_(giving_, std::move(epochs), [answer = giving_answer_](bool done) {
    answer->store(done ? given : refused);
  });
  return evening::nothing;
}

void lease_keeper::cast_votes(engine::storage::postgres_leases& leases) {
  auto cut_off = cut_offs_ ? cut_offs_() : std::vector<process>{};
  metrics_->nodes_cut_off.set(static_cast<std::int64_t>(cut_off.size()));
  std::erase_if(voted_, [&](const process& p) {
    return std::find(cut_off.begin(), cut_off.end(), p) == cut_off.end();
  });
  for (const auto& p : cut_off) {
    const auto& [address, incarnation] = p;
    bool down = false;
    try {
      down = leases.vote_down(fence_->node(), fence_->incarnation(), address,
                              incarnation, settings_.lease_expiry_ms);
    } catch (const std::exception& e) {
      // Cast again at the next round; the renewal went through already.
      log::warn("cluster: a vote could not be cast")
        .field("address", address)
        .field("problem", e.what());
      return;
    }
    if (down) {
      metrics_->votes_down.add(1);
      log::warn("cluster: cut off from a live node; it is voted down")
        .field("address", address)
        .field("incarnation", incarnation);
    } else if (voted_.insert(p).second) {
      log::info("cluster: cut off from a node; voting it down while the link "
                "stays broken")
        .field("address", address)
        .field("incarnation", incarnation);
    }
  }
}

std::optional<engine::storage::serving_node> lease_keeper::serving() const {
  std::lock_guard lock{mutex_};
  if (!serving_)
    return std::nullopt;
  return *serving_;
}

void lease_keeper::look_who_serves(engine::storage::postgres_leases& leases) {
  auto now = leases.serving();
  {
    std::lock_guard lock{mutex_};
    bool same = now ? serving_ && *serving_ == *now : !serving_;
    if (same)
      return;
    serving_ = now ? std::make_shared<const engine::storage::serving_node>(*now)
                   : nullptr;
  }
  serving_changed_();
}

void lease_keeper::keep() {
  std::unique_ptr<engine::storage::postgres_leases> leases;
  std::size_t failures = 0;
  // Rounds at a fixed rate from when each was asked, however long the
  // database took to answer the last.
  auto round = clock::now();
  do {
    try {
      if (!leases) {
        leases = std::make_unique<engine::storage::postgres_leases>(url_);
        leases->limit_statements(settings_.lease_expiry_ms
                                 - settings_.lease_renew_ms);
        leases->prepare(static_cast<std::uint32_t>(settings_.shards));
      }
      renew(*leases, round);
      if (settings_.spread && joined_) {
        cast_votes(*leases);
        spread_round(*leases);
      }
      if (!settings_.spread && joined_ && !active_)
        claim(*leases);
      if (joined_ && !active_ && serving_changed_)
        look_who_serves(*leases);
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
    round = std::max(round + round_length(), clock::now());
  } while (wait_until(round));
}

milliseconds lease_keeper::round_length() const {
  // A standby, and a node spreading the shards, looks for shards to claim
  // several times a renewal, so a handover (SIGTERM) is taken within a
  // fraction of it and a dead node's shards soon after its lease ran out;
  // it renews at each look too, a cheap UPDATE of one row.
  if (active_ && !settings_.spread)
    return milliseconds{settings_.lease_renew_ms};
  return standby_round(settings_);
}

milliseconds lease_keeper::claim_wait() const {
  // A standby's round: a claim that waits on the writes of a node slow to
  // hand over holds the next renewal up by a round for each lock it waits
  // on, and by its statement limit at most.
  return standby_round(settings_);
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
  stop_threads();
  try {
    engine::storage::postgres_leases leases(
      url_, engine::storage::postgres_leases::access::tables_exist);
    leases.limit_statements(settings_.lease_expiry_ms);
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
