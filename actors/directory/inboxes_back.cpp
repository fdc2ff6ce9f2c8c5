// Inboxes made anew at their users' holders (docs/cluster.md, "Inboxes
// brought back"): a conversation's bot, a supervisor who took it over, one
// who monitors it, the requester of a transfer, whose sessions meet at
// their holders. A conversation the store gives back holds inboxes made
// here until its users' holders give theirs; one whose user's shard moved
// holds an inbox that stopped until her new holder gives one. Then it holds
// those, as a live conversation does (remote_holds.cpp).
#include "actors/directory/state.hpp"

#include <algorithm>
#include <map>

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {

namespace {

/// For each key asked: the inbox the conversation holds for it now.
using held_now = std::map<std::string, inbox_actor>;

/// Whether `key` is the bot that started `conversation`.
bool bot_of(const directory_state& st, const std::string& key,
            const std::string& conversation) {
  auto i = st.remote_bots.find(key);
  return i != st.remote_bots.end()
         && i->second.conversations.count(conversation) > 0;
}

/// The bot's new inbox lists the conversation, awake or asleep.
void tell_bot(self_ptr self, const user_actor& inbox,
              const std::string& conversation, conversation_entry& entry) {
  if (entry.asleep) {
    if (entry.bot_lists)
      self->send(inbox,
                 passivate{conversation_actor{},
                           {},
                           summary_of(self, conversation, *entry.asleep)});
  } else if (entry.handle) {
    self->send(inbox, track_conversation{conversation, entry.handle});
  }
}

/// `holder`'s answer: `conversation` holds the inboxes it made, if it is
/// still here, instead of `before`; those made here go.
void on_inboxes_given(self_ptr self, const std::string& conversation,
                      const directory_actor& holder, const std::string& bot,
                      const held_now& before, inboxes_given& given) {
  auto& st = self->state;
  auto i = st.conversations.find(conversation);
  if (i == st.conversations.end()) { // gone meanwhile: nothing holds them
    holds_released released{conversation, {}};
    for (auto& [key, inbox] : given.inboxes)
      released.keys.push_back(std::move(key));
    self->send(holder, std::move(released));
    return;
  }
  auto& entry = i->second;
  members_moved moved;
  for (const auto& [key, inbox] : given.inboxes) {
    if (key == bot || bot_of(st, key, conversation)) {
      auto& known = st.remote_bots[key];
      known.inbox = inbox;
      known.conversations.insert(conversation);
      tell_bot(self, inbox, conversation, entry);
    }
    note_hold_of(self, conversation, holder, key, inbox);
    if (auto was = before.find(key); was != before.end() && entry.handle)
      moved.inboxes.emplace_back(was->second, inbox);
    if (st.users.find(key) != nullptr) { // made here: it goes
      st.users.release_one(key, conversation);
      drop_if_idle(self, key);
    }
  }
  if (!moved.inboxes.empty())
    self->send(entry.handle, std::move(moved));
}

void ask_holder(self_ptr self, const std::string& conversation,
                const directory_actor& holder, const std::string& bot,
                held_now before) {
  inboxes_wanted wanted{conversation, {}};
  for (const auto& [key, inbox] : before)
    wanted.keys.push_back(key);
  self->request(holder, holder_patience, std::move(wanted))
    .then(
      [self, conversation, holder, bot,
       before = std::move(before)](inboxes_given& given) {
        on_inboxes_given(self, conversation, holder, bot, before, given);
      },
      [conversation](const caf::error&) {
        // The users' holder did not answer (it went, or gave them up): the
        // inboxes held now stay until a newer table moves the users again.
        log::warn("inboxes not made at their users' holder")
          .field("conversation", conversation);
      });
}

/// The user `hold` names is held here now: her inbox is made here, and
/// the conversation holds it instead.
void make_here(self_ptr self, const std::string& conversation,
               const remote_hold& hold) {
  auto& st = self->state;
  auto i = st.conversations.find(conversation);
  if (i == st.conversations.end())
    return;
  auto inbox = held_inbox(self, hold.key, conversation);
  if (bot_of(st, hold.key, conversation)) {
    auto& known = st.remote_bots[hold.key];
    known.conversations.erase(conversation);
    if (known.conversations.empty())
      st.remote_bots.erase(hold.key);
    tell_bot(self, inbox, conversation, i->second);
  }
  if (i->second.handle)
    self->send(i->second.handle,
               members_moved{{}, {}, {{hold.inbox, inbox_actor{inbox}}}});
}

} // namespace

void ask_holders_for_inboxes(self_ptr self, const std::string& conversation,
                             const std::vector<std::string>& keys,
                             const std::string& bot) {
  std::map<caf::actor_addr, std::pair<directory_actor, held_now>> by_holder;
  for (const auto& key : keys)
    if (auto holder = holder_elsewhere(self, key)) {
      auto& [to, before] = by_holder[holder.address()];
      to = holder;
      before.emplace(key, inbox_if_any(self, key));
    }
  for (auto& [address, ask] : by_holder)
    ask_holder(self, conversation, ask.first, bot, std::move(ask.second));
}

void follow_moved_users(self_ptr self) {
  auto& st = self->state;
  std::vector<std::pair<std::string, remote_hold>> here;
  for (auto& [conversation, holds] : st.remote_holds) {
    std::map<caf::actor_addr, std::pair<directory_actor, held_now>> by_holder;
    for (const auto& hold : holds) {
      auto now = holder_elsewhere(self, hold.key);
      if (!now) {
        here.emplace_back(conversation, hold);
        continue;
      }
      // Still there, or on its way (the mover answers for it).
      if (now == hold.holder || (st.mover && now == st.mover))
        continue;
      auto& [to, before] = by_holder[now.address()];
      to = now;
      before.emplace(hold.key, hold.inbox);
    }
    for (auto& [address, ask] : by_holder)
      ask_holder(self, conversation, ask.first, {}, std::move(ask.second));
  }
  for (const auto& [conversation, hold] : here) {
    auto& holds = st.remote_holds[conversation];
    const auto& key = hold.key;
    std::erase_if(holds, [&key](const auto& h) { return h.key == key; });
    if (holds.empty())
      st.remote_holds.erase(conversation);
    make_here(self, conversation, hold);
  }
}

inboxes_given on_inboxes_wanted(self_ptr self, const inboxes_wanted& w) {
  inboxes_given given;
  for (const auto& key : w.keys)
    if (self->state.shards.holds(key))
      given.inboxes.emplace_back(key, held_inbox(self, key, w.conversation));
  return given;
}

} // namespace baton::actors::directory_impl
