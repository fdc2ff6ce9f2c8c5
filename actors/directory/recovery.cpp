#include "actors/directory/state.hpp"

#include <algorithm>
#include <utility>

#include "caf/all.hpp"

#include "actors/agent/messages.hpp"
#include "actors/conversation/actor.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/conversation/summary.hpp"
#include "actors/store/messages.hpp"
#include "engine/conversation/conversation.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {

/// Recovery goes this many conversations per message, the directory's
/// mailbox turning between steps: spawning them all in one handler leaves
/// the other scheduler thread stealing the new actors one by one (50k took
/// 39 s on two threads, 1.4 s on one).
constexpr std::size_t restore_batch = 500;

/// A store that could not give a taken shard's conversations is asked
/// again after this.
constexpr std::chrono::seconds store_retry_pause{1};

namespace {

/// Waiting in its queue and nothing else (no offer out, no transfer, no
/// agent): what passivation would let sleep.
bool only_waits(const engine::conversation& c) {
  return c.state() == engine::conversation_state::queued
         && c.open_offers().empty() && !c.pending().has_value()
         && c.agents().empty()
         && (c.direct_agent().empty() || c.enqueued_at() != 0);
}

/// `only_waits` comes back asleep when passivation is on: a record in the
/// directory and its place in `queue`, no actor, no inbox. The queue enters
/// it as its actor would on a restart (conversation/workflows.cpp,
/// resume_routing): its priority, original age and the wait it had left.
bool restore_asleep(self_ptr self, engine::storage::conversation_log& log,
                    const engine::conversation& c, const std::string& queue_id,
                    const queue_actor& queue) {
  auto& st = self->state;
  auto record = make_sleeper(self, queue_id, queue_id, {}, log.events);
  if (!record)
    return false;
  auto customer_key = engine::user_key(engine::role::customer, c.customer().id);
  st.users.hold(customer_key, c.id(), true);
  add_conversation(self, c.id(), conversation_actor{}, customer_key, true,
                   std::move(record));
  st.rt->metrics->conversations_active.add(1);
  // Its customer's inbox, made already for a conversation of theirs that
  // came back as an actor, lists it too.
  if (auto inbox = inbox_if_any(self, customer_key))
    self->send(inbox,
               passivate{conversation_actor{}, {}, summarize(c, true, {})});
  // The bot that started it lists it: its inbox is made now and stays
  // while it holds conversations, so it never needs telling again.
  if (!c.bot().empty()) {
    st.conversations.at(c.id()).bot_lists = true;
    auto bot = engine::user_key(engine::role::bot, c.bot());
    self->send(held_inbox(self, bot, c.id()),
               passivate{conversation_actor{}, {}, summarize(c, true, {})});
    ask_holders_for_inboxes(self, c.id(), {bot});
  }
  self->send(queue, asleep_in_line(c, log.events));
  return true;
}

} // namespace

enqueue asleep_in_line(const engine::conversation& c,
                       const std::vector<engine::event>& log) {
  // No handle: the queue reaches it through the directory.
  return {c.id(),
          conversation_actor{},
          c.priority(),
          c.enqueued_at() != 0 ? c.enqueued_at() : c.created_at(),
          c.routing_topic(),
          c.channel(),
          c.customer(),
          c.content(),
          engine::last_queued_at(log),
          {}};
}

