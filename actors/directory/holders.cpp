// Several directories sharing the shards: each runs the conversations,
// users, queues and agents whose ids fall in its own, and sends what is for
// another's ids to that one. Callers see no difference: a handle on
// another directory is used as a local one.
#include "actors/directory/state.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/agent/actor.hpp"
#include "actors/queue/actor.hpp"
#include "actors/supervision/messages.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {

directory_actor holder_elsewhere(self_ptr self, std::string_view id) {
  auto& st = self->state;
  if (st.shards.holds(id) || st.holders.empty())
    return {};
  return st.holders[engine::cluster::shard_of(id, st.shards.count())];
}

bool sent_to_holder(self_ptr self, std::string_view id, api_call& call,
                    reply_promise& rp) {
  auto holder = holder_elsewhere(self, id);
  if (!holder)
    return false;
  rp.delegate(holder, std::move(call));
  return true;
}

namespace {

/// How long the caller's holder waits for the conversation's holder before
/// it answers `unavailable` and lets the inbox it made go: as long as a
/// relay waits for its core.
constexpr auto holder_patience = std::chrono::seconds{10};

/// The caller's inbox is made here, then the call goes to the conversation's
/// holder with it. When the conversation may keep the inbox, the answer
/// comes back through here: a hold this call took and the conversation did
/// not keep (refused, not there, not reached) is let go at once.
void send_with_inbox(self_ptr self, const directory_actor& holder,
                     const std::string& conversation, api_call& call,
                     reply_promise& rp) {
  auto key = engine::user_key(call.who.role, call.who.user);
  const auto* user = self->state.users.find(key);
  bool held_before = user != nullptr && user->holds.count(conversation) > 0;
  call.inbox = inbox_for(self, call, conversation);
  if (held_before || !may_keep_caller(call.what)) {
    rp.delegate(holder, std::move(call));
    return;
  }
  auto let_go = [self, key, conversation] {
    self->state.users.release_one(key, conversation);
    drop_if_idle(self, key);
  };
  self->request(holder, holder_patience, std::move(call))
    .then(
      [rp, let_go](reply& r) mutable {
        if (!r.ok())
          let_go();
        rp.deliver(std::move(r));
      },
      [rp, let_go](caf::error&) mutable {
        let_go();
        rp.deliver(
          reply::error(errc::unavailable, "no answer in time: try again"));
      });
}

} // namespace

bool passed_on(self_ptr self, const std::string& conversation, api_call& call,
               reply_promise& rp) {
  if (!self->state.shards.spread())
    return false;
  if (!call.inbox && !agent_of(self, call.who)) {
    auto key = engine::user_key(call.who.role, call.who.user);
    if (sent_to_holder(self, key, call, rp))
      return true;
    if (auto holder = holder_elsewhere(self, conversation)) {
      send_with_inbox(self, holder, conversation, call, rp);
      return true;
    }
    return false;
  }
  return sent_to_holder(self, conversation, call, rp);
}

