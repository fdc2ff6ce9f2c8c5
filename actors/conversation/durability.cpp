// The conversation actor's side of durability: its events go to the journal,
// and what clients would see of them (events, replies, claim results) waits
// in an outbox until the journal says they are stored, and so does what
// changes an agent's load (its claim results and releases, which must reach
// it in order). Other routing messages between actors do not wait: after a
// crash they are made again from the log.
#include "actors/conversation/state.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/store/journal.hpp"
#include "actors/store/messages.hpp"

namespace baton::actors::conversation_impl {

void journal(self_ptr self, const std::vector<engine::event>& events) {
  auto& st = self->state;
  if (events.empty())
    return;
  if (!st.rt->journal) {
    st.durable_seq = events.back().seq;
    return;
  }
  // Counted when sent: a journal stuck in a commit reads no mail.
  st.rt->metrics->journal_pending.add(static_cast<std::int64_t>(events.size()));
  self->send(st.rt->journal, journal_append{st.conv.id(), events, self});
}

void when_durable(self_ptr self, std::function<void()> effect) {
  auto& st = self->state;
  if (st.durable_seq >= st.conv.last_seq()) {
    effect();
    return;
  }
  st.outbox.push_back({st.conv.last_seq(), std::move(effect)});
}

void on_committed(self_ptr self, std::uint64_t seq) {
  auto& st = self->state;
  st.durable_seq = std::max(st.durable_seq, seq);
  while (!st.outbox.empty() && st.outbox.front().seq <= st.durable_seq) {
    auto effect = std::move(st.outbox.front().effect);
    st.outbox.pop_front();
    effect();
  }
}

void leave_when_stored(self_ptr self, caf::typed_response_promise<bool> rp) {
  auto& st = self->state;
  st.leaving = true;
  // What came after the ask (an agent's claim, a timer) went into the
  // outbox too: it is answered first. Queued behind it, not through
  // when_durable, which runs at once what is stored already.
  if (!st.outbox.empty()) {
    st.outbox.push_back({st.conv.last_seq(), [self, rp]() mutable {
                           leave_when_stored(self, rp);
                         }});
    return;
  }
  // A closed one is not brought back by the shard's next holder: the
  // inboxes listing it elsewhere (a bot's) keep its summary, as at its
  // retirement, not a handle that answers no more.
  if (st.conv.state() == engine::conversation_state::closed)
    tell_inboxes_retired(self, conversation_retired{st.conv.id(), self,
                                                    summary_of(st)});
  rp.deliver(true);
  self->quit();
}

namespace {

/// `who` takes part in `c` now, as herself: an id shared by an agent and a
/// supervisor names two people.
bool in_it(const engine::conversation& c, const engine::participant& who) {
  const auto& agents = c.agents();
  return std::any_of(agents.begin(), agents.end(), [&](const auto& a) {
    return a.id == who.id && a.role == who.role;
  });
}

/// An agent offered it by its earlier actor still holds a slot for the
/// offer when he runs on in another node (his own started anew with a
/// restart, and holds none): told by name, as this actor does not know his.
void revoke_restored_offers(self_ptr self,
                            const std::vector<engine::event>& events) {
  auto& st = self->state;
  for (const auto& e : events)
    if (const auto* ended = std::get_if<engine::offer_ended>(&e.body))
      self->send(
        st.directory,
        revoke_to_agent{ended->agent,
                        revoke{st.conv.id(), ended->offer, ended->reason}});
}

} // namespace

void on_restore(self_ptr self, restore_conversation& r) {
  auto& st = self->state;
  st.history = std::move(r.history);
  for (const auto& e : st.history)
    st.conv.apply(e);
  st.agents = std::move(r.agents);
  st.durable_seq = st.conv.last_seq();
  for (const auto& e : st.history)
    if (const auto* j = std::get_if<engine::participant_joined>(&e.body);
        j != nullptr && j->who.role != engine::role::customer)
      st.past_agents.insert(j->who.id);
  // Offers made before the restart end, and the queue offers the
  // conversation again.
  if (auto d = engine::decide_restored_offers(st.conv); !d.events.empty())
    revoke_restored_offers(self, carry_out(self, std::move(d.events)));
  resume_routing(self, r.bot);
  // Who asked for a transfer still under way and is still in it (warm, a
  // conference) hears how it ends, as before the restart: set after
  // routing resumed, which would tell him again it was placed. One who is
  // not in it (a cold transfer's requester, a supervisor's unassign) is
  // held by nothing stored, nor is a monitor.
  if (const auto& p = st.conv.pending(); p && in_it(st.conv, p->request.from))
    if (auto i = st.agents.find(p->request.from.id); i != st.agents.end())
      st.requester = i->second;
  // Revived closed, for a resume: it leaves memory again unless resumed.
  retire_later(self);
}

} // namespace baton::actors::conversation_impl