/// One open conversation from the store: its actor again (or its record,
/// when it only waits), its place in its queue (the queue orders by
/// priority and original age, so the order is the one before), its agents'
/// capacity, its customer's list.
conversation_actor restore(self_ptr self,
                           engine::storage::conversation_log& log,
                           bool closed_too) {
  auto& st = self->state;
  engine::conversation c(log.id);
  for (const auto& e : log.events)
    c.apply(e);
  bool closed = c.state() == engine::conversation_state::closed;
  if (closed && !closed_too)
    return {};
  // A queue removed from the configuration since: the default one.
  auto q = st.queues.find(c.queue());
  if (q == st.queues.end())
    q = st.queues.find(st.rt->cfg->routing.default_queue);
  if (q == st.queues.end()) {
    // Recovery waits for every queue (restore_when_ready): not one known.
    log::error("recovery: no queue known for a conversation")
      .field("conversation", log.id);
    return {};
  }
  // One whose queue was removed meanwhile comes back as an actor, as before.
  if (!closed_too && st.rt->cfg->routing.passivate_after_ms > 0 && only_waits(c)
      && q->first == c.queue()
      && restore_asleep(self, log, c, q->first, q->second))
    return {};
  auto customer_key = engine::user_key(engine::role::customer, c.customer().id);
  auto customer = held_inbox(self, customer_key, c.id(), true);
  auto handle = spawn_conversation(self, c.id(), st.rt, q->first, q->second,
                                   customer);
  // Users' inboxes are made here first; those another directory holds
  // are asked of it (ask_holders_for_inboxes).
  std::vector<std::string> users;
  std::unordered_map<std::string, inbox_actor> agents;
  for (const auto& a : c.agents()) {
    auto i = st.agents.find(a.id);
    if (a.role == engine::role::agent && i != st.agents.end()) {
      agents.emplace(a.id, i->second);
      continue;
    }
    users.push_back(engine::user_key(a.role, a.id));
    agents.emplace(a.id, held_inbox(self, users.back(), c.id()));
  }
  // The conversation takes up routing itself (resume_routing): its queue,
  // a transfer's target, a direct conversation's member.
  user_actor bot;
  if (!c.bot().empty()) {
    users.push_back(engine::user_key(engine::role::bot, c.bot()));
    bot = held_inbox(self, users.back(), c.id());
    self->send(bot, track_conversation{c.id(), handle});
  }
  self->send(handle, restore_conversation{std::move(log.events), agents,
                                          std::move(bot)});
  add_conversation(self, c.id(), handle, customer_key, !closed);
  self->send(customer, track_conversation{c.id(), handle});
  // Only to the agent actors the conversation holds: one who took part
  // as a supervisor of the same id is not in his slots.
  for (const auto& a : c.agents())
    if (auto i = st.agents.find(a.id);
        a.role == engine::role::agent && i != st.agents.end())
      self->send(i->second, restore_assignment{c.id(), handle});
  if (!closed)
    st.rt->metrics->conversations_active.add(1);
  ask_holders_for_inboxes(self, c.id(), users);
  return handle;
}

/// Whether `who` is the customer of the conversation `log` records.
bool customer_of_log(const std::vector<engine::event>& log, const caller& who) {
  if (log.empty() || who.role != engine::role::customer)
    return false;
  const auto* created = std::get_if<engine::conversation_created>(&log[0].body);
  return created != nullptr && created->customer.id == who.user;
}

/// A conversation's stored log came back for `call` (a resume): its actor
/// comes back, and the resume goes to it.
void revive(self_ptr self, std::vector<engine::event> log, api_call& call,
            reply_promise& rp, settled_fn settled) {
  auto& st = self->state;
  const auto& id = std::get<resume_conversation>(call.what).conversation;
  if (!st.shards.holds(id)) { // its shard was given up while it was read
    if (settled)
      settled();
    rp.deliver(moving_elsewhere());
    return;
  }
  auto i = st.conversations.find(id);
  if (i == st.conversations.end()) {
    // Only its customer may bring it back: anyone else learns nothing, not
    // even that it exists, and nothing is loaded.
    if (!customer_of_log(log, call.who)) {
      if (settled)
        settled();
      rp.deliver(reply::error(errc::not_found, "no such conversation"));
      return;
    }
    engine::storage::conversation_log stored{id, std::move(log)};
    restore(self, stored, true);
    // Newer than what a recovery under way read of it: that one may not
    // bring it back again, even once it retired.
    if (!st.recovering.logs.empty())
      st.recovering.revived.insert(id);
  }
  to_conversation_actor(self, id, call, rp, std::move(settled));
}