namespace {

void note_hold_of(self_ptr self, const std::string& conversation,
                  directory_actor holder, std::string key) {
  auto& holds = self->state.remote_holds[conversation];
  auto hold = std::make_pair(std::move(holder), std::move(key));
  if (std::find(holds.begin(), holds.end(), hold) == holds.end())
    holds.push_back(std::move(hold));
}

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

void note_remote_hold(self_ptr self, const std::string& conversation,
                      const api_call& call) {
  if (!may_keep_caller(call.what) || agent_of(self, call.who))
    return;
  auto key = engine::user_key(call.who.role, call.who.user);
  if (auto holder = holder_elsewhere(self, key))
    note_hold_of(self, conversation, std::move(holder), std::move(key));
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
      [self, key, rp, arrived](reply& r) mutable {
        arrived();
        if (const auto* o = std::get_if<opened>(&r.body); r.ok() && o)
          self->state.users.hold(key, o->conversation);
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
    note_hold_of(self, id, std::move(holder), std::move(key));
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
  for (const auto& [holder, key] : holds)
    forget_remote_bot(self, key, conversation);
  std::ranges::sort(holds, {}, [](const auto& h) { return h.first.address(); });
  for (std::size_t at = 0; at < holds.size();) {
    holds_released released{conversation, {}};
    auto holder = holds[at].first;
    for (; at < holds.size() && holds[at].first == holder; ++at)
      released.keys.push_back(std::move(holds[at].second));
    self->send(holder, std::move(released));
  }
}

void on_holds_taken(self_ptr self, const holds_taken& t) {
  for (const auto& key : t.keys)
    self->state.users.hold(key, t.conversation);
}

void on_holds_released(self_ptr self, const holds_released& r) {
  for (const auto& key : r.keys) {
    self->state.users.release_one(key, r.conversation);
    drop_if_idle(self, key);
  }
}

void start_queues(self_ptr self) {
  auto& st = self->state;
  for (const auto& q : st.rt->cfg->queues)
    if (st.shards.holds(q.id))
      st.queues.emplace(q.id, spawn_queue(self, q, st.rt));
}

void start_agents_once_queues_known(self_ptr self) {
  auto& st = self->state;
  const auto& cfg = *st.rt->cfg;
  if (st.agents_started)
    return;
  for (const auto& q : cfg.queues)
    if (st.queues.count(q.id) == 0)
      return;
  st.agents_started = true;
  supervised_queues supervised;
  for (const auto& q : cfg.queues)
    supervised.queues.emplace_back(q.id, st.queues.at(q.id));
  self->send(st.rt->supervision, std::move(supervised));
  for (const auto& a : cfg.agents) {
    if (!st.shards.holds(a.id))
      continue;
    std::vector<queue_actor> queues;
    for (const auto& q : a.queues)
      queues.push_back(st.queues.at(q));
    st.agents.emplace(a.id,
                      spawn_agent(self, a, st.rt, self, std::move(queues)));
  }
}

namespace {

/// Adds the handles of ids another directory holds; this one's own stay.
template <class Handle>
void learn(const directory_state& st,
           std::unordered_map<std::string, Handle>& table,
           const std::vector<std::pair<std::string, Handle>>& handles) {
  for (const auto& [id, handle] : handles)
    if (!st.shards.holds(id))
      table.insert_or_assign(id, handle);
}

template <class Handle>
std::vector<std::pair<std::string, Handle>>
own(const directory_state& st,
    const std::unordered_map<std::string, Handle>& table) {
  std::vector<std::pair<std::string, Handle>> out;
  for (const auto& [id, handle] : table)
    if (st.shards.holds(id))
      out.emplace_back(id, handle);
  return out;
}

} // namespace

namespace {

/// A table that names this directory for exactly its own shards, and a
/// directory for every other: any other sends ids to the wrong holder, or
/// back here for ever.
bool fits(self_ptr self, const std::vector<directory_actor>& holders) {
  const auto& shards = self->state.shards;
  if (holders.size() != shards.count())
    return false;
  for (std::uint32_t s = 0; s < holders.size(); ++s) {
    bool mine = holders[s] == self;
    if (!holders[s] || mine != shards.holds_shard(s))
      return false;
  }
  return true;
}

} // namespace

bool joined(const directory_state& st) {
  return !st.shards.spread()
         || (!st.holders.empty() && st.agents_started
             && st.agents.size() >= st.rt->cfg->agents.size());
}

directory_roster on_join(self_ptr self, join_directories& j) {
  auto& st = self->state;
  if (st.shards.spread()) {
    if (fits(self, j.holders))
      st.holders = std::move(j.holders);
    else
      log::error("join refused: its table does not match this directory's "
                 "shards")
        .field("shards", static_cast<std::uint64_t>(st.shards.count()))
        .field("table", static_cast<std::uint64_t>(j.holders.size()));
  }
  learn(st, st.queues, j.queues);
  start_agents_once_queues_known(self);
  learn(st, st.agents, j.agents);
  return {own(st, st.queues), own(st, st.agents)};
}

} // namespace baton::actors::directory_impl
