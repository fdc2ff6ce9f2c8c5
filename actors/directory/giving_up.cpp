// Giving shards up to even the cluster out (docs/cluster.md, "Evening
// out"): the lease keeper of a node holding more than its share asks; the
// shards' conversations leave memory once all they wrote is stored, their
// queues, agents and user inboxes stop, and the journal stores what is
// left, before the keeper frees the shards in the database for a node
// with fewer to claim. Until a table names their new holder, what is for
// their ids is answered "moving" by the mover (mover.cpp).
#include "actors/directory/state.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/store/messages.hpp"
#include "actors/supervision/messages.hpp"
#include "actors/user/messages.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {
namespace {

/// How long the conversations of the shards given up, and then the
/// journal, have to store what they wrote; past it the keeper asks again.
constexpr auto store_patience = std::chrono::seconds{2};

/// `id` falls in a shard being given up.
bool moving_id(const directory_state& st, std::string_view id) {
  return st.moving.count(engine::cluster::shard_of(id, st.shards.count())) > 0;
}

/// A conversation of a shard given up is out of memory: what the directory
/// kept for it goes as at its retirement, but its customer's inbox lists
/// nothing (it is open, and comes back at its new holder).
void forget_conversation(self_ptr self, const std::string& id) {
  auto& st = self->state;
  auto i = st.conversations.find(id);
  if (i == st.conversations.end())
    return;
  auto customer = *i->second.customer;
  auto& metric = i->second.asleep ? st.rt->metrics->conversations_asleep
                                  : st.rt->metrics->conversation_actors;
  metric.add(-1);
  if (i->second.open) {
    --st.users.at(customer).open;
    st.rt->metrics->conversations_active.add(-1); // counted again where it goes
  }
  st.conversations.erase(i);
  for (const auto& key : st.users.release(id, customer))
    drop_if_idle(self, key);
  release_remote_holds(self, id);
}

/// Stops `handle` (a queue or an agent, linked to the directory) without
/// stopping the directory with it.
template <class Handle>
void stop_linked(self_ptr self, const Handle& handle) {
  self->unlink_from(handle);
  self->send_exit(handle, caf::exit_reason::user_shutdown);
}

/// The user inboxes of the shards given up stop: their sessions, told by
/// their hubs, reconnect and attach at the new holder.
void stop_inboxes(self_ptr self) {
  auto& st = self->state;
  std::vector<std::string> keys;
  st.users.each([&](const std::string& key, user_table::entry& e) {
    if (!moving_id(st, key))
      return;
    // Conversations staying here that hold the inbox ask the user's new
    // holder for one once a table names it (follow_moved_users).
    for (const auto& conversation : e.holds)
      if (auto c = st.conversations.find(conversation);
          c != st.conversations.end() && !moving_id(st, conversation)
          && *c->second.customer != key)
        note_hold_of(self, conversation, caf::actor_cast<directory_actor>(self),
                     key, e.inbox);
    if (e.inbox) {
      // A supervisor's subscription ends with her sessions here.
      self->send(st.rt->supervision, sessions_ended{e.inbox});
      self->send(e.inbox, inbox_close{});
      st.rt->metrics->user_inboxes.add(-1);
      e.inbox = nullptr;
    }
    e.sessions.clear();
    e.resuming.clear();
    keys.push_back(key);
  });
  for (const auto& key : keys)
    drop_if_idle(self, key);
  for (auto& [hub, sessions] : st.remote_sessions)
    std::erase_if(sessions, [&](const auto& each) {
      const auto& who = each.second.who;
      return moving_id(st, who.role == engine::role::agent
                             ? who.user
                             : engine::user_key(who.role, who.user));
    });
}

/// Every conversation of the shards given up is out of memory: their
/// queues, agents and inboxes stop, and the journal stores the rest.
void stop_members_and_sync(self_ptr self,
                           caf::typed_response_promise<bool> rp) {
  auto& st = self->state;
  for (const auto& [id, queue] : st.queues)
    if (moving_id(st, id))
      stop_linked(self, queue);
  for (const auto& [id, agent] : st.agents)
    if (moving_id(st, id)) {
      self->send(st.rt->supervision, sessions_ended{agent});
      stop_linked(self, agent);
    }
  std::erase_if(st.agents_awaiting_queues,
                [&](const auto& id) { return moving_id(st, id); });
  std::erase_if(st.agents_removed,
                [&](const auto& entry) { return moving_id(st, entry.second); });
  stop_inboxes(self);
  if (!st.rt->journal) {
    rp.deliver(true);
    return;
  }
  self->request(st.rt->journal, store_patience, journal_sync{})
    .then([rp](bool stored) mutable { rp.deliver(stored); },
          [rp](const caf::error&) mutable { rp.deliver(false); });
}

/// What a give-up waits for: its conversations' answers still to come, and
/// whether each came in time.
struct leaving {
  std::size_t pending = 0;
  bool all_left = true;
  caf::typed_response_promise<bool> rp;
};

void one_left(self_ptr self, const std::shared_ptr<leaving>& l, bool left) {
  l->all_left = l->all_left && left;
  if (--l->pending > 0)
    return;
  if (l->all_left)
    stop_members_and_sync(self, l->rp);
  else
    l->rp.deliver(false);
}

void leave_one(self_ptr self, const std::string& id,
               const std::shared_ptr<leaving>& l) {
  auto& st = self->state;
  auto i = st.conversations.find(id);
  if (i == st.conversations.end())
    return one_left(self, l, true);
  if (held_back(self, id, [self, id, l] { leave_one(self, id, l); }))
    return;
  if (!i->second.handle) { // asleep: its record is all there is
    forget_conversation(self, id);
    return one_left(self, l, true);
  }
  self->request(i->second.handle, store_patience, leave_node{})
    .then(
      [self, id, l](bool) {
        forget_conversation(self, id);
        one_left(self, l, true);
      },
      [self, id, l](const caf::error& e) {
        // Gone already (retired meanwhile): out of memory as well.
        bool gone = e != caf::sec::request_timeout;
        if (gone)
          forget_conversation(self, id);
        one_left(self, l, gone);
      });
}

} // namespace

