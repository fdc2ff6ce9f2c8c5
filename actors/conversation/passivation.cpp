// Passivation: a conversation that waits in a queue with nothing in flight
// leaves memory but for a compact record the directory keeps, and a new
// actor takes it up with the next message for it (docs/architecture.md,
// "Passivation"). An actor costs about 2 KiB before its state; a record,
// its log.
#include "actors/conversation/state.hpp"

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/queue/messages.hpp"

namespace baton::actors::conversation_impl {

using engine::conversation_state;

namespace {

/// Waiting in a queue, and nothing but the queue's next message can move
/// it: no offer out, no transfer or consent pending, nobody in it or
/// listening, everything stored and sent.
bool resting(const conversation_actor_state& st) {
  const auto& c = st.conv;
  return c.state() == conversation_state::queued && !st.waiting_in.empty()
         && c.open_offers().empty() && st.offered.empty()
         && !c.pending().has_value() && c.agents().empty() && st.agents.empty()
         && st.monitors.empty() && !st.requester && !st.wait_over
         && st.outbox.empty() && st.durable_seq >= c.last_seq()
         && !st.round.direct() && !st.round.wait_expired();
}

/// Still waiting: it may come to rest without a change of its own (a round
/// that ends puts it back in line), so it keeps looking.
bool may_rest(const conversation_actor_state& st) {
  auto state = st.conv.state();
  return !st.waiting_in.empty()
         && (state == conversation_state::queued
             || state == conversation_state::offered);
}

/// How long a request to sleep may take to come back. It passes through
/// the queue, the directory and the inboxes of the bot and the customer,
/// which may be another node's: one that died with the request drops it,
/// and the directory holds back what comes for the conversation meanwhile.
constexpr engine::duration_ms sleep_request_patience = 10'000;

void ask_to_sleep(self_ptr self) {
  auto& st = self->state;
  st.asked_to_sleep = true;
  st.asked_at = now_ms(self, *st.rt);
  st.idle_check_pending = true;
  set_timer(self, sleep_request_patience, idle_check{});
  st.asked_seq = st.conv.last_seq();
  st.asked_place = st.place;
  sleeping_conversation record{st.conv.id(), st.home_queue, st.waiting_in,
                               st.place, st.history};
  send_to_queue(self, st.waiting_in,
                passivate{self, std::move(record), summary_of(st)});
}

void arm_idle_check(self_ptr self, engine::duration_ms in) {
  auto& st = self->state;
  if (st.idle_check_pending || !may_rest(st))
    return;
  st.idle_check_pending = true;
  set_timer(self, in, idle_check{});
}

} // namespace

void note_change(self_ptr self) {
  auto& st = self->state;
  auto after = st.rt->cfg->routing.passivate_after_ms;
  // Not waiting (assigned, closed): its quiet time starts when it waits
  // again (enter_queue), so no clock is read on the way.
  if (after <= 0 || !may_rest(st))
    return;
  st.changed_at = now_ms(self, *st.rt);
  arm_idle_check(self, after);
}

namespace {

/// No answer in time: the request is given up as lost, and the directory
/// told the conversation stays (it lets go what it held back for it). A
/// late answer is answered the same way (on_passivation_settled).
void give_up_sleeping(self_ptr self) {
  auto& st = self->state;
  st.asked_to_sleep = false;
  self->send(st.directory, passivation_done{st.conv.id(), self, false});
  note_change(self);
}

} // namespace

void on_idle_check(self_ptr self) {
  auto& st = self->state;
  st.idle_check_pending = false;
  if (st.leaving)
    return; // out of memory soon, and not asleep
  if (st.asked_to_sleep) {
    auto waited = now_ms(self, *st.rt) - st.asked_at;
    if (waited >= sleep_request_patience)
      return give_up_sleeping(self);
    st.idle_check_pending = true;
    set_timer(self, sleep_request_patience - waited, idle_check{});
    return;
  }
  auto after = st.rt->cfg->routing.passivate_after_ms;
  if (after <= 0)
    return; // turned off by a reload
  auto quiet = now_ms(self, *st.rt) - st.changed_at;
  if (quiet >= after && resting(st))
    return ask_to_sleep(self);
  arm_idle_check(self, std::max(after - quiet, after / 10));
}

void on_passivation_settled(self_ptr self, const passivation_settled& s) {
  auto& st = self->state;
  if (!st.asked_to_sleep) {
    // The answer to a request given up as lost with the queue it went
    // through (moves.cpp): the directory holding it hears it stays awake.
    self->send(st.directory, passivation_done{st.conv.id(), self, false});
    return;
  }
  st.asked_to_sleep = false;
  if (s.refused)
    return note_change(self);
  // Whatever its queue, the directory or its customer's inbox sent it before
  // they took the request is behind it now. Nothing of it changed the
  // conversation: the record the directory holds is the conversation.
  bool unchanged = resting(st) && st.conv.last_seq() == st.asked_seq
                   && st.place == st.asked_place;
  self->send(st.directory, passivation_done{st.conv.id(), self, unchanged});
  if (unchanged) {
    self->quit();
    return;
  }
  note_change(self);
}

void on_wake(self_ptr self, sleeping_conversation& r) {
  auto& st = self->state;
  st.history = std::move(r.log);
  for (const auto& e : st.history) {
    st.conv.apply(e);
    if (const auto* j = std::get_if<engine::participant_joined>(&e.body);
        j != nullptr && j->who.role != engine::role::customer)
      st.past_agents.insert(j->who.id);
  }
  st.durable_seq = st.conv.last_seq();
  // It entered the queue it sleeps in when it last queued (nothing else
  // sleeps): its wait counts from there if that queue starts anew.
  st.entered_at = engine::last_queued_at(st.history);
  if (r.bot)
    st.bot = std::move(r.bot);
  st.waiting_in = std::move(r.waiting_in);
  st.place = r.place;
  note_change(self);
}

} // namespace baton::actors::conversation_impl