caf::result<bool> on_recover(self_ptr self, recover_conversations& r) {
  auto& rec = self->state.recovering;
  auto done = self->make_response_promise<bool>();
  rec.done.push_back(done);
  rec.logs.insert(rec.logs.end(), std::make_move_iterator(r.logs.begin()),
                  std::make_move_iterator(r.logs.end()));
  restore_when_ready(self);
  return done;
}

void on_recover_shards(self_ptr self, std::vector<std::uint32_t> shards) {
  auto& st = self->state;
  if (!st.rt->reader || shards.empty())
    return;
  st.recovering.unread.insert(shards.begin(), shards.end());
  // Ahead of clients' reads queued for the reader: these conversations
  // answer nobody until they are back.
  self
    ->request<caf::message_priority::high>(
      st.rt->reader, caf::infinite, open_logs_read{shards, st.shards.count()})
    .then(
      [self, shards](open_logs& read) mutable {
        if (!read.readable) {
          // Until the store answers, these conversations are nowhere.
          self->delayed_send(self, store_retry_pause,
                             recover_shards{std::move(shards)});
          return;
        }
        auto& rec = self->state.recovering;
        for (auto s : shards)
          if (rec.unread.erase(s) > 0)
            rec.unrestored.insert(s);
        auto line = log::info("recovering the shards taken over");
        line.field("shards", shards.size())
          .field("conversations", read.logs.size());
        // What it waits for, should a node's configuration lack it.
        if (!rec.awaited.empty())
          line.field("waiting_for", *rec.awaited.begin())
            .field("awaited", rec.awaited.size());
        rec.logs.insert(rec.logs.end(),
                        std::make_move_iterator(read.logs.begin()),
                        std::make_move_iterator(read.logs.end()));
        restore_when_ready(self);
      },
      [](const caf::error&) {}); // the reader stopped: so does the node
}

bool still_recovering(const directory_state& st, std::string_view id) {
  const auto& rec = st.recovering;
  if (rec.unread.empty() && rec.unrestored.empty())
    return false;
  auto shard = engine::cluster::shard_of(id, st.shards.count());
  return rec.unread.count(shard) > 0 || rec.unrestored.count(shard) > 0;
}

void restored(self_ptr self) {
  auto& rec = self->state.recovering;
  rec.unrestored.clear();
  for (auto& call : std::exchange(rec.after_restore, {}))
    call();
}

void restore_when_ready(self_ptr self) {
  auto& rec = self->state.recovering;
  // Shards read with nothing open in them: nothing to wait for.
  if (!rec.under_way && rec.logs.empty() && !rec.unrestored.empty())
    restored(self);
  if (rec.under_way || !rec.awaited.empty()
      || (rec.logs.empty() && rec.done.empty()))
    return;
  rec.under_way = true;
  self->send(self, restore_step{});
}

void on_restore_step(self_ptr self) {
  auto& st = self->state;
  auto& rec = st.recovering;
  if (!rec.under_way)
    return; // no recovery under way: a stray step does nothing
  if (!rec.awaited.empty()) {
    rec.under_way = false; // a newer table moved more: on once it is learnt
    return;
  }
  auto end = std::min(rec.next + restore_batch, rec.logs.size());
  for (auto i = rec.next; i < end; ++i) {
    // Another directory's conversations are its to bring back: two actors
    // for one conversation would both write its log. One already here (a
    // resume or a sleeper brought it back meanwhile) stays as it is.
    const auto& id = rec.logs[i].id;
    if (st.shards.holds(id) && st.conversations.count(id) == 0
        && rec.revived.count(id) == 0)
      restore(self, rec.logs[i]);
  }
  rec.next = end;
  if (end < rec.logs.size()) {
    self->send(self, restore_step{});
    return;
  }
  rec.logs.clear();
  rec.logs.shrink_to_fit();
  rec.revived.clear();
  rec.next = 0;
  rec.under_way = false;
  restored(self);
  for (auto& done : std::exchange(rec.done, {}))
    done.deliver(true);
}

} // namespace baton::actors::directory_impl
