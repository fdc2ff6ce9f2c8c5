#include "actors/directory/actor.hpp"

#include <algorithm>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/agent/actor.hpp"
#include "actors/agent/messages.hpp"
#include "actors/conversation/actor.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/directory/messages.hpp"
#include "actors/directory/user_table.hpp"
#include "actors/fan_out.hpp"
#include "actors/messages.hpp"
#include "actors/queue/actor.hpp"
#include "actors/queue/messages.hpp"
#include "actors/store/journal.hpp"
#include "actors/store/messages.hpp"
#include "actors/store/reader.hpp"
#include "actors/store/stored_history.hpp"
#include "actors/supervision/actor.hpp"
#include "actors/supervision/messages.hpp"
#include "actors/user/actor.hpp"
#include "actors/user/messages.hpp"
#include "engine/conversation/conversation.hpp"
#include "engine/ids.hpp"
#include "engine/overloaded.hpp"

namespace baton::actors {
namespace {

using engine::errc;

/// A conversation actor in memory, and whose open conversation it is.
struct conversation_entry {
  conversation_actor handle;
  std::string customer; ///< the customer's inbox key
  bool open = true;
};

/// The open conversations read from the store at start, restored a batch
/// at a time (restore_step).
struct recovery {
  std::vector<engine::storage::conversation_log> logs;
  std::size_t next = 0;
  caf::typed_response_promise<bool> done;
};

struct directory_state {
  runtime_ptr rt;
  recovery recovering;
  std::unordered_map<std::string, queue_actor> queues;
  std::unordered_map<std::string, agent_actor> agents;
  std::unordered_map<std::string, conversation_entry> conversations;
  user_table users;
  engine::id_generator conversation_ids{"c-"};
};

using self_ptr = directory_actor::stateful_pointer<directory_state>;

user_actor user_inbox(self_ptr self, const std::string& key) {
  auto& e = self->state.users.at(key);
  if (!e.inbox) {
    e.inbox
      = spawn_user(self, self->state.rt->supervision,
                   self->state.rt->cfg->limits.closed_conversations_listed);
    self->state.rt->metrics->user_inboxes.add(1);
  }
  return e.inbox;
}

user_actor user_inbox(self_ptr self, engine::role role,
                      const std::string& user) {
  return user_inbox(self, engine::user_key(role, user));
}

/// Stops `key`'s inbox when no session and no conversation keeps it.
void drop_if_idle(self_ptr self, const std::string& key) {
  if (auto inbox = self->state.users.drop_if_idle(key)) {
    self->send(inbox, inbox_close{});
    self->state.rt->metrics->user_inboxes.add(-1);
  }
}

/// `conversation` keeps the inbox of `key` (its events go there) until the
/// conversation leaves memory.
user_actor held_inbox(self_ptr self, const std::string& key,
                      const std::string& conversation) {
  self->state.users.hold(key, conversation);
  return user_inbox(self, key);
}

/// A conversation actor is in memory now.
void add_conversation(self_ptr self, const std::string& id,
                      conversation_actor handle,
                      const std::string& customer_key, bool open) {
  auto& st = self->state;
  st.conversations.emplace(id, conversation_entry{handle, customer_key, open});
  st.rt->metrics->conversation_actors.add(1);
  if (open)
    ++st.users.at(customer_key).open;
}

/// The queue a new conversation goes to: the one asked for, else its topic's,
/// else the default. Empty when something named does not exist.
std::string queue_for(const engine::config::config& cfg,
                      const start_conversation& r, std::string& problem) {
  if (!r.topic.empty() && cfg.find_topic(r.topic) == nullptr) {
    problem = "no such topic: " + r.topic;
    return {};
  }
  if (!r.queue.empty()) {
    if (cfg.find_queue(r.queue) == nullptr)
      problem = "no such queue: " + r.queue;
    return problem.empty() ? r.queue : std::string{};
  }
  if (!r.topic.empty()) {
    const auto* topic = cfg.find_topic(r.topic);
    if (!topic->queue.empty())
      return topic->queue;
  }
  return cfg.routing.default_queue;
}

/// The customer already holds `limits.open_conversations_per_customer`
/// open conversations: the call is refused (`limit_reached`). Starting one
/// and resuming one are held to the same bound.
bool refused_for_open_limit(self_ptr self, api_call& call, reply_promise& rp,
                            const std::string& customer_key) {
  auto& st = self->state;
  const auto& limits = st.rt->cfg->limits;
  const auto* e = st.users.find(customer_key);
  if (e == nullptr || e->open < limits.open_conversations_per_customer)
    return false;
  st.rt->metrics->count_refusal(engine::limit::open_conversations_per_customer);
  rp.deliver(
    reply::error(errc::limit_reached,
                 "too many open conversations: at most "
                   + std::to_string(limits.open_conversations_per_customer)
                   + " per customer (limits.open_conversations_per_customer)"));
  return true;
}

/// Why this caller may not start this conversation; empty when it may.
std::string start_problem(const engine::config::config& cfg, const caller& who,
                          const start_conversation& r, errc& code) {
  code = errc::forbidden;
  bool bot = who.role == engine::role::bot;
  if (who.role != engine::role::customer && !bot)
    return "only customers and bots start conversations";
  code = errc::bad_request;
  if (bot && r.customer.empty())
    return "a bot names the customer it starts for: 'customer'";
  if (!bot && !r.customer.empty())
    return "'customer' is for bots";
  if (bot && !r.agent.empty())
    return "a bot hands off to a queue, not to one member";
  code = errc::not_found;
  if (!r.agent.empty() && cfg.find_agent(r.agent) == nullptr)
    return "no such member: " + r.agent;
  return {};
}

void start(self_ptr self, api_call& call, reply_promise& rp,
           const start_conversation& r) {
  auto& st = self->state;
  errc code = errc::ok;
  if (auto problem = start_problem(*st.rt->cfg, call.who, r, code);
      !problem.empty()) {
    rp.deliver(reply::error(code, problem));
    return;
  }
  std::string problem;
  auto queue = queue_for(*st.rt->cfg, r, problem);
  if (queue.empty()) {
    rp.deliver(reply::error(errc::not_found, problem));
    return;
  }
  bool bot = call.who.role == engine::role::bot;
  auto customer = engine::user_key(engine::role::customer,
                                   bot ? r.customer : call.who.user);
  if (refused_for_open_limit(self, call, rp, customer))
    return;
  auto& rt = st.rt;
  auto id = st.conversation_ids.next(now_ms(self, *rt));
  auto customer_inbox = held_inbox(self, customer, id);
  auto handle = spawn_conversation(self, id, rt, queue, st.queues.at(queue),
                                   customer_inbox);
  add_conversation(self, id, handle, customer, true);
  self->send(customer_inbox, track_conversation{id, handle});
  auto caller_key = engine::user_key(call.who.role, call.who.user);
  if (bot)
    self->send(held_inbox(self, caller_key, id),
               track_conversation{id, handle});
  auto routed = r;
  routed.queue = std::move(queue);
  call.inbox = user_inbox(self, caller_key);
  rp.delegate(handle, api_call{std::move(call.who), std::move(routed),
                               std::move(call.inbox)});
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

template <class Handle>
void forward_to(self_ptr self,
                const std::unordered_map<std::string, Handle>& table,
                const std::string& key, api_call& call, reply_promise& rp,
                errc missing, const char* why) {
  auto i = table.find(key);
  if (i == table.end()) {
    rp.deliver(reply::error(missing, why));
    return;
  }
  rp.delegate(i->second, std::move(call));
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

/// Every conversation verb goes to the conversation's actor; one that is
/// not in memory is not_found.
void to_conversation_actor(self_ptr self, const std::string& id, api_call& call,
                           reply_promise& rp) {
  auto& st = self->state;
  auto i = st.conversations.find(id);
  if (i == st.conversations.end()) {
    rp.deliver(reply::error(errc::not_found, "no such conversation"));
    return;
  }
  if (auto agent = agent_of(self, call.who))
    call.inbox = agent;
  else if (may_keep_caller(call.what))
    call.inbox = held_inbox(self,
                            engine::user_key(call.who.role, call.who.user), id);
  else
    call.inbox = user_inbox(self, call.who.role, call.who.user);
  rp.delegate(i->second.handle, std::move(call));
}

/// Supervisors, and agents with the `supervise` permission.
bool may_supervise(const runtime& rt, const caller& who) {
  if (who.role == engine::role::supervisor)
    return true;
  const auto* a = rt.cfg->find_agent(who.user);
  return who.role == engine::role::agent && a != nullptr
         && a->has_permission(engine::config::permission::supervise);
}

/// Asks every target for its row; answers with the rows in `field`, sorted
/// by `key`.
template <class Row, class Handle, class Query>
void answer_rows(self_ptr self, const std::vector<Handle>& targets, Query query,
                 std::vector<Row> reply::*field, std::string Row::*key,
                 reply_promise rp) {
  fan_out<Row>(self, targets, query,
               [field, key, rp](std::vector<Row> rows) mutable {
                 std::ranges::sort(rows, {}, key);
                 reply out;
                 out.*field = std::move(rows);
                 rp.deliver(std::move(out));
               });
}

void list_queues_for(self_ptr self, api_call& call, reply_promise& rp) {
  if (!engine::is_staff(call.who.role)) {
    rp.deliver(reply::error(errc::forbidden, "for agents and supervisors"));
    return;
  }
  std::vector<queue_actor> queues;
  for (const auto& q : self->state.rt->cfg->queues)
    queues.push_back(self->state.queues.at(q.id));
  answer_rows(self, queues, queue_stats_query{}, &reply::queues,
              &queue_row::queue, rp);
}

void list_agents_for(self_ptr self, api_call& call, reply_promise& rp,
                     const list_agents& r) {
  auto& st = self->state;
  if (!may_supervise(*st.rt, call.who)) {
    rp.deliver(reply::error(errc::forbidden, "for supervisors"));
    return;
  }
  if (!r.queue.empty() && st.rt->cfg->find_queue(r.queue) == nullptr) {
    rp.deliver(reply::error(errc::not_found, "no such queue: " + r.queue));
    return;
  }
  using engine::config::staff_role;
  std::vector<agent_actor> agents;
  for (const auto& a : st.rt->cfg->agents) {
    // Only those who can sign in as agents take conversations: a member
    // who only supervises is no row of the grid.
    bool takes_conversations = a.has_role(staff_role::agent)
                               || a.has_role(staff_role::manager);
    if (takes_conversations && (r.queue.empty() || a.in_queue(r.queue)))
      agents.push_back(st.agents.at(a.id));
  }
  answer_rows(self, agents, agent_row_query{}, &reply::agents,
              &agent_row::agent, rp);
}

void subscribe(self_ptr self, api_call& call, reply_promise& rp,
               const supervise_subscribe& r) {
  auto& st = self->state;
  if (!may_supervise(*st.rt, call.who)) {
    rp.deliver(reply::error(errc::forbidden,
                            "for supervisors and agents allowed to supervise"));
    return;
  }
  for (const auto& q : r.queues)
    if (st.rt->cfg->find_queue(q) == nullptr) {
      rp.deliver(reply::error(errc::not_found, "no such queue: " + q));
      return;
    }
  auto inbox = inbox_of(self, call.who);
  rp.delegate(st.rt->supervision, subscribe_supervisor{inbox, r.queues});
}

/// A conversation no actor holds may be in the store (closed and retired,
/// or closed before the last restart): its history is read there, by the
/// reader.
void history_from_store(self_ptr self, api_call& call, reply_promise& rp,
                        const conversation_history& r) {
  auto& st = self->state;
  if (st.conversations.count(r.conversation) > 0 || !st.rt->reader) {
    to_conversation_actor(self, r.conversation, call, rp);
    return;
  }
  rp.delegate(st.rt->reader, history_read{call.who, r});
}

conversation_actor restore(self_ptr self,
                           engine::storage::conversation_log& log,
                           bool closed_too = false);
bool customer_of_log(const std::vector<engine::event>& log, const caller& who);

/// A conversation's stored log came back for `call` (a resume): its actor
/// comes back, and the resume goes to it.
void revive(self_ptr self, std::vector<engine::event> log, api_call& call,
            reply_promise& rp) {
  auto& st = self->state;
  const auto& id = std::get<resume_conversation>(call.what).conversation;
  auto i = st.conversations.find(id);
  if (i == st.conversations.end()) {
    // Only its customer may bring it back: anyone else learns nothing, not
    // even that it exists, and nothing is loaded.
    if (!customer_of_log(log, call.who)) {
      rp.deliver(reply::error(errc::not_found, "no such conversation"));
      return;
    }
    engine::storage::conversation_log stored{id, std::move(log)};
    restore(self, stored, true);
  }
  to_conversation_actor(self, id, call, rp);
}

/// `conversation.resume` of a conversation no actor holds (closed before the
/// last restart): its actor comes back from the stored log, then resumes it.
void resume_from_store(self_ptr self, api_call& call, reply_promise& rp,
                       const resume_conversation& r) {
  auto& st = self->state;
  if (call.who.role == engine::role::customer
      && refused_for_open_limit(self, call, rp,
                                engine::user_key(engine::role::customer,
                                                 call.who.user)))
    return;
  if (st.conversations.count(r.conversation) > 0 || !st.rt->reader) {
    to_conversation_actor(self, r.conversation, call, rp);
    return;
  }
  // The log is read on the reader's thread; the directory takes it back.
  self->request(st.rt->reader, caf::infinite, store_read{r.conversation})
    .then(
      [self, call = std::move(call), rp](stored_log& log) mutable {
        if (!log.readable)
          rp.deliver(store_unavailable());
        else
          revive(self, std::move(log.events), call, rp);
      },
      [rp](caf::error&) mutable { rp.deliver(store_unavailable()); });
}

/// Whether a request may change what is stored (and so waits for a commit).
bool writes(const request& r) {
  return !(std::holds_alternative<conversation_history>(r)
           || std::holds_alternative<list_conversations>(r)
           || std::holds_alternative<list_queues>(r)
           || std::holds_alternative<list_agents>(r)
           || std::holds_alternative<list_waiting>(r)
           || std::holds_alternative<supervise_subscribe>(r)
           || std::holds_alternative<attribution_query>(r));
}

void route(self_ptr self, api_call& call, reply_promise& rp) {
  auto& st = self->state;
  // The store is behind (failing, or slower than the traffic): changes
  // wait at the door instead of piling up in memory.
  if (writes(call.what)
      && st.rt->metrics->journal_pending.get()
           > st.rt->cfg->storage.max_pending_events) {
    rp.deliver(reply::error(errc::unavailable,
                            "storage is behind: try again in a moment"));
    return;
  }
  auto to_conversation = [&](const std::string& id) {
    to_conversation_actor(self, id, call, rp);
  };
  std::visit(
    engine::overloaded{
      [&](const start_conversation& r) { start(self, call, rp, r); },
      [&](const send_message& r) { to_conversation(r.conversation); },
      [&](const close_conversation& r) { to_conversation(r.conversation); },
      [&](const send_typing& r) { to_conversation(r.conversation); },
      [&](const send_whisper& r) { to_conversation(r.conversation); },
      [&](const conversation_history& r) {
        history_from_store(self, call, rp, r);
      },
      [&](const list_queues&) { list_queues_for(self, call, rp); },
      [&](const list_agents& r) { list_agents_for(self, call, rp, r); },
      [&](const supervise_subscribe& r) { subscribe(self, call, rp, r); },
      [&](const attribution_query&) {
        if (call.who.role == engine::role::supervisor
            || call.who.role == engine::role::service)
          rp.delegate(st.rt->supervision, std::move(call));
        else
          rp.deliver(
            reply::error(errc::forbidden, "for supervisors and services"));
      },
      [&](const request_transfer& r) { to_conversation(r.conversation); },
      [&](const unassign_conversation& r) { to_conversation(r.conversation); },
      [&](const answer_consent& r) { to_conversation(r.conversation); },
      [&](const leave_conversation& r) { to_conversation(r.conversation); },
      [&](const take_over& r) { to_conversation(r.conversation); },
      [&](const assign_conversation& r) { to_conversation(r.conversation); },
      [&](const monitor_conversation& r) { to_conversation(r.conversation); },
      [&](const resume_conversation& r) {
        resume_from_store(self, call, rp, r);
      },
      [&](const hand_off& r) { to_conversation(r.conversation); },
      [&](const request_other& r) { to_conversation(r.conversation); },
      [&](const list_conversations&) {
        if (call.who.role == engine::role::agent)
          forward_to(self, st.agents, call.who.user, call, rp, errc::forbidden,
                     "not a configured agent");
        else
          rp.delegate(user_inbox(self, call.who.role, call.who.user),
                      std::move(call));
      },
      [&](const auto&) {
        // The rest are agent verbs, owned by the caller's agent actor: only
        // an agent's own sessions reach it, whatever another role's user id.
        if (call.who.role != engine::role::agent) {
          rp.deliver(reply::error(errc::forbidden, "for agents"));
          return;
        }
        forward_to(self, st.agents, call.who.user, call, rp, errc::forbidden,
                   "not a configured agent");
      },
    },
    call.what);
}

/// Recovery goes this many conversations per message, the directory's
/// mailbox turning between steps: spawning them all in one handler leaves
/// the other scheduler thread stealing the new actors one by one (50k took
/// 39 s on two threads, 1.4 s on one).
constexpr std::size_t restore_batch = 500;

/// One open conversation from the store: its actor again, its place in its
/// queue (the queue orders by priority and original age, so the order is
/// the one before), its agents' capacity, its customer's list.
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
  auto customer_key = engine::user_key(engine::role::customer, c.customer().id);
  auto customer = held_inbox(self, customer_key, c.id());
  auto handle = spawn_conversation(self, c.id(), st.rt, q->first, q->second,
                                   customer);
  std::unordered_map<std::string, inbox_actor> agents;
  for (const auto& a : c.agents()) {
    auto i = st.agents.find(a.id);
    bool configured = a.role == engine::role::agent && i != st.agents.end();
    agents.emplace(a.id, configured
                           ? inbox_actor{i->second}
                           : inbox_actor{held_inbox(
                             self, engine::user_key(a.role, a.id), c.id())});
  }
  // The conversation takes up routing itself (resume_routing): its queue,
  // a transfer's target, a direct conversation's member.
  user_actor bot;
  if (!c.bot().empty()) {
    bot = held_inbox(self, engine::user_key(engine::role::bot, c.bot()),
                     c.id());
    self->send(bot, track_conversation{c.id(), handle});
  }
  self->send(handle, restore_conversation{std::move(log.events), agents,
                                          std::move(bot)});
  add_conversation(self, c.id(), handle, customer_key, !closed);
  self->send(customer, track_conversation{c.id(), handle});
  for (const auto& a : c.agents())
    if (auto i = st.agents.find(a.id); i != st.agents.end())
      self->send(i->second, restore_assignment{c.id(), handle});
  if (!closed)
    st.rt->metrics->conversations_active.add(1);
  return handle;
}

/// Whether `who` is the customer of the conversation `log` records.
bool customer_of_log(const std::vector<engine::event>& log, const caller& who) {
  if (log.empty() || who.role != engine::role::customer)
    return false;
  const auto* created = std::get_if<engine::conversation_created>(&log[0].body);
  return created != nullptr && created->customer.id == who.user;
}

std::vector<queue_actor> queues_of(const directory_state& st,
                                   const engine::config::agent& a) {
  std::vector<queue_actor> out;
  for (const auto& q : a.queues)
    out.push_back(st.queues.at(q));
  return out;
}

/// SIGHUP: every actor reads the new configuration from now on. Queues and
/// agents new to it start; a removed queue hands its waiting conversations
/// to the default queue; a removed agent leaves its queues but keeps its
/// sessions and conversations. Nothing open is dropped.
void reload(self_ptr self, std::shared_ptr<const engine::config::config> cfg) {
  auto& st = self->state;
  auto next = std::make_shared<runtime>(*st.rt);
  next->cfg = std::move(cfg);
  runtime_ptr rt = next;
  const auto& c = *rt->cfg;
  for (const auto& q : c.queues) {
    auto i = st.queues.find(q.id);
    if (i == st.queues.end())
      st.queues.emplace(q.id, spawn_queue(self, q, rt));
    else
      self->send(i->second, config_changed{rt});
  }
  // A removed queue stays in the table, retired: it passes on whatever still
  // comes its way, and the table keeps it alive (the directory is linked to
  // it). Added again by a later reload, it takes conversations again.
  auto fallback = st.queues.at(c.routing.default_queue);
  for (const auto& [id, handle] : st.queues)
    if (c.find_queue(id) == nullptr) {
      self->send(handle, config_changed{rt});
      self->send(handle, queue_retired{c.routing.default_queue, fallback});
    }
  for (const auto& a : c.agents) {
    auto i = st.agents.find(a.id);
    if (i == st.agents.end()) {
      st.agents.emplace(a.id, spawn_agent(self, a, rt, self, queues_of(st, a)));
      continue;
    }
    self->send(i->second, config_changed{rt});
    self->send(i->second, agent_reconfigured{queues_of(st, a)});
  }
  for (const auto& [id, handle] : st.agents)
    if (c.find_agent(id) == nullptr) {
      self->send(handle, config_changed{rt});
      self->send(handle, agent_reconfigured{});
    }
  for (const auto& [id, entry] : st.conversations)
    self->send(entry.handle, config_changed{rt});
  supervised_queues supervised;
  for (const auto& q : c.queues)
    supervised.queues.emplace_back(q.id, st.queues.at(q.id));
  self->send(rt->supervision, config_changed{rt});
  self->send(rt->supervision, std::move(supervised));
  st.rt = std::move(rt);
}

directory_actor::behavior_type directory_behavior(self_ptr self,
                                                  runtime_ptr rt) {
  auto& st = self->state;
  st.conversation_ids = engine::make_id_generator("c-", rt->seed);
  for (const auto& q : rt->cfg->queues)
    st.queues.emplace(q.id, spawn_queue(self, q, rt));
  // Agents and conversations report changes to supervision: they get a
  // runtime that names it.
  auto with_supervision = std::make_shared<runtime>(*rt);
  with_supervision->supervision = spawn_supervision(self, rt);
  rt = std::move(with_supervision);
  supervised_queues supervised;
  for (const auto& q : rt->cfg->queues)
    supervised.queues.emplace_back(q.id, st.queues.at(q.id));
  self->send(rt->supervision, std::move(supervised));
  for (const auto& a : rt->cfg->agents) {
    std::vector<queue_actor> queues;
    for (const auto& q : a.queues)
      queues.push_back(st.queues.at(q));
    st.agents.emplace(a.id, spawn_agent(self, a, rt, self, std::move(queues)));
  }
  st.rt = std::move(rt);
  return {
    [=](api_call& call) -> caf::result<reply> {
      auto rp = self->make_response_promise<reply>();
      route(self, call, rp);
      return rp;
    },
    [=](new_config& n) { reload(self, std::move(n.cfg)); },
    [=](recover_conversations& r) -> caf::result<bool> {
      auto& rec = self->state.recovering;
      rec.logs = std::move(r.logs);
      rec.next = 0;
      rec.done = self->make_response_promise<bool>();
      self->send(self, restore_step{});
      return rec.done;
    },
    [=](const restore_step&) {
      auto& rec = self->state.recovering;
      if (!rec.done.pending())
        return; // no recovery under way: a stray step does nothing
      auto end = std::min(rec.next + restore_batch, rec.logs.size());
      for (auto i = rec.next; i < end; ++i)
        restore(self, rec.logs[i]);
      rec.next = end;
      if (end < rec.logs.size()) {
        self->send(self, restore_step{});
        return;
      }
      rec.logs.clear();
      rec.logs.shrink_to_fit();
      rec.done.deliver(true);
    },
    [=](attach_session& a) -> caf::result<reply> {
      auto rp = self->make_response_promise<reply>();
      if (auto agent = agent_of(self, a.who)) {
        rp.delegate(agent, std::move(a));
        return rp;
      }
      auto key = engine::user_key(a.who.role, a.who.user);
      ++self->state.users.at(key).sessions;
      rp.delegate(user_inbox(self, key), std::move(a));
      return rp;
    },
    [=](detach_session& d) {
      if (auto agent = agent_of(self, d.who)) {
        self->send(agent, std::move(d));
        return;
      }
      auto key = engine::user_key(d.who.role, d.who.user);
      auto* e = self->state.users.find(key);
      if (e == nullptr || e->sessions == 0)
        return;
      --e->sessions;
      self->send(e->inbox, std::move(d));
      drop_if_idle(self, key);
    },
    [=](to_conversation& m) -> caf::result<claim_result> {
      auto& st = self->state;
      auto i = st.conversations.find(m.conversation);
      if (i == st.conversations.end())
        return claim_result{m.conversation, {}, {}, errc::not_found};
      return self->delegate(i->second.handle, std::move(m.message));
    },
    [=](const conversation_open_changed& c) {
      auto& st = self->state;
      auto i = st.conversations.find(c.conversation);
      if (i == st.conversations.end() || i->second.open == c.open)
        return;
      i->second.open = c.open;
      st.users.at(i->second.customer).open += c.open ? 1 : -1;
    },
    [=](const conversation_retired& r) {
      auto& st = self->state;
      auto i = st.conversations.find(r.conversation);
      if (i == st.conversations.end() || i->second.handle != r.handle)
        return;
      if (i->second.open)
        --st.users.at(i->second.customer).open;
      st.conversations.erase(i);
      st.rt->metrics->conversation_actors.add(-1);
      for (const auto& key : st.users.release(r.conversation))
        drop_if_idle(self, key);
    },
    [=](for_queue& m) {
      auto& st = self->state;
      auto i = st.queues.find(m.queue);
      if (i == st.queues.end())
        return; // removed by a reload: its conversations were moved already
      std::visit([&](auto& msg) { self->send(i->second, std::move(msg)); },
                 m.message);
    },
    [=](offer_to_agent& m) {
      auto& st = self->state;
      auto i = st.agents.find(m.agent);
      if (i == st.agents.end()) {
        // No such agent (any more): the offer finds nobody.
        self->send(m.message.handle,
                   reserve_result{m.message.notice.offer, m.agent, false});
        return;
      }
      self->send(i->second, std::move(m.message));
    },
  };
}

} // namespace

directory_actor spawn_directory(caf::actor_system& system, runtime_ptr rt) {
  return system.spawn(directory_behavior, std::move(rt));
}

} // namespace baton::actors
