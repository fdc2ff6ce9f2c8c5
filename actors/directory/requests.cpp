#include "actors/directory/state.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/agent/messages.hpp"
#include "actors/conversation/actor.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/directory/ask_reader.hpp"
#include "actors/fan_out.hpp"
#include "actors/queue/messages.hpp"
#include "actors/store/messages.hpp"
#include "actors/store/stored_history.hpp"
#include "actors/supervision/messages.hpp"
#include "engine/conversation/workflows.hpp"
#include "engine/overloaded.hpp"
#include "engine/routing/admission.hpp"

namespace baton::actors::directory_impl {

namespace {

/// `who` as the engine's permission rules see them.
engine::participant as_participant(const caller& who) {
  return {who.user, who.role, who.name};
}

/// How many open conversations `key`'s customer holds, counting those its
/// resumes in flight may open.
std::int64_t open_conversations(const directory_state& st,
                                const std::string& key) {
  const auto* e = st.users.find(key);
  return e == nullptr ? 0
                      : e->open + static_cast<std::int64_t>(e->resuming.size());
}

/// The customer holds `limits.open_conversations_per_customer` open
/// conversations already: the call is refused (`limit_reached`). Starting
/// one and resuming one are held to the same bound.
bool refused_for_open_limit(self_ptr self, const std::string& customer_key,
                            reply_promise& rp) {
  auto& st = self->state;
  auto why = engine::open_limit_refusal(*st.rt->cfg,
                                        open_conversations(st, customer_key));
  if (!why)
    return false;
  st.rt->metrics->count_refusal(engine::limit::open_conversations_per_customer);
  rp.deliver(reply::error(errc::limit_reached, std::move(*why)));
  return true;
}

/// A conversation.start the engine admits gets its actor, and the request
/// goes on to it.
void start(self_ptr self, api_call& call, reply_promise& rp,
           const start_conversation& r) {
  auto& st = self->state;
  bool bot = call.who.role == engine::role::bot;
  auto customer = engine::user_key(engine::role::customer,
                                   bot ? r.customer : call.who.user);
  auto caller_key = engine::user_key(call.who.role, call.who.user);
  // A bot's inbox is made by the bot's holder first.
  if (bot && !call.inbox && sent_to_holder(self, caller_key, call, rp))
    return;
  // Started by the directory holding its customer, which counts the
  // customer's open conversations.
  if (auto holder = holder_elsewhere(self, customer)) {
    if (bot && !call.inbox)
      start_for_bot(self, holder, call, rp);
    else
      rp.delegate(holder, std::move(call));
    return;
  }
  bool bots_holder_made_inbox = bot && call.inbox && st.shards.spread();
  if (bots_holder_made_inbox && !asked_by_callers_holder(self, call, rp)) {
    rp.deliver(moving_elsewhere());
    return;
  }
  if (refused_while_store_behind(self, call, rp))
    return;
  auto admitted = engine::admit_start(
    *st.rt->cfg, {call.who.role, r.customer, r.agent, r.queue, r.topic},
    open_conversations(st, customer));
  if (!admitted.ok()) {
    if (admitted.error == errc::limit_reached)
      st.rt->metrics->count_refusal(
        engine::limit::open_conversations_per_customer);
    rp.deliver(reply::error(admitted.error, std::move(admitted.why)));
    return;
  }
  auto queue = std::move(admitted.queue);
  auto known = st.queues.find(queue);
  if (known == st.queues.end()) {
    // Added by a reload, on a directory that has not told it yet.
    rp.deliver(reply::error(errc::unavailable,
                            "this queue is starting: try again in a moment"));
    return;
  }
  auto& rt = st.rt;
  // Sharing the shards, in its customer's own: the two stay with one
  // holder whichever shards move.
  auto now = now_ms(self, *rt);
  const auto shards = st.shards.count();
  auto id = st.shards.spread() ? st.conversation_ids.next_in_shard(
              now, engine::cluster::shard_of(customer, shards), shards)
                               : st.conversation_ids.next(now);
  auto customer_inbox = held_inbox(self, customer, id, true);
  auto handle = spawn_conversation(self, id, rt, queue, known->second,
                                   customer_inbox);
  add_conversation(self, id, handle, customer, true);
  self->send(customer_inbox, track_conversation{id, handle});
  if (bots_holder_made_inbox)
    track_remote_bot(self, id, handle, call);
  else if (bot)
    self->send(held_inbox(self, caller_key, id),
               track_conversation{id, handle});
  auto routed = r;
  routed.queue = std::move(queue);
  if (!bots_holder_made_inbox)
    call.inbox = user_inbox(self, caller_key);
  rp.delegate(handle, api_call{std::move(call.who), std::move(routed),
                               std::move(call.inbox)});
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

/// An agent's own verbs go to his actor, wherever it runs. While its shard
/// is on its way to another holder that actor stopped (or went with its
/// node): the verb is answered "moving", as a conversation's is.
void to_agent(self_ptr self, api_call& call, reply_promise& rp) {
  if (agent_of(self, call.who)
      && agent_on_its_way(self->state, call.who.user)) {
    rp.deliver(moving_elsewhere());
    return;
  }
  forward_to(self, self->state.agents, call.who.user, call, rp, errc::forbidden,
             "not a configured agent");
}

/// Asks every target for its row; answers with a `List` of the rows,
/// sorted by `key`, and whether `more` rows follow them.
template <class List, class Row, class Handle, class Query>
void answer_rows(self_ptr self, const std::vector<Handle>& targets, Query query,
                 std::string Row::*key, reply_promise rp, bool more = false) {
  fan_out<Row>(self, targets, query,
               [key, rp, more](std::vector<Row> rows) mutable {
                 std::ranges::sort(rows, {}, key);
                 rp.deliver(reply{List{std::move(rows), more}});
               });
}

void list_queues_for(self_ptr self, api_call& call, reply_promise& rp) {
  if (!engine::is_staff(call.who.role)) {
    rp.deliver(reply::error(errc::forbidden, "for agents and supervisors"));
    return;
  }
  // A queue a reload added on another directory is listed once learnt.
  std::vector<queue_actor> queues;
  for (const auto& q : self->state.rt->cfg->queues)
    if (auto i = self->state.queues.find(q.id); i != self->state.queues.end())
      queues.push_back(i->second);
  answer_rows<queue_list>(self, queues, queue_stats_query{}, &queue_row::queue,
                          rp);
}

void list_agents_for(self_ptr self, api_call& call, reply_promise& rp,
                     const list_agents& r) {
  auto& st = self->state;
  if (!engine::may_supervise(*st.rt->cfg, as_participant(call.who))) {
    rp.deliver(reply::error(errc::forbidden, "for supervisors"));
    return;
  }
  if (!r.queue.empty() && st.rt->cfg->find_queue(r.queue) == nullptr) {
    rp.deliver(reply::error(errc::not_found, "no such queue: " + r.queue));
    return;
  }
  using engine::config::staff_role;
  // The page: the first `limit` ids after `after_agent`, walked in id order
  // by the roster's index (a page of the whole roster costs its length),
  // and only its agents are asked for their rows.
  const auto& cfg = *st.rt->cfg;
  const auto* roster = &cfg.roster;
  engine::config::roster_index unloaded; // a configuration built by hand
  if (roster->size() != cfg.agents.size()) {
    unloaded.build(cfg.agents);
    roster = &unloaded;
  }
  std::vector<agent_actor> agents;
  bool more = false;
  for (const auto& [id, place] : roster->after(r.after_agent)) {
    const auto& a = cfg.agents[place];
    // Only those who can sign in as agents take conversations: a member
    // who only supervises is no row of the grid.
    bool takes_conversations = a.has_role(staff_role::agent)
                               || a.has_role(staff_role::manager);
    if (!takes_conversations || (!r.queue.empty() && !a.in_queue(r.queue)))
      continue;
    auto i = st.agents.find(a.id); // added by a reload, learnt later
    if (i == st.agents.end())
      continue;
    if (agents.size() == r.limit) {
      more = true;
      break;
    }
    agents.push_back(i->second);
  }
  answer_rows<agent_list>(self, agents, agent_row_query{}, &agent_row::agent,
                          rp, more);
}

void subscribe(self_ptr self, api_call& call, reply_promise& rp,
               const supervise_subscribe& r) {
  auto& st = self->state;
  if (!engine::may_supervise(*st.rt->cfg, as_participant(call.who))) {
    rp.deliver(reply::error(errc::forbidden,
                            "for supervisors and agents allowed to supervise"));
    return;
  }
  for (const auto& q : r.queues)
    if (st.rt->cfg->find_queue(q) == nullptr) {
      rp.deliver(reply::error(errc::not_found, "no such queue: " + q));
      return;
    }
  // The subscription's events go to the inbox its sessions are attached
  // to, and it is kept by the supervision that hears of their end: an
  // agent's actor's, or that of the user's inbox, at the holder of either.
  const auto holder_id = agent_of(self, call.who)
                           ? call.who.user
                           : engine::user_key(call.who.role, call.who.user);
  if (sent_to_holder(self, holder_id, call, rp))
    return;
  auto inbox = inbox_of(self, call.who);
  // Each queue once: the list is scanned at every change of a conversation.
  auto queues = r.queues;
  std::sort(queues.begin(), queues.end());
  queues.erase(std::unique(queues.begin(), queues.end()), queues.end());
  rp.delegate(st.rt->supervision,
              subscribe_supervisor{inbox, std::move(queues),
                                   as_participant(call.who)});
}

/// A conversation no actor holds may be in the store (closed and retired,
/// or closed before the last restart): its history and its explanation are
/// read there, by the reader (`read`: what to ask it).
template <class Read>
void read_from_store(self_ptr self, api_call& call, reply_promise& rp,
                     const std::string& conversation, Read read) {
  auto& st = self->state;
  if (passed_on(self, conversation, call, rp))
    return;
  if (st.conversations.count(conversation) > 0 || !st.rt->reader) {
    to_conversation_actor(self, conversation, call, rp);
    return;
  }
  auto whose = call.who.role == engine::role::customer
                 ? read_for::customer
                 : read_for::staff_or_service;
  if (!ask_reader<reply>(
        self, whose, std::move(read),
        [rp](reply& out) mutable { rp.deliver(std::move(out)); },
        [rp]() mutable { rp.deliver(store_unavailable()); }))
    rp.deliver(store_reads_busy());
}

/// `conversation.resume` of a conversation no actor holds (closed before the
/// last restart): its actor comes back from the stored log, then resumes it.
void resume_from_store(self_ptr self, api_call& call, reply_promise& rp,
                       const resume_conversation& r) {
  auto& st = self->state;
  if (passed_on(self, r.conversation, call, rp)
      || refused_while_store_behind(self, call, rp))
    return;
  // A customer's resume counts against its open conversations until it is
  // answered: resumes sent together cannot pass the bound between them.
  settled_fn settled;
  if (call.who.role == engine::role::customer) {
    auto key = engine::user_key(engine::role::customer, call.who.user);
    if (refused_for_open_limit(self, key, rp))
      return;
    if (auto* e = st.users.find(key)) {
      e->resuming.push_back(r.conversation);
      settled = [self, key, id = r.conversation] {
        if (auto* e = self->state.users.find(key)) {
          if (auto i = std::find(e->resuming.begin(), e->resuming.end(), id);
              i != e->resuming.end())
            e->resuming.erase(i);
          drop_if_idle(self, key); // its session may have closed meanwhile
        }
      };
    }
  }
  // Only its customer may bring a stored one back: anyone else is answered
  // there as for an unknown id, and nothing is read.
  if (st.conversations.count(r.conversation) > 0 || !st.rt->reader
      || call.who.role != engine::role::customer) {
    to_conversation_actor(self, r.conversation, call, rp, std::move(settled));
    return;
  }
  auto answer_now = [rp, settled](reply out) mutable {
    if (settled)
      settled();
    rp.deliver(std::move(out));
  };
  // The log is read on the reader's thread; the directory takes it back.
  // The read is made before `call` (which holds `r`) moves into the answer.
  store_read read{r.conversation};
  if (!ask_reader<stored_log>(
        self, read_for::customer, std::move(read),
        [self, call = std::move(call), rp, settled,
         answer_now](stored_log& log) mutable {
          if (!log.readable)
            answer_now(store_unavailable());
          else
            revive(self, std::move(log.events), call, rp, std::move(settled));
        },
        [answer_now]() mutable { answer_now(store_unavailable()); }))
    answer_now(store_reads_busy());
}

/// Whether a request may change what is stored (and so waits for a commit).
bool writes(const request& r) {
  return !(std::holds_alternative<conversation_history>(r)
           || std::holds_alternative<explain_conversation>(r)
           || std::holds_alternative<list_conversations>(r)
           || std::holds_alternative<list_queues>(r)
           || std::holds_alternative<list_agents>(r)
           || std::holds_alternative<list_waiting>(r)
           || std::holds_alternative<supervise_subscribe>(r)
           || std::holds_alternative<attribution_query>(r));
}

} // namespace

bool refused_while_store_behind(self_ptr self, const api_call& call,
                                reply_promise& rp) {
  const auto& st = self->state;
  // Changes wait at the door instead of piling up in memory.
  if (!writes(call.what)
      || st.rt->metrics->journal_pending.get()
           <= st.rt->cfg->storage.max_pending_events)
    return false;
  rp.deliver(reply::error(errc::unavailable,
                          "storage is behind: try again in a moment"));
  return true;
}

void route(self_ptr self, api_call& call, reply_promise& rp) {
  auto& st = self->state;
  if (!joined(st)) {
    rp.deliver(not_joined_yet());
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
        read_from_store(self, call, rp, r.conversation,
                        history_read{call.who, r});
      },
      [&](const explain_conversation& r) {
        bool supervisor = engine::may_supervise(*st.rt->cfg,
                                                as_participant(call.who));
        read_from_store(self, call, rp, r.conversation,
                        explain_read{call.who, r, supervisor});
      },
      [&](const list_queues&) { list_queues_for(self, call, rp); },
      [&](const list_agents& r) { list_agents_for(self, call, rp, r); },
      [&](const supervise_subscribe& r) { subscribe(self, call, rp, r); },
      [&](const attribution_query& q) {
        if (call.who.role == engine::role::supervisor
            || call.who.role == engine::role::service)
          credit_order(self, q, rp);
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
        auto key = engine::user_key(call.who.role, call.who.user);
        if (call.who.role == engine::role::agent)
          to_agent(self, call, rp);
        else if (sent_to_holder(self, key, call, rp))
          return;
        else if (still_recovering(self->state, key))
          rp.deliver(moving_elsewhere()); // as a hello: none left out
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
        // What they change is stored where their conversations run: a
        // claim is refused there while that node's store is behind.
        to_agent(self, call, rp);
      },
    },
    call.what);
}

} // namespace baton::actors::directory_impl
