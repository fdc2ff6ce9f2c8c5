#include "actors/user/actor.hpp"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/fan_out.hpp"
#include "actors/messages.hpp"
#include "actors/queue/messages.hpp"
#include "actors/session/session_set.hpp"
#include "actors/supervision/messages.hpp"
#include "actors/user/messages.hpp"
#include "engine/overloaded.hpp"

namespace baton::actors {
namespace {

struct user_actor_state {
  // Not an aggregate: CAF builds a state from the actor's own pointer when
  // it can, which a handle as first member would allow.
  user_actor_state() = default;

  supervision_actor supervision;
  session_set sessions;
  /// The conversations this user started (a customer's).
  std::unordered_map<std::string, conversation_actor> conversations;
  /// Those of them asleep (passivated): listed by the summary they left,
  /// its place kept current by the positions passed on.
  std::unordered_map<std::string, conversation_summary> sleeping;
  /// Closed ones whose actors went (their logs are in the store), the most
  /// recent last; at most `closed_listed`.
  /// A vector, not a deque: an empty deque already holds a 512-byte block,
  /// and most inboxes never list a closed conversation.
  std::vector<conversation_summary> retired;
  std::size_t closed_listed = 0;
};

using self_ptr = user_actor::stateful_pointer<user_actor_state>;

/// Summaries of the user's conversations, oldest first: the open ones, or
/// those in `state`; for `hello`, a `welcome`.
void list(self_ptr self, std::optional<engine::conversation_state> state,
          reply_promise rp, bool greeting = false) {
  std::vector<conversation_actor> handles;
  for (const auto& [id, handle] : self->state.conversations)
    handles.push_back(handle);
  // The summaries this inbox holds: the sleeping ones', and the retired
  // when closed ones are asked for.
  std::vector<conversation_summary> held;
  for (const auto& [id, summary] : self->state.sleeping)
    held.push_back(summary);
  if (state == engine::conversation_state::closed)
    held.insert(held.end(), self->state.retired.begin(),
                self->state.retired.end());
  fan_out<conversation_summary>(
    self, handles, summary_query{},
    [state, held = std::move(held), rp,
     greeting](std::vector<conversation_summary> all) mutable {
      all.insert(all.end(), held.begin(), held.end());
      std::vector<conversation_summary> kept;
      for (auto& s : all) {
        bool wanted = state ? s.state == *state
                            : s.state != engine::conversation_state::closed;
        if (wanted)
          kept.push_back(std::move(s));
      }
      std::sort(kept.begin(), kept.end(), [](const auto& x, const auto& y) {
        return x.created_at < y.created_at;
      });
      if (greeting)
        rp.deliver(reply{welcome{std::move(kept), {}}});
      else
        rp.deliver(reply{conversation_list{std::move(kept), false}});
    });
}

/// A sleeping conversation's place, passed on by the directory: its
/// summary says it too.
void note_place(user_actor_state& st, const notification& n) {
  const auto* place = std::get_if<position_notice>(&n.body);
  if (place == nullptr)
    return;
  if (auto i = st.sleeping.find(n.conversation); i != st.sleeping.end()) {
    i->second.position = place->position;
    i->second.estimated_wait_s = place->estimated_wait_s;
  }
}

void forget_retired(user_actor_state& st, const std::string& id) {
  std::erase_if(st.retired, [&](const conversation_summary& s) {
    return s.conversation == id;
  });
}

user_actor::behavior_type
user_behavior(self_ptr self, supervision_actor supervision,
              std::int64_t closed_listed, local_sinks_ptr sinks) {
  self->state.supervision = std::move(supervision);
  self->state.sessions = session_set{std::move(sinks)};
  self->state.closed_listed = static_cast<std::size_t>(closed_listed);
  // Also after a broken link whose node lives on: CAF drops the handles
  // that came over it, so this one reaches nothing any more. One brought
  // back elsewhere is tracked again under its new handle.
  self->set_down_handler([self](const caf::down_msg& down) {
    std::erase_if(self->state.conversations, [&](const auto& tracked) {
      return tracked.second.address() == down.source;
    });
  });
  return {
    [=](attach_session& a) -> caf::result<reply> {
      self->state.sessions.add(std::move(a.session));
      auto rp = self->make_response_promise<reply>();
      list(self, std::nullopt, rp, true);
      return rp;
    },
    [=](const detach_session& d) {
      auto& st = self->state;
      if (st.sessions.remove(d.session) && st.sessions.empty()
          && st.supervision)
        self->send(st.supervision, sessions_ended{self});
    },
    [=](track_conversation& t) {
      // One on another node (a bot's, started for a customer held there)
      // that goes down with its node sends no conversation_retired.
      auto known = self->state.conversations.find(t.conversation);
      bool watched = known != self->state.conversations.end()
                     && known->second == t.handle;
      if (t.handle && t.handle.node() != self->node() && !watched)
        self->monitor(t.handle);
      forget_retired(self->state, t.conversation);
      self->state.sleeping.erase(t.conversation);
      self->state.conversations.insert_or_assign(std::move(t.conversation),
                                                 std::move(t.handle));
    },
    [=](const api_call& call) -> caf::result<reply> {
      auto rp = self->make_response_promise<reply>();
      if (const auto* r = std::get_if<list_conversations>(&call.what))
        list(self, r->state, rp);
      else
        rp.deliver(
          reply::error(engine::errc::forbidden, "not allowed for this role"));
      return rp;
    },
    // A supervisor who took a conversation over has no load to free.
    [](const released&) {},
    [=](conversation_retired& r) {
      auto& st = self->state;
      if (auto i = st.conversations.find(r.conversation);
          i != st.conversations.end() && i->second == r.handle) {
        st.conversations.erase(i);
        st.sleeping.erase(r.conversation);
        forget_retired(st, r.conversation);
        if (st.closed_listed == 0)
          return;
        if (st.retired.size() == st.closed_listed)
          st.retired.erase(st.retired.begin());
        st.retired.push_back(std::move(r.summary));
      }
    },
    [=](passivate& p) {
      auto& st = self->state;
      auto id = p.summary.conversation;
      // Without a handle: the directory tells a new inbox of one asleep.
      if (!p.handle) {
        st.sleeping.insert_or_assign(id, std::move(p.summary));
        return;
      }
      if (auto i = st.conversations.find(id);
          i != st.conversations.end() && i->second == p.handle) {
        st.conversations.erase(i);
        st.sleeping.insert_or_assign(id, p.summary);
      }
      // Nothing this inbox sends the conversation is on its way after this.
      if (p.then) {
        auto next = std::move(p.then);
        self->send(
          next, passivate{
                  std::move(p.handle), {}, std::move(p.summary), user_actor{}});
        return;
      }
      self->send(p.handle, passivation_settled{});
    },
    [=](const inbox_close&) { self->quit(); },
    [=](const deliver& d) {
      for (const auto& n : d.what) {
        note_place(self->state, n);
        self->state.sessions.deliver(n);
      }
    },
  };
}

} // namespace

user_actor spawn_user(caf::local_actor* parent, supervision_actor supervision,
                      std::int64_t closed_listed, local_sinks_ptr sinks) {
  // Monitored, not linked, as conversations are (spawn_conversation).
  return parent->spawn<caf::monitored>(user_behavior, std::move(supervision),
                                       closed_listed, std::move(sinks));
}

} // namespace baton::actors
