#include "actors/queue/state.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "log/log.hpp"

/// The queue's two ticks: one timer for every wait deadline, and one walk
/// of the line per `routing.position_update_ms` to tell customers their
/// places.
namespace baton::actors::queue_impl {

/// One timer per queue for every wait timeout, set for the soonest deadline:
/// not one pending timer per conversation. A wait counts from entering this
/// queue, so a transferred conversation gets its full wait here too.
void arm_wait_tick(self_ptr self) {
  auto& st = self->state;
  if (st.wait_tick_pending || st.deadlines.empty())
    return;
  auto due = st.deadlines.begin()->first - now_ms(self, *st.rt);
  st.wait_tick_pending = true;
  self->delayed_send(self, as_duration(std::max<engine::duration_ms>(due, 0)),
                     wait_tick{});
}

void on_wait_tick(self_ptr self) {
  auto& st = self->state;
  st.wait_tick_pending = false;
  auto now = now_ms(self, *st.rt);
  while (!st.deadlines.empty() && st.deadlines.begin()->first <= now) {
    const auto& conversation = *st.deadlines.begin()->second;
    log::debug({"queue", st.cfg.id}, "wait expired")
      .field("conversation", conversation);
    auto& w = st.waiters.at(conversation);
    const auto* entry = st.waiting.find(conversation);
    auto why = grounds(st, w, entry != nullptr ? entry->topic : std::string{});
    auto id = conversation;
    st.deadlines.erase(st.deadlines.begin());
    w.deadline = st.deadlines.end();
    send_to(self, id, w.handle, wait_timer{false, std::move(why)});
  }
  arm_wait_tick(self);
}

/// Tells the conversation where it stands, when it moved enough since its
/// customer last heard (engine::worth_telling).
void tell_place(self_ptr self, const std::string& conversation, waiter& w,
                std::size_t position) {
  engine::line_place now{
    static_cast<std::int64_t>(position),
    engine::estimated_wait_s(position, self->state.speed).value_or(-1)};
  if (!engine::worth_telling(w.told, now))
    return;
  w.told = now;
  send_to(self, conversation, w.handle, line_position{now});
}

/// The queue bounds its estimated wait (max_estimated_wait_s), and the one
/// at `position` is past it. An unknown estimate is never too long.
bool too_long_to_wait(const queue_actor_state& st, std::size_t position) {
  if (st.cfg.max_estimated_wait_s <= 0)
    return false;
  auto estimate = engine::estimated_wait_s(position, st.speed);
  return estimate && *estimate > st.cfg.max_estimated_wait_s;
}

namespace {

/// At most this many entries are walked to place an arrival that is not at
/// the tail (a higher priority, or an age kept from an earlier queue): one
/// arrival costs no walk of a long line. Past it, the next position tick
/// tells the place.
constexpr std::size_t max_walked_on_arrival = 1000;

/// An arrival of one age with others that came in the same millisecond
/// stands among the last few (a line breaks that tie by id): looked for
/// this far from the tail first.
constexpr std::size_t max_walked_from_tail = 32;

} // namespace

/// Where the arrival `conversation` stands: exact within
/// max_walked_from_tail of the tail or max_walked_on_arrival of the head;
/// otherwise a lower bound, `exact` false.
std::size_t arrival_position(const engine::waiting_list& line,
                             const std::string& conversation, bool& exact) {
  exact = true;
  std::size_t behind = 0;
  bool near_tail = false;
  line.for_each_from_tail([&](const engine::waiting_list::entry& e) {
    near_tail = e.conversation == conversation;
    return !near_tail && ++behind < max_walked_from_tail;
  });
  if (near_tail)
    return line.size() - behind;
  std::size_t position = 0;
  bool found = false;
  line.for_each([&](const engine::waiting_list::entry& e) {
    ++position;
    found = e.conversation == conversation;
    return !found && position < max_walked_on_arrival;
  });
  exact = found;
  return found ? position : position + 1;
}

/// One walk of the line per `routing.position_update_ms` while anyone
/// waits: not one message per waiting customer per change of the line.
void arm_position_tick(self_ptr self) {
  auto& st = self->state;
  if (st.position_tick_pending || st.waiting.empty())
    return;
  st.position_tick_pending = true;
  self->delayed_send(self, as_duration(st.rt->cfg->routing.position_update_ms),
                     position_tick{});
}

void on_position_tick(self_ptr self) {
  auto& st = self->state;
  st.position_tick_pending = false;
  if (st.retired)
    return;
  std::size_t position = 0;
  st.waiting.for_each([&](const engine::waiting_list::entry& e) {
    tell_place(self, e.conversation, st.waiters.at(e.conversation), ++position);
    return true;
  });
  arm_position_tick(self);
}

} // namespace baton::actors::queue_impl
