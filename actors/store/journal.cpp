#include "actors/store/journal.hpp"

#include "actors/conversation/messages.hpp"

#include <chrono>
#include <utility>

#include "caf/all.hpp"

#include "log/log.hpp"

namespace baton::actors {
namespace {

/// How many closed conversations one retention step deletes: small, so that
/// commits waiting behind it are not held up for long.
constexpr std::size_t prune_batch = 200;
/// Between retention passes once nothing is left to delete.
constexpr auto prune_interval = std::chrono::minutes{1};
/// After a failed commit, the batch is tried again after this pause.
constexpr auto retry_delay = std::chrono::milliseconds{100};

} // namespace
} // namespace baton::actors

namespace baton::actors {
namespace {

struct journal_state {
  journal_options opt;
  std::vector<engine::storage::log_entry> pending;
  /// Who waits for what: one entry per append, answered after the commit.
  std::vector<std::pair<conversation_actor, std::uint64_t>> waiting;
  bool flush_scheduled = false;
  /// journal_sync asked: answered after the next commit that leaves
  /// nothing pending.
  std::vector<caf::typed_response_promise<bool>> syncs;
};

using self_ptr = journal_actor::stateful_pointer<journal_state>;

void schedule_flush(self_ptr self, std::chrono::milliseconds delay) {
  auto& st = self->state;
  if (st.flush_scheduled)
    return;
  st.flush_scheduled = true;
  if (delay.count() == 0)
    self->send(self, flush_timer{}); // after what is in the mailbox now
  else
    self->delayed_send(self, delay, flush_timer{});
}

void flush(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  if (st.pending.empty())
    return;
  try {
    st.opt.store->append(st.pending);
  } catch (const std::exception& e) {
    log::error("storage commit failed, retrying")
      .field("events", st.pending.size())
      .field("problem", e.what());
    if (st.opt.metrics)
      st.opt.metrics->store_write_failing.set(1);
    schedule_flush(self, retry_delay);
    return;
  }
  if (st.opt.metrics) {
    st.opt.metrics->store_write_failing.set(0);
    st.opt.metrics->journal_pending.add(
      -static_cast<std::int64_t>(st.pending.size()));
  }
  st.pending.clear();
  for (auto& [to, seq] : st.waiting)
    self->send(to, journal_committed{seq});
  st.waiting.clear();
  for (auto& rp : std::exchange(st.syncs, {}))
    rp.deliver(true);
}

void prune(self_ptr self) {
  auto& st = self->state;
  using namespace std::chrono;
  auto now = duration_cast<milliseconds>(system_clock::now().time_since_epoch())
               .count();
  auto cutoff = now - st.opt.retention_days * 86'400'000;
  std::size_t gone = 0;
  try {
    gone = st.opt.store->prune_closed(cutoff, prune_batch);
  } catch (const std::exception& e) {
    log::error("storage retention failed").field("problem", e.what());
  }
  if (gone == prune_batch)
    self->send(self, prune_tick{}); // more to do, behind waiting commits
  else
    self->delayed_send(self, prune_interval, prune_tick{});
}

journal_actor::behavior_type journal_behavior(self_ptr self,
                                              journal_options opt) {
  self->state.opt = std::move(opt);
  if (self->state.opt.retention_days > 0)
    self->send(self, prune_tick{});
  return {
    [=](journal_append& a) {
      auto& st = self->state;
      if (a.events.empty())
        return;
      st.waiting.emplace_back(std::move(a.from), a.events.back().seq);
      for (auto& e : a.events)
        st.pending.push_back({a.conversation, std::move(e)});
      schedule_flush(self, std::chrono::milliseconds{st.opt.group_commit_ms});
    },
    [=](flush_timer) { flush(self); },
    [=](journal_sync) -> caf::result<bool> {
      auto& st = self->state;
      if (st.pending.empty())
        return true;
      auto rp = self->make_response_promise<bool>();
      st.syncs.push_back(rp);
      schedule_flush(self, std::chrono::milliseconds{0});
      return rp;
    },
    [=](prune_tick) { prune(self); },
  };
}

} // namespace

journal_actor spawn_journal(caf::actor_system& system,
                            journal_options options) {
  return system.spawn<caf::detached>(journal_behavior, std::move(options));
}

} // namespace baton::actors
