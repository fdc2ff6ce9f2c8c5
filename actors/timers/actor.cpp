#include "actors/timers/actor.hpp"

#include <algorithm>
#include <cstddef>
#include <set>
#include <vector>

#include "caf/all.hpp"

namespace baton::actors {

namespace {

using std::chrono::nanoseconds;

/// Wake-ups asked of CAF's clock are at least this far apart: under load,
/// one wake-up runs out many timers.
constexpr std::int64_t resolution_ns = 1'000'000;

/// Timers run out per message: a million due at once do not hold the
/// actor's thread from everything else.
constexpr std::size_t most_per_wake_up = 4096;

struct pending_timer {
  std::int64_t due_ns = 0;
  /// Timers due at the same time run out in the order they were set.
  std::uint64_t order = 0;
  caf::actor_addr to;
  timer_message what;
};

/// Orders the heap earliest first.
bool runs_out_later(const pending_timer& a, const pending_timer& b) {
  return a.due_ns != b.due_ns ? a.due_ns > b.due_ns : a.order > b.order;
}

struct timers_state {
  std::vector<pending_timer> heap;
  std::uint64_t next_order = 0;
  /// When the wake-ups on CAF's clock are due.
  std::multiset<std::int64_t> wake_ups;
  std::int64_t last_woken_ns = 0;
  std::shared_ptr<routing_metrics> metrics;
  static inline const char* name = "timers";
};

using self_ptr = timers_actor::stateful_pointer<timers_state>;

std::int64_t now_ns(caf::local_actor* self) {
  return nanoseconds{self->clock().now().time_since_epoch()}.count();
}

/// Makes sure a wake-up comes by the earliest timer (or one resolution
/// after the last, if that is later).
void wake_up_in_time(self_ptr self) {
  auto& st = self->state;
  if (st.heap.empty())
    return;
  auto at = std::max(st.heap.front().due_ns, st.last_woken_ns + resolution_ns);
  if (!st.wake_ups.empty() && *st.wake_ups.begin() <= at)
    return;
  st.wake_ups.insert(at);
  auto in = at - now_ns(self);
  if (in <= 0)
    self->send(self, timers_due{at});
  else
    self->delayed_send(self, nanoseconds{in}, timers_due{at});
}

void count_pending(self_ptr self) {
  auto& st = self->state;
  if (st.metrics)
    st.metrics->timers_pending.set(static_cast<std::int64_t>(st.heap.size()));
}

void fire(self_ptr self, pending_timer& t) {
  // A conversation's or an agent's, of two interfaces: sent untyped, and
  // with no sender, which no timer's handler reads.
  auto to
    = caf::actor_cast<caf::actor>(caf::actor_cast<caf::strong_actor_ptr>(t.to));
  if (!to)
    return; // it has gone: nobody to tell
  std::visit([&](auto& what) { caf::anon_send(to, std::move(what)); }, t.what);
}

void on_due(self_ptr self, const timers_due& w) {
  auto& st = self->state;
  if (auto i = st.wake_ups.find(w.at_ns); i != st.wake_ups.end())
    st.wake_ups.erase(i);
  auto now = now_ns(self);
  st.last_woken_ns = now;
  std::size_t fired = 0;
  while (!st.heap.empty() && st.heap.front().due_ns <= now) {
    if (fired++ == most_per_wake_up) {
      count_pending(self);
      st.wake_ups.insert(now);
      self->send(self, timers_due{now});
      return;
    }
    std::pop_heap(st.heap.begin(), st.heap.end(), runs_out_later);
    auto t = std::move(st.heap.back());
    st.heap.pop_back();
    fire(self, t);
  }
  // After a burst (a million offers out at once), the heap gives back
  // what it no longer uses.
  if (st.heap.capacity() > 4096 && st.heap.size() < st.heap.capacity() / 4)
    st.heap.shrink_to_fit();
  count_pending(self);
  wake_up_in_time(self);
}

timers_actor::behavior_type
timers_behavior(self_ptr self, std::shared_ptr<routing_metrics> metrics) {
  self->state.metrics = std::move(metrics);
  return {
    [=](arm_timer& a) {
      auto& st = self->state;
      st.heap.push_back(pending_timer{a.due_ns, st.next_order++,
                                      std::move(a.to), std::move(a.what)});
      std::push_heap(st.heap.begin(), st.heap.end(), runs_out_later);
      count_pending(self);
      wake_up_in_time(self);
    },
    [=](const timers_due& w) { on_due(self, w); },
  };
}

} // namespace

timers_actor spawn_timers(caf::local_actor* parent,
                          std::shared_ptr<routing_metrics> metrics) {
  return parent->spawn<caf::linked>(timers_behavior, std::move(metrics));
}

void start_timer(caf::local_actor* self, const timers_actor& timers,
                 std::chrono::milliseconds in, timer_message what) {
  if (!timers) {
    // No timers actor in this runtime: CAF's clock, so that the timer
    // still runs out.
    auto me = caf::actor_cast<caf::actor>(self->ctrl());
    std::visit([&](auto& t) { caf::delayed_anon_send(me, in, std::move(t)); },
               what);
    return;
  }
  auto due = now_ns(self) + nanoseconds{in}.count();
  caf::anon_send(timers, arm_timer{self->address(), due, std::move(what)});
}

} // namespace baton::actors
