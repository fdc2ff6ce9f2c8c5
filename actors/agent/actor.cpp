#include "actors/agent/actor.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "caf/all.hpp"

#include "actors/agent/messages.hpp"
#include "actors/agent/state.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/fan_out.hpp"
#include "actors/messages.hpp"
#include "actors/queue/messages.hpp"
#include "actors/supervision/messages.hpp"
#include "engine/overloaded.hpp"
#include "log/log.hpp"

namespace baton::actors::agent_impl {
namespace {

using engine::agent_status;
using engine::errc;

agent_row row_of(const agent_actor_state& st);

} // namespace

void to_sessions(self_ptr self, const notification& n) {
  self->state.sessions.deliver(n);
}

namespace {

/// Every status change goes through here, so `baton_agents{status}` adds up.
void change_status(agent_actor_state& st, agent_status status) {
  auto& agents = st.rt->metrics->agents;
  agents[static_cast<std::size_t>(st.status)].add(-1);
  agents[static_cast<std::size_t>(status)].add(1);
  st.status = status;
}

/// An agent a reload removed stops once nothing of his is left: supervisors
/// see him offline with no load a last time, `baton_agents` counts him no
/// more, and his directory, linked to him, forgets him. Otherwise every
/// member a centre ever had would keep an actor for as long as the node
/// runs.
void retire_if_gone(self_ptr self) {
  auto& st = self->state;
  if (!st.removed || st.gone || !st.holds_nothing())
    return;
  st.gone = true;
  log::info({"agent", st.me.id}, "agent removed from the roster stopped");
  change_status(st, agent_status::offline);
  broadcast(self);
  st.rt->metrics->agents[static_cast<std::size_t>(st.status)].add(-1);
  for (const auto& hub : st.remote_hubs)
    self->demonitor(hub);
  self->quit();
}

} // namespace

void broadcast(self_ptr self) {
  auto& st = self->state;
  engine::agent_view view{st.me.id,    st.status,     st.connected(), st.load(),
                          st.capacity, st.idle_since, st.topics};
  for (const auto& q : st.queues)
    self->send(q, agent_update{view, self});
  if (st.rt->supervision)
    self->send(st.rt->supervision, row_of(st));
  retire_if_gone(self);
}

namespace {

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
      if (st.claiming(offer, r))
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
  // Its conversation's link closed before this was read: nothing could
  // claim it, nor hear the answer.
  if (!r.handle)
    return;
  const auto& offer = r.notice.offer;
  // Removed by a reload, he takes nothing new: his queues forget him as
  // they read his agent_left, and an offer made before may still come.
  auto refused = lease_holds(*st.rt) && !st.removed
                   ? engine::unavailable(st.standing(), r.reach)
                   : std::optional{engine::offer_end::agent_offline};
  if (!refused && r.notice.kind == engine::offer_kind::direct
      && st.holds_direct_offer_besides(r.conversation))
    refused = engine::offer_end::agent_full;
  self->send(r.handle,
             reserve_result{offer, st.me.id, !refused,
                            refused.value_or(engine::offer_end::agent_full)});
  if (refused)
    return;
  // Being named by a customer does not send her to the back of the idle
  // order; accepting it does (claims.cpp).
  if (r.notice.kind != engine::offer_kind::direct)
    st.idle_since = now_ms(self, *st.rt);
  st.reserved.emplace(offer, reservation{r.conversation, r.handle, r.notice});
  to_sessions(self, {r.conversation, std::move(r.notice)});
  broadcast(self);
}

void on_revoke(self_ptr self, const revoke& r) {
  auto& st = self->state;
  auto i = st.reserved.find(r.offer);
  if (i == st.reserved.end())
    return;
  // An agent whose accept was on its way did not miss the offer. Nor does
  // a direct offer running out count: the customer named her, and may
  // name her when she is away; its end is `agent.absent`, not routing's
  // call to stop offering her work.
  bool missed = r.reason == engine::offer_end::timeout
                && i->second.notice.kind != engine::offer_kind::direct
                && !st.claiming(r.offer, i->second);
  st.reserved.erase(i);
  to_sessions(self, {r.conversation, offer_revoked_notice{r.offer, r.reason}});
  if (missed && ++st.missed >= st.rt->cfg->routing.max_missed_offers
      && st.status == agent_status::ready) {
    set_status(self, agent_status::not_ready, "missed_offers");
    return;
  }
  broadcast(self);
}

reply on_reject(self_ptr self, const reject_offer& r) {
  auto& st = self->state;
  auto i = st.reserved.find(r.offer);
  if (i == st.reserved.end() || st.claiming(r.offer, i->second))
    return reply::error(errc::conflict, "the offer is no longer open");
  self->send(i->second.handle,
             decline{r.offer, st.me.id, engine::offer_end::rejected});
  st.reserved.erase(i);
  broadcast(self);
  return {};
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
    self, asked, waiting_query{st.topics, r.limit},
    [rp, limit = r.limit](std::vector<waiting_answer> answers) mutable {
      waiting_list out;
      for (auto& a : answers)
        std::move(a.entries.begin(), a.entries.end(),
                  std::back_inserter(out.entries));
      std::stable_sort(out.entries.begin(), out.entries.end(),
                       [](const waiting_entry& x, const waiting_entry& y) {
                         return x.waited_ms > y.waited_ms;
                       });
      if (out.entries.size() > limit) {
        out.entries.resize(limit);
        out.more = true;
      }
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
/// removed from the file keeps the rest of its old entry until nothing of
/// his is left, then stops (retire_if_gone, from broadcast).
void reconfigure(self_ptr self, agent_reconfigured& r) {
  auto& st = self->state;
  const auto* cfg = st.rt->cfg->find_agent(st.me.id);
  // Removed only once his queues are told he left: stopping before that
  // (on config_changed) would leave them his handle. He reads the newest
  // configuration, which may postdate the queues `r` names: removed, he
  // leaves those too.
  st.removed = cfg == nullptr;
  if (st.removed)
    for (auto& q : std::exchange(r.queues, {}))
      if (std::find(st.queues.begin(), st.queues.end(), q) == st.queues.end())
        st.queues.push_back(std::move(q));
  for (const auto& q : st.queues)
    if (std::find(r.queues.begin(), r.queues.end(), q) == r.queues.end())
      self->send(q, agent_left{st.me.id});
  st.queue_ids.clear();
  if (cfg != nullptr) {
    st.me.name = cfg->name;
    st.capacity = static_cast<std::int32_t>(cfg->capacity);
    st.topics = cfg->topics;
    st.queue_ids = cfg->queues;
  }
  st.queues = std::move(r.queues);
  broadcast(self);
}

/// His last session is gone: offline once the grace period ran out,
/// unless one comes back before.
void last_session_gone(self_ptr self) {
  auto& st = self->state;
  if (st.rt->supervision)
    self->send(st.rt->supervision, sessions_ended{self});
  broadcast(self);
  self->delayed_send(self,
                     as_duration(st.rt->cfg->routing.agent_disconnect_grace_ms),
                     grace_timer{++st.grace_generation});
}

/// A session whose hub is another node's: that hub is watched.
void watch_hub(self_ptr self, const session_ref& session) {
  const auto& hub = session.hub;
  if (hub && hub->node() != self->node()
      && self->state.remote_hubs.insert(hub.address()).second)
    self->monitor(hub);
}

void on_hub_down(self_ptr self, const caf::down_msg& m) {
  auto& st = self->state;
  if (st.remote_hubs.erase(m.source) == 0)
    return;
  log::info({"agent", st.me.id}, "sessions gone with their node's hub")
    .field("reason", caf::to_string(m.reason));
  if (st.sessions.remove_hub(m.source) && !st.connected())
    last_session_gone(self);
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
  self->set_down_handler([=](caf::down_msg& m) { on_hub_down(self, m); });
  // A monitor outlives the actor that placed it: taken back on exit, so
  // that the hubs of other nodes do not keep every agent actor that moved.
  self->set_exit_handler([=](caf::exit_msg& m) {
    if (!m.reason)
      return; // as CAF's own handler: only an error stops him
    for (const auto& hub : self->state.remote_hubs)
      self->demonitor(hub);
    self->quit(m.reason);
  });
  broadcast(self);
  return {
    [=](api_call& call) { return on_api_call(self, call); },
    [=](attach_session& a) -> caf::result<reply> {
      auto& st = self->state;
      if (!a.session.hub) {
        // Its hub's node closed the link while the attach was on its way
        // (actors/actor_addr_hash.hpp): no detach could name it, and no
        // down would come for it.
        return reply::error(errc::unavailable,
                            "the session's node is out of reach");
      }
      watch_hub(self, a.session);
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
      // One it never had: a hub detaches again a session closed before
      // its attach was answered (session/hub.cpp).
      if (st.sessions.remove(d.session) && !st.connected())
        last_session_gone(self);
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
      // Told again by a conversation that started anew elsewhere: its new
      // actor is the one to reach.
      self->state.assigned.insert_or_assign(r.conversation, r.handle);
      broadcast(self);
    },
    [=](const shards_moved& m) { on_shards_moved(self, m); },
    [=](const slot_check_timer&) { on_slot_check_timer(self); },
    [=](const deliver& d) {
      for (const auto& n : d.what)
        self->state.sessions.deliver(n);
    },
  };
}

} // namespace
} // namespace baton::actors::agent_impl

namespace baton::actors {

agent_actor spawn_agent(caf::local_actor* parent,
                        const engine::config::agent& agent, runtime_ptr rt,
                        directory_actor directory,
                        std::vector<queue_actor> queues) {
  return parent->spawn<caf::linked>(agent_impl::agent_behavior, agent,
                                    std::move(rt), std::move(directory),
                                    std::move(queues));
}

} // namespace baton::actors
