#include "actors/directory/state.hpp"

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/user/actor.hpp"

namespace baton::actors::directory_impl {

user_actor user_inbox(self_ptr self, const std::string& key) {
  auto& e = self->state.users.at(key);
  if (!e.inbox) {
    e.inbox
      = spawn_user(self, self->state.rt->supervision,
                   self->state.rt->cfg->limits.closed_conversations_listed,
                   self->state.rt->sinks);
    self->state.rt->metrics->user_inboxes.add(1);
    tell_of_sleepers(self, key, e.inbox);
  }
  return e.inbox;
}

user_actor user_inbox(self_ptr self, engine::role role,
                      const std::string& user) {
  return user_inbox(self, engine::user_key(role, user));
}

user_actor inbox_if_any(self_ptr self, const std::string& key) {
  const auto* user = self->state.users.find(key);
  return user != nullptr ? user->inbox : user_actor{};
}

/// Stops `key`'s inbox when no session and no conversation keeps it, or
/// only sleeping ones.
void drop_if_idle(self_ptr self, const std::string& key) {
  if (auto inbox = self->state.users.drop_if_idle(key)) {
    self->send(inbox, inbox_close{});
    self->state.rt->metrics->user_inboxes.add(-1);
    return;
  }
  rest_inbox_if_all_asleep(self, key);
}

/// `conversation` keeps the inbox of `key` (its events go there) until the
/// conversation leaves memory.
user_actor held_inbox(self_ptr self, const std::string& key,
                      const std::string& conversation, bool by_customer,
                      directory_actor held_at, bool sure) {
  self->state.users.hold(key, conversation, by_customer, std::move(held_at),
                         sure);
  return user_inbox(self, key);
}

/// A conversation is in memory now: its actor, or (`asleep`) its record.
void add_conversation(self_ptr self, const std::string& id,
                      conversation_actor handle,
                      const std::string& customer_key, bool open,
                      std::unique_ptr<sleeper> asleep) {
  auto& st = self->state;
  auto& metric = asleep ? st.rt->metrics->conversations_asleep
                        : st.rt->metrics->conversation_actors;
  st.conversations.emplace(
    id, conversation_entry{handle, &st.users.stored_key(customer_key), open,
                           false, std::move(asleep)});
  metric.add(1);
  if (open)
    ++st.users.at(customer_key).open;
}

/// The configured agent's actor, for a caller of role agent on the roster.
agent_actor agent_of(self_ptr self, const caller& who) {
  auto& st = self->state;
  if (who.role == engine::role::agent)
    if (auto i = st.agents.find(who.user); i != st.agents.end())
      return i->second;
  return {};
}

/// Where a caller's events go: its agent actor, or its user inbox.
inbox_actor inbox_of(self_ptr self, const caller& who) {
  if (auto agent = agent_of(self, who))
    return agent;
  return user_inbox(self, who.role, who.user);
}

/// The verbs after which a conversation may keep sending to the caller's
/// inbox (as its bot, monitor, requester or new assignee).
bool may_keep_caller(const request& r) {
  return std::holds_alternative<take_over>(r)
         || std::holds_alternative<monitor_conversation>(r)
         || std::holds_alternative<request_transfer>(r)
         || std::holds_alternative<assign_conversation>(r)
         || std::holds_alternative<unassign_conversation>(r);
}

bool keeps_caller(self_ptr self, const api_call& call) {
  return may_keep_caller(call.what) && !agent_of(self, call.who);
}

void hold_asked(self_ptr self, const std::string& key,
                const std::string& conversation) {
  auto& st = self->state;
  const auto* user = st.users.find(key);
  auto& asks = st.asks_for_holds[key + '\n' + conversation];
  ++asks.in_flight;
  asks.took = asks.took || user == nullptr
              || user->holds.count(conversation) == 0;
}

void hold_answered(self_ptr self, const std::string& key,
                   const std::string& conversation, bool accepted) {
  auto& all = self->state.asks_for_holds;
  auto i = all.find(key + '\n' + conversation);
  if (i == all.end())
    return;
  auto& asks = i->second;
  asks.kept = asks.kept || accepted;
  if (--asks.in_flight > 0)
    return;
  bool let_go = asks.took && !asks.kept;
  all.erase(i);
  if (let_go)
    let_go_hold(self, key, conversation);
}

void let_go_hold(self_ptr self, const std::string& key,
                 const std::string& conversation) {
  self->state.users.release_one(key, conversation);
  drop_if_idle(self, key);
}

inbox_actor inbox_for(self_ptr self, const api_call& call,
                      const std::string& conversation,
                      const directory_actor& held_at, bool sure) {
  if (auto agent = agent_of(self, call.who))
    return agent;
  auto key = engine::user_key(call.who.role, call.who.user);
  if (may_keep_caller(call.what))
    return held_inbox(self, key, conversation, false, held_at, sure);
  return user_inbox(self, key);
}

/// Every conversation verb goes to the conversation's actor (woken if it
/// sleeps); one that is not in memory is not_found.
void to_conversation_actor(self_ptr self, const std::string& id, api_call& call,
                           reply_promise& rp, settled_fn settled) {
  auto& st = self->state;
  if (passed_on(self, id, call, rp)
      || refused_while_store_behind(self, call, rp)) {
    if (settled)
      settled();
    return;
  }
  auto i = st.conversations.find(id);
  if (i == st.conversations.end()) {
    if (settled)
      settled();
    // Of a shard just taken over, it may be on its way back from the store.
    rp.deliver(still_recovering(st, id)
                 ? moving_elsewhere()
                 : reply::error(errc::not_found, "no such conversation"));
    return;
  }
  if (held_back(self, id,
                [self, id = std::string{id}, call, rp, settled]() mutable {
                  to_conversation_actor(self, id, call, rp, settled);
                }))
    return;
  // Another customer learns nothing of it, as from its actor, and does not
  // wake it.
  if (i->second.asleep && call.who.role == engine::role::customer
      && engine::user_key(call.who.role, call.who.user)
           != *i->second.customer) {
    if (settled)
      settled();
    rp.deliver(reply::error(errc::not_found, "no such conversation"));
    return;
  }
  bool made_elsewhere = call.inbox && st.shards.spread();
  if (made_elsewhere && keeps_caller(self, call)
      && !asked_by_callers_holder(self, call, rp)) {
    if (settled)
      settled();
    rp.deliver(moving_elsewhere());
    return;
  }
  auto handle = awake(self, id, i->second);
  bool keeps = false;
  std::string key;
  if (made_elsewhere) {
    note_remote_hold(self, id, call); // made by the caller's holder
  } else {
    keeps = keeps_caller(self, call);
    if (keeps) {
      key = engine::user_key(call.who.role, call.who.user);
      hold_asked(self, key, id);
    }
    call.inbox = inbox_for(self, call, id);
  }
  if (!settled && !keeps) {
    rp.delegate(handle, std::move(call));
    return;
  }
  auto answered = [self, settled, keeps, id = std::string{id},
                   key](const reply& r) {
    if (settled)
      settled();
    if (keeps)
      hold_answered(self, key, id, r.ok());
  };
  self->request(handle, caf::infinite, std::move(call))
    .then(
      [rp, answered](reply& r) mutable {
        answered(r);
        rp.deliver(std::move(r));
      },
      [rp, answered](caf::error&) mutable {
        auto gone = reply::error(errc::not_found, "no such conversation");
        answered(gone);
        rp.deliver(std::move(gone));
      });
}

} // namespace baton::actors::directory_impl
