#include "actors/agent/actor.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "caf/all.hpp"

#include "actors/agent/messages.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/directory/messages.hpp"
#include "actors/fan_out.hpp"
#include "actors/messages.hpp"
#include "actors/queue/messages.hpp"
#include "actors/session/session_set.hpp"
#include "actors/supervision/messages.hpp"
#include "actors/timers/actor.hpp"
#include "engine/overloaded.hpp"
#include "log/log.hpp"

namespace baton::actors {
namespace {

using engine::agent_status;
using engine::errc;

struct reservation {
  std::string conversation;
  conversation_actor handle;
  offer_notice notice; ///< shown again at hello
  bool claiming = false;
};

/// A claim or pick on its way: `asks` counts the times it was asked, the
/// last at `asked_at`.
struct asked_claim {
  reply_promise rp;
  std::uint64_t asks = 0;
  caf::actor_clock::time_point asked_at;
};

struct agent_actor_state {
  runtime_ptr rt;
  engine::participant me;
  std::int32_t capacity = 1;
  std::vector<std::string> queue_ids;
  std::vector<std::string> topics;
  directory_actor directory;
  std::vector<queue_actor> queues;
  session_set sessions;
  agent_status status = agent_status::offline;
  std::unordered_map<std::string, reservation> reserved;
  /// The conversations the agent takes part in, with their actors.
  std::unordered_map<std::string, conversation_actor> assigned;
  std::unordered_set<std::string> picking;
  /// The claims and picks the conversation has not answered yet, by
  /// (conversation, offer), with the client waiting for each; a pick has
  /// no offer.
  std::map<std::pair<std::string, std::string>, asked_claim> asking;
  /// A claim_timer is set: one at a time looks at every claim on its way.
  bool claims_watched = false;
  std::int64_t missed = 0;
  engine::time_ms idle_since = 0;
  std::uint64_t grace_generation = 0;