void on_give_up(self_ptr self, give_up_shards& g,
                caf::typed_response_promise<bool> rp) {
  auto& st = self->state;
  // Not while it is joining or bringing shards back: asked again later.
  bool whole = g.epochs.size() == g.shards.size();
  bool known = std::all_of(g.shards.begin(), g.shards.end(), [&](auto s) {
    return st.shards.holds_shard(s) || st.moving.count(s) > 0;
  });
  const auto& rec = st.recovering;
  if (!st.shards.spread() || !joined(st) || rec.under_way || !rec.logs.empty()
      || !rec.unread.empty() || !rec.unrestored.empty() || !whole || !known) {
    rp.deliver(false);
    return;
  }
  for (std::size_t at = 0; at < g.shards.size(); ++at)
    if (st.shards.holds_shard(g.shards[at])) {
      st.shards.give(g.shards[at]);
      st.moving.emplace(g.shards[at], g.epochs[at]);
    }
  log::info("cluster: giving shards up")
    .field("shards", g.shards.size())
    .field("moving", st.moving.size());
  std::vector<std::string> ids;
  for (const auto& [id, entry] : st.conversations)
    if (moving_id(st, id))
      ids.push_back(id);
  auto l = std::make_shared<leaving>();
  l->rp = std::move(rp);
  l->pending = ids.size() + 1; // and this call's own
  for (const auto& id : ids)
    leave_one(self, id, l);
  one_left(self, l, true);
}

bool still_moving(self_ptr self, std::uint32_t shard,
                  const directory_actor& named,
                  const std::vector<std::uint64_t>& epochs) {
  const auto& moving = self->state.moving;
  auto i = moving.find(shard);
  if (i == moving.end())
    return false;
  bool claimed_again = shard < epochs.size() && epochs[shard] > i->second;
  return named == self && !claimed_again;
}

void settle_moving(self_ptr self) {
  auto& st = self->state;
  std::erase_if(st.moving, [&](const auto& m) {
    return !still_moving(self, m.first, st.holders[m.first], st.holders_epochs);
  });
}

} // namespace baton::actors::directory_impl
