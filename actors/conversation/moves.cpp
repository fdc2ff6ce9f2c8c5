#include "actors/conversation/moves.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/agent/messages.hpp"

namespace baton::actors::conversation_impl {

namespace {

/// Whether `agent` takes part as the configured agent of that id: a
/// supervisor who took over with the same id keeps her own inbox.
bool takes_part_as_agent(const engine::conversation& c,
                         const std::string& agent) {
  const auto& agents = c.agents();
  return std::any_of(agents.begin(), agents.end(), [&](const auto& a) {
    return a.id == agent && a.role == engine::role::agent;
  });
}

/// Every handle of `from` the conversation holds is `to` from now on.
void repoint_inbox(conversation_actor_state& st, const inbox_actor& from,
                   const inbox_actor& to) {
  auto repoint = [&](inbox_actor& held) {
    if (held && held == from)
      held = to;
  };
  for (auto* by_id : {&st.agents, &st.monitors})
    for (auto& [id, inbox] : *by_id)
      repoint(inbox);
  repoint(st.requester);
  if (st.bot && inbox_actor{st.bot} == from)
    st.bot = caf::actor_cast<user_actor>(to);
  // An offer his old actor holds a slot for stays open until it ends, but
  // a claim from that actor is refused (refused_from_an_old_actor).
  for (auto& [offer, agent] : st.offered)
    if (agent && inbox_actor{agent} == from)
      agent = caf::actor_cast<agent_actor>(to);
}

/// A one-agent offer to `agent` whose answer has not come yet is his new
/// actor's from now on: an answer from his old one finds it taken.
void repoint_unanswered_offers(conversation_actor_state& st,
                               const std::string& agent,
                               const agent_actor& now) {
  for (auto& [offer, handle] : st.offered)
    if (const auto* open = st.conv.find_offer(offer);
        !handle && open != nullptr && open->agent == agent)
      handle = now;
}

} // namespace

void enter_as_before(self_ptr self) {
  auto& st = self->state;
  auto queue = st.waiting_in; // entering clears the conversation's own
  enter_queue(self, queue, st.excluded, st.entered_at);
}

void on_members_moved(self_ptr self, const members_moved& m) {
  auto& st = self->state;
  for (const auto& [from, to] : m.inboxes)
    repoint_inbox(st, from, to);
  for (const auto& [id, handle] : m.agents) {
    repoint_unanswered_offers(st, id, handle);
    if (auto i = st.agents.find(id);
        i != st.agents.end() && takes_part_as_agent(st.conv, id)) {
      i->second = handle;
      self->send(handle, restore_assignment{st.conv.id(), self});
    }
  }
  bool queue_forgot_it = false;
  for (const auto& [id, handle] : m.queues) {
    if (id == st.home_queue)
      st.queue = handle;
    queue_forgot_it = queue_forgot_it || id == st.waiting_in;
  }
  if (!queue_forgot_it)
    return;
  // No directory tells a conversation whose request to sleep settles with
  // it: one asked through the queue that stopped is lost (one still on its
  // way comes back unwanted, and is answered as staying awake).
  st.asked_to_sleep = false;
  // A round out would end at a queue that never offered it: it enters the
  // new queue when the round ends, if nobody took it.
  if (!st.conv.open_offers().empty() && !st.round.direct())
    st.enter_after_round = true;
  else
    enter_as_before(self);
}

} // namespace baton::actors::conversation_impl
