#include "actors/conversation/moves.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/agent/messages.hpp"
#include "actors/conversation/moved_members.hpp"

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

// A members_moved comes sorted for lookup (moved_members.hpp).

/// Every handle the conversation holds that moved is its new one from now
/// on.
void repoint_inboxes(conversation_actor_state& st, const members_moved& m) {
  auto repoint = [&](inbox_actor& held) {
    if (!held)
      return;
    if (const auto* to = moved_to(m, held))
      held = *to;
  };
  for (auto* by_id : {&st.agents, &st.monitors})
    for (auto& [id, inbox] : *by_id)
      repoint(inbox);
  repoint(st.requester);
  if (st.bot)
    if (const auto* to = moved_to(m, inbox_actor{st.bot}))
      st.bot = caf::actor_cast<user_actor>(*to);
  // An offer his old actor holds a slot for stays open until it ends, but
  // a claim from that actor is refused (refused_from_an_old_actor).
  for (auto& [offer, agent] : st.offered)
    if (agent)
      if (const auto* to = moved_to(m, inbox_actor{agent}))
        agent = caf::actor_cast<agent_actor>(*to);
}

/// A one-agent offer whose answer has not come yet is its agent's new
/// actor's from now on: an answer from his old one finds it taken.
void repoint_unanswered_offers(conversation_actor_state& st,
                               const members_moved& m) {
  for (auto& [offer, handle] : st.offered)
    if (const auto* open = st.conv.find_offer(offer);
        !handle && open != nullptr)
      if (const auto* now = agent_moved(m, open->agent))
        handle = *now;
}

} // namespace

void enter_as_before(self_ptr self) {
  auto& st = self->state;
  auto queue = st.waiting_in; // entering clears the conversation's own
  enter_queue(self, queue, st.excluded, st.entered_at);
}

void on_members_moved(self_ptr self, const members_moved& m) {
  auto& st = self->state;
  repoint_inboxes(st, m);
  repoint_unanswered_offers(st, m);
  for (auto& [id, inbox] : st.agents)
    if (const auto* now = agent_moved(m, id);
        now != nullptr && takes_part_as_agent(st.conv, id)) {
      inbox = *now;
      self->send(*now, restore_assignment{st.conv.id(), self});
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