  std::int32_t load() const {
    return static_cast<std::int32_t>(assigned.size() + reserved.size()
                                     + picking.size());
  }
  bool connected() const {
    return !sessions.empty();
  }
  engine::agent_standing standing() const {
    return {status, connected(), load(), capacity};
  }
  bool can_take_more() const {
    return !engine::unavailable(standing(), engine::reach::routing);
  }
};

using self_ptr = agent_actor::stateful_pointer<agent_actor_state>;

void to_sessions(self_ptr self, const notification& n) {
  self->state.sessions.deliver(n);
}

agent_row row_of(const agent_actor_state& st);

/// Tells the agent's queues how it stands, so they know whom to offer to,
/// and supervision, so supervisors see it.
void broadcast(self_ptr self) {
  auto& st = self->state;
  engine::agent_view view{st.me.id,    st.status,     st.connected(), st.load(),
                          st.capacity, st.idle_since, st.topics};
  for (const auto& q : st.queues)
    self->send(q, agent_update{view, self});
  if (st.rt->supervision)
    self->send(st.rt->supervision, row_of(st));
}

/// Every status change goes through here, so `baton_agents{status}` adds up.
void change_status(agent_actor_state& st, agent_status status) {
  auto& agents = st.rt->metrics->agents;
  agents[static_cast<std::size_t>(st.status)].add(-1);
  agents[static_cast<std::size_t>(status)].add(1);
  st.status = status;
}

void set_status(self_ptr self, agent_status status, std::string reason) {
  auto& st = self->state;
  if (status != st.status)
    log::info({"agent", st.me.id}, "agent status")
      .field("from", engine::to_string(st.status))
      .field("to", engine::to_string(status))
      .field("reason", reason);
  if (status == agent_status::ready && st.status != agent_status::ready) {
    st.missed = 0;
    st.idle_since = now_ms(self, *st.rt);
  }
  change_status(st, status);
  if (status == agent_status::offline) {
    // Going offline gives every open offer back at once, but for one already
    // accepted: the conversation is deciding it, and its slot stays held
    // until the answer comes.
    std::erase_if(st.reserved, [&](const auto& entry) {
      const auto& [offer, r] = entry;
      if (r.claiming)
        return false;
      self->send(r.handle,
                 decline{offer, st.me.id, engine::offer_end::agent_offline});
      to_sessions(self,
                  {r.conversation,
                   offer_revoked_notice{offer, engine::offer_end::cancelled}});
      return true;
    });
  }
  to_sessions(self, {{}, agent_status_notice{status, std::move(reason)}});
  broadcast(self);
}

void on_reserve(self_ptr self, reserve& r) {
  auto& st = self->state;
  const auto& offer = r.notice.offer;
  auto refused = engine::unavailable(st.standing(), r.reach);
  self->send(r.handle,
             reserve_result{offer, st.me.id, !refused,
                            refused.value_or(engine::offer_end::agent_full)});
  if (refused)
    return;
  st.reserved.emplace(offer,
                      reservation{r.conversation, r.handle, r.notice, false});
  st.idle_since = now_ms(self, *st.rt);
  to_sessions(self, {r.conversation, std::move(r.notice)});
  broadcast(self);
}

void on_revoke(self_ptr self, const revoke& r) {
  auto& st = self->state;
  auto i = st.reserved.find(r.offer);
  if (i == st.reserved.end())
    return;
  // An agent whose accept was on its way did not miss the offer.
  bool missed = r.reason == engine::offer_end::timeout && !i->second.claiming;
  st.reserved.erase(i);
  to_sessions(self, {r.conversation, offer_revoked_notice{r.offer, r.reason}});
  if (missed && ++st.missed >= st.rt->cfg->routing.max_missed_offers
      && st.status == agent_status::ready) {
    set_status(self, agent_status::not_ready, "missed_offers");
    return;
  }
  broadcast(self);
}

/// Why a claim (an accept or a pick) failed, for the agent's client.
const char* pick_refusal(errc code) {
  switch (code) {
    case errc::conflict:
      return "someone else got it first";
    case errc::not_found:
      return "no such conversation";
    case errc::invalid_state:
      return "already in it";
    default:
      return "not allowed to take it";
  }
}

/// Settles the slot of a claim or pick; the agent's client hears `reply`.
reply on_claim_result(self_ptr self, const claim_result& r) {
  auto& st = self->state;
  if (r.offer.empty())
    st.picking.erase(r.conversation);
  else
    st.reserved.erase(r.offer);
  if (r.code == errc::ok) {
    st.assigned.emplace(r.conversation, r.handle);
    st.missed = 0;
  }
  broadcast(self);
  if (r.code != errc::ok)
    return reply::error(r.code, pick_refusal(r.code));
  return opened{r.conversation};
}

/// The first answer to a claim or pick settles its slot, and the agent's
/// client hears it; the answers of its other asks find nothing to settle.
void on_answer(self_ptr self, const claim_result& r) {
  auto& st = self->state;
  auto i = st.asking.find({r.conversation, r.offer});
  if (i == st.asking.end())
    return;
  auto rp = std::move(i->second.rp);
  st.asking.erase(i);
  rp.deliver(on_claim_result(self, r));
}

/// Has a claim_timer look at the claims on their way when the oldest has
/// waited for call_patience: one timer for all of them, not one each.
void watch_claims(self_ptr self) {
  auto& st = self->state;
  if (st.claims_watched || st.asking.empty())
    return;
  auto oldest = std::min_element(st.asking.begin(), st.asking.end(),
                                 [](const auto& x, const auto& y) {
                                   return x.second.asked_at < y.second.asked_at;
                                 });
  auto due = oldest->second.asked_at + st.rt->call_patience;
  // Rounded up: a timer that came early would find nothing due yet.
  auto in
    = std::chrono::ceil<std::chrono::milliseconds>(due - self->clock().now());
  start_timer(self, st.rt->timers, std::max(in, std::chrono::milliseconds{0}),
              claim_timer{});
  st.claims_watched = true;
}

/// Asks `to` for the conversation (a claim or a pick); the answer settles
/// it. A conversation that is gone frees the slot all the same. One that
/// has not answered after the runtime's call_patience is asked again
/// (on_claim_timer): its node may have died, and the answer with it. The
/// first ask waits on no clock (CAF's costs a lock and a wake-up a route);
/// one asked again gives up after call_patience, so that asks into a dead
/// node do not pile up, and the next is asked by the timer.
template <class Handle, class Ask>
void ask_for(self_ptr self, const Handle& to, Ask ask, asked_claim& entry,
             const std::string& conversation, const std::string& offer) {
  ++entry.asks;
  entry.asked_at = self->clock().now();
  auto patience = entry.asks == 1
                    ? caf::infinite
                    : caf::duration{self->state.rt->call_patience};
  self->request(to, patience, std::move(ask))
    .then(
      [self](claim_result& r) { on_answer(self, r); },
      [self, conversation, offer](caf::error& e) {
        if (e == caf::sec::request_timeout)
          return; // the claim timer asks again
        on_answer(self, claim_result{conversation, {}, offer, errc::not_found});
      });
}

/// Starts a claim (`offer`) or pick of `conversation`, answered through
/// `rp`, with its first ask.
template <class Handle, class Ask>
void claim_slot(self_ptr self, const Handle& to, Ask ask,
                const std::string& conversation, const std::string& offer,
                reply_promise rp) {
  auto& entry = self->state.asking
                  .insert_or_assign({conversation, offer},
                                    asked_claim{std::move(rp)})
                  .first->second;
  ask_for(self, to, std::move(ask), entry, conversation, offer);
  watch_claims(self);
}

/// Asks again, by id through the directory, every claim or pick unanswered
/// for call_patience: the conversation may have come back on another node.
/// The slot stays held meanwhile: the first ask may have won, and freeing
/// it could put the agent over capacity. Asked again, a conversation the
/// agent is in already counts as won.
void on_claim_timer(self_ptr self) {
  auto& st = self->state;
  st.claims_watched = false;
  auto now = self->clock().now();
  for (auto& [key, entry] : st.asking) {
    if (now - entry.asked_at < st.rt->call_patience)
      continue;
    const auto& [conversation, offer] = key;
    log::warn({"agent", st.me.id}, "no answer to a claim in time, asking again")
      .field("conversation", conversation)
      .field("offer", offer)
      .field("ask", entry.asks + 1);
    std::variant<pick, claim> again;
    if (offer.empty())
      again = pick{st.me, self, st.queue_ids, st.topics, true};
    else
      again = claim{offer, st.me, self, true};
    ask_for(self, st.directory, to_conversation{conversation, std::move(again)},
            entry, conversation, offer);
  }
  watch_claims(self);
}

std::optional<reply> on_accept(self_ptr self, const accept_offer& r,
                               const reply_promise& rp) {
  auto& st = self->state;
  auto i = st.reserved.find(r.offer);
  if (i == st.reserved.end() || i->second.claiming)
    return reply::error(errc::conflict,
                        "the offer expired, was revoked or was taken");
  i->second.claiming = true;
  claim_slot(self, i->second.handle, claim{r.offer, st.me, self},
             i->second.conversation, r.offer, rp);
  return std::nullopt;
}

reply on_reject(self_ptr self, const reject_offer& r) {
  auto& st = self->state;
  auto i = st.reserved.find(r.offer);
  if (i == st.reserved.end() || i->second.claiming)
    return reply::error(errc::conflict, "the offer is no longer open");
  self->send(i->second.handle,
             decline{r.offer, st.me.id, engine::offer_end::rejected});
  st.reserved.erase(i);
  broadcast(self);
  return {};
}

std::optional<reply> on_pick(self_ptr self, const pick_waiting& r,
                             const reply_promise& rp) {
  auto& st = self->state;
  if (!st.can_take_more())
    return reply::error(errc::invalid_state,
                        "only a ready agent with a free slot may pick");
  if (st.assigned.count(r.conversation) > 0)
    return reply::error(errc::invalid_state, "already in it");
  // An earlier pick's ask may still be out after a takeover settled it.
  if (st.asking.count({r.conversation, {}}) > 0
      || !st.picking.insert(r.conversation).second)
    return reply::error(errc::conflict, "already picking it");
  claim_slot(self, st.directory,
             to_conversation{r.conversation,
                             pick{st.me, self, st.queue_ids, st.topics}},
             r.conversation, {}, rp);
  broadcast(self);
  return std::nullopt;
}

std::optional<reply> on_list_waiting(self_ptr self, const list_waiting& r,
                                     reply_promise rp) {
  auto& st = self->state;
  std::vector<queue_actor> asked;
  for (std::size_t i = 0; i < st.queue_ids.size(); ++i)
    if (r.queue.empty() || r.queue == st.queue_ids[i])
      asked.push_back(st.queues[i]);
  if (asked.empty())
    return r.queue.empty()
             ? reply{waiting_list{}}
             : reply::error(errc::forbidden, "not a member of that queue");
  fan_out<waiting_answer>(
    self, asked, waiting_query{st.topics},
    [rp](std::vector<waiting_answer> answers) mutable {
      waiting_list out;
      for (auto& a : answers)
        std::move(a.entries.begin(), a.entries.end(),
                  std::back_inserter(out.entries));
      std::stable_sort(out.entries.begin(), out.entries.end(),
                       [](const waiting_entry& x, const waiting_entry& y) {
                         return x.waited_ms > y.waited_ms;
                       });
      rp.deliver(reply{std::move(out)});
    });
  return std::nullopt;
}

std::vector<conversation_actor>
conversation_handles(const agent_actor_state& st) {
  std::vector<conversation_actor> out;
  out.reserve(st.assigned.size());
  for (const auto& [id, handle] : st.assigned)
    out.push_back(handle);
  return out;
}

/// Hands `then` the summaries of the agent's conversations, filtered by
/// state, oldest first.
template <class Then>
void collect_conversations(self_ptr self,
                           std::optional<engine::conversation_state> state,
                           Then then) {
  fan_out<conversation_summary>(
    self, conversation_handles(self->state), summary_query{},
    [state,
     then = std::move(then)](std::vector<conversation_summary> all) mutable {
      std::vector<conversation_summary> kept;
      for (auto& s : all)
        if (!state || s.state == *state)
          kept.push_back(std::move(s));
      std::sort(kept.begin(), kept.end(), [](const auto& x, const auto& y) {
        return x.created_at < y.created_at;
      });
      then(std::move(kept));
    });
}

void list_conversations_of(self_ptr self,
                           std::optional<engine::conversation_state> state,
                           reply_promise rp) {
  collect_conversations(
    self, state, [rp](std::vector<conversation_summary> kept) mutable {
      rp.deliver(reply{conversation_list{std::move(kept), false}});
    });
}

/// Answers `hello`: the agent's conversations and its open offers.
void greet(self_ptr self, reply_promise rp) {
  std::vector<std::pair<std::string, offer_notice>> offers;
  for (const auto& [offer, r] : self->state.reserved)
    offers.emplace_back(r.conversation, r.notice);
  collect_conversations(
    self, std::nullopt,
    [rp, offers = std::move(offers)](
      std::vector<conversation_summary> kept) mutable {
      rp.deliver(reply{welcome{std::move(kept), std::move(offers)}});
    });
}

agent_row row_of(const agent_actor_state& st) {
  return {st.me.id,  st.me.name,  st.status,
          st.load(), st.capacity, st.queue_ids};
}

caf::result<reply> on_api_call(self_ptr self, api_call& call) {
  // Accept, pick and list are answered once others have had their say: their
  // handlers keep the promise and return nothing here.
  auto rp = self->make_response_promise<reply>();
  auto out = std::visit(
    engine::overloaded{
      [&](const set_agent_status& r) -> std::optional<reply> {
        set_status(self, r.status, r.reason);
        return reply{};
      },
      [&](const accept_offer& r) { return on_accept(self, r, rp); },
      [&](const reject_offer& r) -> std::optional<reply> {
        return on_reject(self, r);
      },
      [&](const pick_waiting& r) { return on_pick(self, r, rp); },
      [&](const list_waiting& r) { return on_list_waiting(self, r, rp); },
      [&](const list_conversations& r) -> std::optional<reply> {
        list_conversations_of(self, r.state, rp);
        return std::nullopt;
      },
      [](const auto&) -> std::optional<reply> {
        return reply::error(errc::bad_request, "not an agent request");
      },
    },
    call.what);
  if (out)
    rp.deliver(std::move(*out));
  return rp;
}

/// A reload: the agent's name, capacity, topics and queues may have
/// changed. Queues it left forget it; its conversations stay. An agent
/// removed from the file keeps the rest of its old entry.
void reconfigure(self_ptr self, agent_reconfigured& r) {
  auto& st = self->state;
  for (const auto& q : st.queues)
    if (std::find(r.queues.begin(), r.queues.end(), q) == r.queues.end())
      self->send(q, agent_left{st.me.id});
  st.queue_ids.clear();
  if (const auto* cfg = st.rt->cfg->find_agent(st.me.id)) {
    st.me.name = cfg->name;
    st.capacity = static_cast<std::int32_t>(cfg->capacity);
    st.topics = cfg->topics;
    st.queue_ids = cfg->queues;
  }
  st.queues = std::move(r.queues);
  broadcast(self);
}

agent_actor::behavior_type
agent_behavior(self_ptr self, engine::config::agent cfg, runtime_ptr rt,
               directory_actor directory, std::vector<queue_actor> queues) {
  auto& st = self->state;
  st.rt = std::move(rt);
  st.me = {cfg.id, engine::role::agent, cfg.name};
  st.capacity = static_cast<std::int32_t>(cfg.capacity);
  st.queue_ids = cfg.queues;
  st.topics = cfg.topics;
  st.directory = std::move(directory);
  st.queues = std::move(queues);
  st.rt->metrics->agents[static_cast<std::size_t>(st.status)].add(1);
  broadcast(self);
  return {
    [=](api_call& call) { return on_api_call(self, call); },
    [=](attach_session& a) -> caf::result<reply> {
      auto& st = self->state;
      st.sessions.add(std::move(a.session));
      ++st.grace_generation;
      if (st.status == agent_status::offline)
        change_status(st, agent_status::not_ready);
      broadcast(self);
      auto rp = self->make_response_promise<reply>();
      greet(self, rp);
      return rp;
    },
    [=](const agent_row_query&) { return row_of(self->state); },
    [=](const config_changed&) {
      self->state.rt = changed_runtime(*self->state.rt);
    },
    [=](agent_reconfigured& r) { reconfigure(self, r); },
    [=](const detach_session& d) {
      auto& st = self->state;
      st.sessions.remove(d.session);
      if (st.connected())
        return;
      if (st.rt->supervision)
        self->send(st.rt->supervision, sessions_ended{self});
      broadcast(self);
      self->delayed_send(
        self, as_duration(st.rt->cfg->routing.agent_disconnect_grace_ms),
        grace_timer{++st.grace_generation});
    },
    [=](const claim_timer&) { on_claim_timer(self); },
    [=](const grace_timer& t) {
      auto& st = self->state;
      if (t.generation == st.grace_generation && !st.connected()
          && st.status != agent_status::offline)
        set_status(self, agent_status::offline, "disconnected");
    },
    [=](reserve& r) { on_reserve(self, r); },
    [=](const revoke& r) { on_revoke(self, r); },
    // Assigned without asking (`auto` mode): nobody waits for a reply.
    [=](const claim_result& r) { on_claim_result(self, r); },
    [=](const released& r) {
      auto& st = self->state;
      if (st.assigned.erase(r.conversation) > 0) {
        st.idle_since = now_ms(self, *st.rt);
        broadcast(self);
      }
    },
    [=](const restore_assignment& r) {
      self->state.assigned.emplace(r.conversation, r.handle);
      broadcast(self);
    },
    [=](const deliver& d) {
      for (const auto& n : d.what)
        self->state.sessions.deliver(n);
    },
  };
}

} // namespace

agent_actor spawn_agent(caf::local_actor* parent,
                        const engine::config::agent& agent, runtime_ptr rt,
                        directory_actor directory,
                        std::vector<queue_actor> queues) {
  return parent->spawn<caf::linked>(agent_behavior, agent, std::move(rt),
                                    std::move(directory), std::move(queues));
}

} // namespace baton::actors
