// The directory's side of passivation (docs/architecture.md,
// "Passivation"): it keeps a sleeping conversation's record, holds back what
// comes for one whose request is settling, and wakes one when a message
// needs its actor.
#include "actors/directory/state.hpp"

#include "caf/all.hpp"
#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"

#include "actors/conversation/actor.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/conversation/summary.hpp"

namespace baton::actors::directory_impl {

bool held_back(self_ptr self, const std::string& id,
               std::function<void()> later) {
  auto i = self->state.settling.find(id);
  if (i == self->state.settling.end())
    return false;
  i->second.push_back(std::move(later));
  return true;
}

std::unique_ptr<sleeper>
make_sleeper(self_ptr self, std::string home_queue, std::string waiting_in,
             engine::line_place place, std::vector<engine::event>& log) {
  auto out = std::make_unique<sleeper>();
  out->home_queue = std::move(home_queue);
  out->waiting_in = std::move(waiting_in);
  out->place = place;
  caf::binary_serializer sink{self->system(), out->log};
  if (auto err = sink(log))
    return nullptr;
  out->log.shrink_to_fit();
  return out;
}

namespace {

std::unique_ptr<sleeper> compact(self_ptr self, sleeping_conversation& r) {
  return make_sleeper(self, std::move(r.home_queue), std::move(r.waiting_in),
                      r.place, r.log);
}

std::vector<engine::event> read_log(self_ptr self, const sleeper& s) {
  std::vector<engine::event> log;
  caf::binary_deserializer source{self->system(), s.log};
  // What this process wrote a moment ago reads back.
  if (auto err = source(log))
    CAF_RAISE_ERROR("a sleeping conversation's record does not read back");
  return log;
}

sleeping_conversation expand(self_ptr self, const std::string& id, sleeper& s) {
  auto log = read_log(self, s);
  return {id,      std::move(s.home_queue), std::move(s.waiting_in),
          s.place, std::move(log),          user_actor{}};
}

/// The inbox key of the bot that started the conversation `log` records;
/// empty when a customer started it.
std::string bot_key_of(const std::vector<engine::event>& log) {
  if (log.empty())
    return {};
  const auto* created = std::get_if<engine::conversation_created>(&log[0].body);
  if (created == nullptr || created->bot.empty())
    return {};
  return engine::user_key(engine::role::bot, created->bot);
}

/// Its bot's inbox, when it has one in memory (which it keeps while it
/// holds the conversation: a bot's inbox does not rest).
user_actor bot_inbox_of(self_ptr self, const std::vector<engine::event>& log) {
  auto key = bot_key_of(log);
  if (key.empty())
    return {};
  // Started here through its holder: its inbox is there. Restored from
  // the store: here.
  if (auto remote = remote_bot_inbox(self, key))
    return remote;
  return inbox_if_any(self, key);
}

conversation_summary summary_of(const std::string& id,
                                const std::vector<engine::event>& log,
                                const engine::line_place& place) {
  engine::conversation c(id);
  for (const auto& e : log)
    c.apply(e);
  return summarize(c, true, place);
}

} // namespace

conversation_summary summary_of(self_ptr self, const std::string& id,
                                const sleeper& s) {
  return summary_of(id, read_log(self, s), s.place);
}

conversation_actor awake(self_ptr self, const std::string& id,
                         conversation_entry& entry) {
  if (!entry.asleep)
    return entry.handle;
  auto& st = self->state;
  auto record = std::move(entry.asleep);
  // A queue removed by a reload is still in the table, retired: it passes
  // the conversation on.
  auto q = st.queues.find(record->home_queue);
  if (q == st.queues.end())
    q = st.queues.find(st.rt->cfg->routing.default_queue);
  auto customer = user_inbox(self, *entry.customer);
  entry.handle = spawn_conversation(self, id, st.rt, q->first, q->second,
                                    customer);
  auto wake = expand(self, id, *record);
  auto bot = bot_inbox_of(self, wake.log);
  wake.bot = bot;
  entry.bot_lists = false;
  // Its log first: what the inboxes ask it then finds it whole.
  self->send(entry.handle, std::move(wake));
  if (bot)
    self->send(bot, track_conversation{id, entry.handle});
  self->send(customer, track_conversation{id, entry.handle});
  st.rt->metrics->conversation_actors.add(1);
  st.rt->metrics->conversations_asleep.add(-1);
  return entry.handle;
}

void enter_again_asleep(self_ptr self, const std::string& id,
                        const conversation_entry& entry,
                        const queue_actor& queue) {
  auto log = read_log(self, *entry.asleep);
  engine::conversation c(id);
  for (const auto& e : log)
    c.apply(e);
  self->send(queue, asleep_in_line(c, log));
}

void tell_of_sleepers(self_ptr self, const std::string& key,
                      const user_actor& inbox) {
  auto& st = self->state;
  const auto* user = st.users.find(key);
  if (user == nullptr)
    return;
  // Its own conversations only: a hold may be another's conversation this
  // user only asked something of (a takeover refused, say).
  for (const auto& id : user->holds) {
    auto i = st.conversations.find(id);
    if (i == st.conversations.end() || !i->second.asleep
        || *i->second.customer != key)
      continue;
    self->send(inbox, passivate{conversation_actor{},
                                {},
                                summary_of(self, id, *i->second.asleep)});
  }
}

void rest_inbox_if_all_asleep(self_ptr self, const std::string& key) {
  // A bot's inbox holds every conversation the bot started and lists the
  // sleeping ones: it stays, so that a woken one finds it and no new inbox
  // needs telling of them.
  static const auto bot_keys = engine::user_key(engine::role::bot, "");
  if (key.starts_with(bot_keys))
    return;
  auto& st = self->state;
  auto* user = st.users.find(key);
  if (user == nullptr || !user->inbox || !user->sessions.empty()
      || !user->resuming.empty() || user->holds.empty() || user->lists_closed)
    return;
  for (const auto& id : user->holds) {
    auto i = st.conversations.find(id);
    if (i == st.conversations.end() || !i->second.asleep
        || st.settling.count(id) > 0)
      return;
  }
  self->send(user->inbox, inbox_close{});
  user->inbox = user_actor{};
  st.rt->metrics->user_inboxes.add(-1);
}

void on_passivate(self_ptr self, passivate& p) {
  auto& st = self->state;
  const auto id = p.record.conversation;
  if (auto holder = holder_elsewhere(self, id)) {
    self->send(holder, std::move(p));
    return;
  }
  auto i = st.conversations.find(id);
  auto record = i == st.conversations.end() || i->second.handle != p.handle
                    || st.settling.count(id) > 0
                  ? nullptr
                  : compact(self, p.record);
  if (!record) {
    // Not the actor this directory knows: it stays as it is.
    self->send(p.handle, passivation_settled{true});
    return;
  }
  auto bot = bot_inbox_of(self, p.record.log);
  i->second.bot_lists = static_cast<bool>(bot);
  i->second.asleep = std::move(record);
  st.settling.emplace(id, held_back_calls{});
  // Its bot's inbox and its customer's list the summary instead of asking
  // the actor, the last of them sending the request back to it.
  auto customer = inbox_if_any(self, *i->second.customer);
  auto first = bot ? bot : customer;
  if (!first) {
    self->send(p.handle, passivation_settled{});
    return;
  }
  self->send(first, passivate{p.handle,
                              {},
                              std::move(p.summary),
                              bot ? customer : user_actor{}});
}

void on_passivation_done(self_ptr self, const passivation_done& d) {
  auto& st = self->state;
  auto s = st.settling.find(d.conversation);
  auto i = st.conversations.find(d.conversation);
  if (s == st.settling.end() || i == st.conversations.end()
      || i->second.handle != d.handle)
    return;
  auto later = std::move(s->second);
  st.settling.erase(s);
  auto& entry = i->second;
  if (d.slept) {
    entry.handle = conversation_actor{};
    st.rt->metrics->conversation_actors.add(-1);
    st.rt->metrics->conversations_asleep.add(1);
    rest_inbox_if_all_asleep(self, *entry.customer);
  } else {
    auto bot = entry.bot_lists
                 ? bot_inbox_of(self, read_log(self, *entry.asleep))
                 : user_actor{};
    entry.bot_lists = false;
    entry.asleep.reset();
    if (bot)
      self->send(bot, track_conversation{d.conversation, d.handle});
    if (auto inbox = inbox_if_any(self, *entry.customer))
      self->send(inbox, track_conversation{d.conversation, d.handle});
  }
  for (auto& f : later)
    f();
}

namespace {

/// A sleeping conversation's new place: in its record, in the summary its
/// bot's inbox lists (the bot is not told of places), and to its customer
/// as its actor would have told it (the inbox updates its summary too).
void note_place(self_ptr self, conversation_entry& entry, const std::string& id,
                const engine::line_place& place) {
  entry.asleep->place = place;
  if (entry.bot_lists) {
    auto log = read_log(self, *entry.asleep);
    if (auto bot = bot_inbox_of(self, log))
      self->send(
        bot, passivate{conversation_actor{}, {}, summary_of(id, log, place)});
  }
  auto inbox = inbox_if_any(self, *entry.customer);
  if (!inbox)
    return;
  send_event(self, inbox,
             event_message(notification{
               id, position_notice{place.position, place.estimated_wait_s}}));
}

} // namespace

void on_from_queue(self_ptr self, from_queue& m) {
  auto& st = self->state;
  if (auto holder = holder_elsewhere(self, m.conversation)) {
    self->send(holder, std::move(m));
    return;
  }
  auto i = st.conversations.find(m.conversation);
  if (i == st.conversations.end())
    return; // gone: its queue hears that from it
  if (held_back(self, m.conversation,
                [self, m]() mutable { on_from_queue(self, m); }))
    return;
  if (const auto* p = std::get_if<line_position>(&m.message);
      p != nullptr && i->second.asleep)
    return note_place(self, i->second, m.conversation, p->place);
  auto handle = awake(self, m.conversation, i->second);
  std::visit([&](auto& msg) { self->send(handle, std::move(msg)); }, m.message);
}

void ask_conversation(self_ptr self, to_conversation& m,
                      caf::typed_response_promise<claim_result> rp) {
  auto& st = self->state;
  if (auto holder = holder_elsewhere(self, m.conversation)) {
    rp.delegate(holder, std::move(m));
    return;
  }
  auto i = st.conversations.find(m.conversation);
  if (i == st.conversations.end() && still_recovering(st, m.conversation)) {
    // A question is asked again after its patience: held here, each ask
    // of a recovery that stalls would wait in memory.
    if (m.question()) {
      rp.deliver(
        claim_result{m.conversation, {}, m.offer(), errc::unavailable});
      return;
    }
    // So is a claim or pick asked again (every patience while the agent
    // has no answer): held, they would pile up too. Left unanswered, as
    // the mover leaves them: the one after the restore is answered.
    if (m.asked_again())
      return;
    st.recovering.after_restore.push_back(
      [self, m, rp]() mutable { ask_conversation(self, m, rp); });
    return;
  }
  if (i == st.conversations.end()) {
    // Named by its offer too, as the conversation would have: the agent
    // settles the claim by both.
    rp.deliver(claim_result{m.conversation, {}, m.offer(), errc::not_found});
    return;
  }
  if (held_back(self, m.conversation,
                [self, m, rp]() mutable { ask_conversation(self, m, rp); }))
    return;
  // A question is answered from the record of one asleep, not worth
  // waking it for: it waits in a queue, with no agent and no offer.
  if (m.question() && i->second.asleep) {
    const auto* q = std::get_if<waits_in>(&m.message);
    bool yes = q != nullptr && i->second.asleep->waiting_in == q->queue;
    rp.deliver(claim_result{
      m.conversation, {}, m.offer(), yes ? errc::ok : errc::conflict});
    return;
  }
  auto handle = awake(self, m.conversation, i->second);
  std::visit([&](auto& ask) { rp.delegate(handle, std::move(ask)); },
             m.message);
}

} // namespace baton::actors::directory_impl
