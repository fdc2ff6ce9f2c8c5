// Inboxes across directories sharing the shards: a caller's inbox is made
// by the directory holding the caller, where her sessions are, and held by
// the conversation's holder, which names the users it held when the
// conversation leaves memory (holds_released). A bot's inbox likewise, and
// its handle is kept for the conversations it started while they sleep.
#include "actors/directory/state.hpp"

#include <algorithm>
#include <unordered_set>

#include "caf/all.hpp"

#include "actors/actor_addr_hash.hpp"
#include "actors/directory/same_handle.hpp"

namespace baton::actors::directory_impl {

void send_with_inbox(self_ptr self, const directory_actor& holder,
                     const std::string& conversation, api_call& call,
                     reply_promise& rp) {
  bool keeps = keeps_caller(self, call);
  auto key = engine::user_key(call.who.role, call.who.user);
  if (keeps)
    hold_asked(self, key, conversation);
  call.inbox = inbox_for(self, call, conversation, holder, false);
  if (!keeps) {
    rp.delegate(holder, std::move(call));
    return;
  }
  // A copy: `conversation` may name a field of the call, moved away below.
  auto answered = [self, key, id = conversation](bool accepted) {
    hold_answered(self, key, id, accepted);
  };
  self->request(holder, holder_patience, std::move(call))
    .then(
      [rp, answered](reply& r) mutable {
        answered(r.ok());
        rp.deliver(std::move(r));
      },
      [rp, answered](caf::error&) mutable {
        answered(false);
        rp.deliver(
          reply::error(errc::unavailable, "no answer in time: try again"));
      });
}

void note_hold_of(self_ptr self, const std::string& conversation,
                  directory_actor holder, std::string key, inbox_actor inbox) {
  auto& holds = self->state.remote_holds[conversation];
  auto known = std::ranges::find(holds, key, &remote_hold::key);
  if (known == holds.end())
    holds.push_back({std::move(holder), std::move(key), std::move(inbox)});
  else
    *known = {std::move(holder), std::move(key), std::move(inbox)};
}

namespace {

/// `conversation` left memory: if `key`'s bot started it, one fewer.
void forget_remote_bot(self_ptr self, const std::string& key,
                       const std::string& conversation) {
  auto& bots = self->state.remote_bots;
  auto i = bots.find(key);
  if (i == bots.end())
    return;
  i->second.conversations.erase(conversation);
  if (i->second.conversations.empty())
    bots.erase(i);
}

} // namespace

bool asked_by_callers_holder(self_ptr self, const api_call& call,
                             reply_promise& rp) {
  const auto& asker = static_cast<caf::response_promise&>(rp).source();
  auto holder
    = holder_elsewhere(self, engine::user_key(call.who.role, call.who.user));
  return holder && same_handle(holder, asker);
}

void note_remote_hold(self_ptr self, const std::string& conversation,
                      const api_call& call) {
  if (!may_keep_caller(call.what) || agent_of(self, call.who))
    return;
  auto key = engine::user_key(call.who.role, call.who.user);
  if (auto holder = holder_elsewhere(self, key)) {
    // The caller's holder noted the hold by its own table, which may be
    // behind: it hears from here who holds the conversation.
    self->send(holder, holds_taken{conversation, {key}});
    note_hold_of(self, conversation, std::move(holder), std::move(key),
                 call.inbox);
  }
}

void start_for_bot(self_ptr self, const directory_actor& customer_holder,
                   api_call& call, reply_promise& rp) {
  auto key = engine::user_key(call.who.role, call.who.user);
  call.inbox = user_inbox(self, key);
  // Kept while the start is on its way: a conversation may be sending to
  // it before its hold arrives (holds_taken, or the answer).
  ++self->state.users.at(key).starting;
  auto arrived = [self, key] {
    if (auto* e = self->state.users.find(key))
      --e->starting;
  };
  self->request(customer_holder, holder_patience, std::move(call))
    .then(
      [self, key, rp, arrived, customer_holder](reply& r) mutable {
        arrived();
        if (const auto* o = std::get_if<opened>(&r.body); r.ok() && o)
          self->state.users.hold(key, o->conversation, false, customer_holder,
                                 false);
        else
          drop_if_idle(self, key);
        rp.deliver(std::move(r));
      },
      [rp, arrived](caf::error&) mutable {
        // The start may have happened: its holds_taken keeps the inbox,
        // which nothing drops until the bot's next detach or release.
        arrived();
        rp.deliver(reply::error(
          errc::unavailable,
          "no answer in time: list your conversations before starting again"));
      });
}

void track_remote_bot(self_ptr self, const std::string& id,
                      const conversation_actor& handle, const api_call& call) {
  auto key = engine::user_key(call.who.role, call.who.user);
  auto inbox = caf::actor_cast<user_actor>(call.inbox);
  self->send(inbox, track_conversation{id, handle});
  auto& known = self->state.remote_bots[key];
  known.inbox = inbox;
  known.conversations.insert(id);
  if (auto holder = holder_elsewhere(self, key)) {
    // The bot's holder takes the hold from here, whatever becomes of the
    // start's answer; holds_released follows it on the same way.
    self->send(holder, holds_taken{id, {key}});
    note_hold_of(self, id, std::move(holder), std::move(key), inbox);
  }
}

user_actor remote_bot_inbox(self_ptr self, const std::string& key) {
  auto& bots = self->state.remote_bots;
  auto i = bots.find(key);
  return i == bots.end() ? user_actor{} : i->second.inbox;
}

void release_remote_holds(self_ptr self, const std::string& conversation) {
  auto& st = self->state;
  auto i = st.remote_holds.find(conversation);
  if (i == st.remote_holds.end())
    return;
  // One message per holder, naming its users.
  auto holds = std::move(i->second);
  st.remote_holds.erase(i);
  for (const auto& hold : holds)
    forget_remote_bot(self, hold.key, conversation);
  // One this directory made before giving the user up went with it.
  std::erase_if(holds, [&](const auto& h) { return h.holder == self; });
  std::ranges::sort(holds, {},
                    [](const auto& h) { return h.holder.address(); });
  for (std::size_t at = 0; at < holds.size();) {
    holds_released released{conversation, {}};
    auto holder = holds[at].holder;
    for (; at < holds.size() && holds[at].holder == holder; ++at)
      released.keys.push_back(std::move(holds[at].key));
    self->send(holder, std::move(released));
  }
}

void on_holds_taken(self_ptr self, const holds_taken& t) {
  auto held_at = caf::actor_cast<directory_actor>(self->current_sender());
  // Its link closed before this was read: a hold noted for nobody would
  // never be let go (a null `held_at` means held here).
  if (!held_at)
    return;
  for (const auto& key : t.keys)
    self->state.users.hold(key, t.conversation, false, held_at);
}

void on_holds_released(self_ptr self, const holds_released& r) {
  for (const auto& key : r.keys)
    let_go_hold(self, key, r.conversation);
}

void let_go_holds_of_moved_conversations(self_ptr self) {
  auto& st = self->state;
  if (st.holders.empty())
    return;
  // A directory that gave a shard up lets its holds go itself; one gone
  // with its node (in no table now) never does. The holder that took its
  // shards over holds again what it brings back (inboxes_wanted); a closed
  // conversation it does not bring back held its users for good.
  std::unordered_set<caf::actor_addr, actor_addr_hash> in_table;
  for (const auto& holder : st.holders)
    in_table.insert(holder.address());
  auto moved = st.users.holds_not_held_at(
    [&in_table](const std::string&, const directory_actor& at) {
      return in_table.count(at.address()) > 0;
    });
  for (const auto& [key, conversation] : moved)
    let_go_hold(self, key, conversation);
}

} // namespace baton::actors::directory_impl
