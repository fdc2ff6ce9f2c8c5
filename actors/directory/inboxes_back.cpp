// Inboxes made anew at their users' holders (docs/cluster.md, "Inboxes
// brought back"): a conversation's bot, a supervisor who took it over, one
// who monitors it, the requester of a transfer, whose sessions meet at
// their holders. A conversation the store gives back holds inboxes made
// here until its users' holders give theirs; one whose user's shard moved
// holds an inbox that stopped until her new holder gives one. Then it holds
// those, as a live conversation does (remote_holds.cpp). Each such hold is
// in `remote_holds`, so one not mended yet is asked again at the next join.
#include "actors/directory/state.hpp"

#include <algorithm>
#include <map>

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/directory/same_handle.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {

namespace {

/// For each key asked: the inbox the conversation holds for it now.
using held_now = std::map<std::string, inbox_actor>;

void follow(self_ptr self, const std::string& conversation);

/// A bot's inbox in a conversation's holds is its bot's: a bot neither
/// monitors nor takes over.
bool bot_key(const std::string& key) {
  return key.starts_with(engine::user_key(engine::role::bot, ""));
}

remote_hold* hold_of(directory_state& st, const std::string& conversation,
                     const std::string& key) {
  auto i = st.remote_holds.find(conversation);
  if (i == st.remote_holds.end())
    return nullptr;
  auto hold = std::ranges::find(i->second, key, &remote_hold::key);
  return hold == i->second.end() ? nullptr : &*hold;
}

void release_at(self_ptr self, const directory_actor& holder,
                const std::string& conversation,
                std::vector<std::string> keys) {
  if (!keys.empty() && holder != self)
    self->send(holder, holds_released{conversation, std::move(keys)});
}

/// Lets go at `holder` what an answer gave that the conversation does not
/// hold from it: another answer of the same holder may have been adopted.
void release_unheld(self_ptr self, const directory_actor& holder,
                    const std::string& conversation,
                    const std::vector<std::string>& keys) {
  std::vector<std::string> unheld;
  for (const auto& key : keys)
    if (const auto* hold = hold_of(self->state, conversation, key);
        hold == nullptr || hold->holder != holder)
      unheld.push_back(key);
  release_at(self, holder, conversation, std::move(unheld));
}

/// The asks of `keys` at `holder` ended: those holds may be asked again.
/// Whether a newer table named another holder for one of them meanwhile
/// (a join skipped while they were asked).
bool asks_ended(self_ptr self, const std::string& conversation,
                const std::vector<std::string>& keys,
                const directory_actor& holder) {
  bool moved = false;
  for (const auto& key : keys)
    if (auto* hold = hold_of(self->state, conversation, key)) {
      hold->asking = false;
      moved = moved || holder_elsewhere(self, key) != holder;
    }
  return moved;
}

/// The bot's inbox lists the conversation, awake or asleep.
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

/// `conversation` holds `inbox`, the inbox of `key` that `holder` made,
/// instead of its hold before: that one's maker lets it go.
void adopt(self_ptr self, const std::string& conversation,
           conversation_entry& entry, const directory_actor& holder,
           const std::string& key, const user_actor& inbox) {
  auto& st = self->state;
  if (auto* before = hold_of(st, conversation, key);
      before && before->holder != holder)
    release_at(self, before->holder, conversation, {key});
  if (bot_key(key)) {
    auto& known = st.remote_bots[key];
    known.inbox = inbox;
    known.conversations.insert(conversation);
    tell_bot(self, inbox, conversation, entry);
  }
  note_hold_of(self, conversation, holder, key, inbox);
  if (st.users.find(key) != nullptr && key != *entry.customer) {
    st.users.release_one(key, conversation); // made here: it goes
    drop_if_idle(self, key);
  }
}

/// `holder`'s answer. One that comes for a conversation that left, or
/// came back as another actor, or for a user a newer table gave another
/// holder, is let go there.
void on_inboxes_given(self_ptr self, const std::string& conversation,
                      const conversation_actor& asked_by,
                      const directory_actor& holder, const held_now& before,
                      inboxes_given& given) {
  auto& st = self->state;
  auto i = st.conversations.find(conversation);
  bool gone = i == st.conversations.end() || i->second.handle != asked_by;
  std::vector<std::string> asked;
  for (const auto& [key, inbox] : before)
    asked.push_back(key);
  bool moved_meanwhile = asks_ended(self, conversation, asked, holder);
  std::vector<std::string> stale;
  members_moved moved;
  for (const auto& [key, inbox] : given.inboxes) {
    if (gone || holder_elsewhere(self, key) != holder) {
      stale.push_back(key);
      continue;
    }
    adopt(self, conversation, i->second, holder, key, inbox);
    if (auto was = before.find(key);
        was != before.end() && was->second && i->second.handle)
      moved.inboxes.emplace_back(was->second, inbox);
  }
  release_unheld(self, holder, conversation, stale);
  if (!moved.inboxes.empty())
    self->send(i->second.handle, std::move(moved));
  // A user a newer table moved while the ask was out, or a conversation
  // woken as another actor meanwhile: asked again as things are now.
  if (moved_meanwhile || !stale.empty())
    follow(self, conversation);
}

void ask_holder(self_ptr self, const std::string& conversation,
                const conversation_actor& asked_by,
                const directory_actor& holder, held_now before) {
  inboxes_wanted wanted{conversation, {}};
  for (const auto& [key, inbox] : before)
    wanted.keys.push_back(key);
  self->request(holder, holder_patience, wanted)
    .then(
      [self, conversation, asked_by, holder,
       before = std::move(before)](inboxes_given& given) {
        on_inboxes_given(self, conversation, asked_by, holder, before, given);
      },
      [self, conversation, holder, keys = wanted.keys](const caf::error&) {
        // It may have made them: let go. The holds here stay as they were;
        // asked again at once if a newer table moved one meanwhile, else
        // at the next join (not at once: a holder gone answers at once).
        bool moved_meanwhile = asks_ended(self, conversation, keys, holder);
        release_unheld(self, holder, conversation, keys);
        log::warn("inboxes not made at their users' holder")
          .field("conversation", conversation);
        if (moved_meanwhile)
          follow(self, conversation);
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
  release_at(self, hold.holder, conversation, {hold.key});
  auto inbox = held_inbox(self, hold.key, conversation);
  if (bot_key(hold.key)) {
    if (auto known = st.remote_bots.find(hold.key);
        known != st.remote_bots.end()) {
      known->second.conversations.erase(conversation);
      if (known->second.conversations.empty())
        st.remote_bots.erase(known);
    }
    tell_bot(self, inbox, conversation, i->second);
  }
  if (i->second.handle && hold.inbox)
    self->send(i->second.handle,
               members_moved{{}, {}, {{hold.inbox, inbox_actor{inbox}}}});
}

/// Asks the holders of `conversation`'s users for the inboxes it holds
/// elsewhere than where they are now; makes here those held here.
void follow(self_ptr self, const std::string& conversation) {
  auto& st = self->state;
  auto entry = st.conversations.find(conversation);
  auto holds = st.remote_holds.find(conversation);
  if (entry == st.conversations.end() || holds == st.remote_holds.end())
    return;
  std::vector<remote_hold> here;
  std::map<caf::actor_addr, std::pair<directory_actor, held_now>> by_holder;
  for (auto& hold : holds->second) {
    if (hold.asking)
      continue;
    auto now = holder_elsewhere(self, hold.key);
    if (!now) {
      here.push_back(hold);
      continue;
    }
    // Still there, or on its way (the mover answers for it). The same
    // holder under another handle was reached again after its link broke
    // (joining.cpp): the inbox it made then is asked again.
    if (same_handle(now, hold.holder) || (st.mover && now == st.mover))
      continue;
    auto& [to, before] = by_holder[now.address()];
    to = now;
    before.emplace(hold.key, hold.inbox);
    hold.asking = true;
  }
  for (auto& [address, ask] : by_holder)
    ask_holder(self, conversation, entry->second.handle, ask.first,
               std::move(ask.second));
  for (const auto& hold : here) {
    const auto& key = hold.key;
    std::erase_if(holds->second,
                  [&key](const auto& h) { return h.key == key; });
    make_here(self, conversation, hold);
  }
  if (holds->second.empty())
    st.remote_holds.erase(holds);
}

} // namespace

void ask_holders_for_inboxes(self_ptr self, const std::string& conversation,
                             const std::vector<std::string>& keys) {
  auto here = caf::actor_cast<directory_actor>(self);
  bool elsewhere = false;
  for (const auto& key : keys)
    if (holder_elsewhere(self, key)) {
      note_hold_of(self, conversation, here, key, inbox_if_any(self, key));
      elsewhere = true;
    }
  if (elsewhere)
    follow(self, conversation);
}

void follow_moved_users(self_ptr self) {
  std::vector<std::string> conversations;
  for (const auto& [conversation, holds] : self->state.remote_holds)
    conversations.push_back(conversation);
  for (const auto& conversation : conversations)
    follow(self, conversation);
}

inboxes_given on_inboxes_wanted(self_ptr self, const inboxes_wanted& w) {
  inboxes_given given;
  auto asker = caf::actor_cast<directory_actor>(self->current_sender());
  // Its link closed before this was read: no answer reaches it, and a hold
  // noted for nobody would never be let go.
  if (!asker)
    return given;
  for (const auto& key : w.keys)
    if (self->state.shards.holds(key))
      given.inboxes.emplace_back(key, held_inbox(self, key, w.conversation,
                                                 false, asker));
  return given;
}

} // namespace baton::actors::directory_impl
