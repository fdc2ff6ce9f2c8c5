#include "actors/directory/actor.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/agent/actor.hpp"
#include "actors/directory/state.hpp"
#include "actors/queue/actor.hpp"
#include "actors/supervision/actor.hpp"
#include "actors/supervision/messages.hpp"
#include "actors/timers/actor.hpp"

namespace baton::actors::directory_impl {
namespace {

/// Conversations and user inboxes are monitored, not linked
/// (spawn_conversation says why): the directory stops them when it stops.
void stop_members(self_ptr self, const caf::error& reason) {
  auto& st = self->state;
  for (const auto& [id, c] : st.conversations)
    if (c.handle)
      self->send_exit(c.handle, reason);
  for (const auto& inbox : st.users.inboxes())
    self->send_exit(inbox, reason);
}

void stop_with_members(self_ptr self, const caf::error& reason) {
  stop_members(self, reason);
  self->quit(reason);
}

/// The session's hub is another node's: remembered until its detach, or
/// until the hub goes down with its node or link.
void note_remote_session(self_ptr self, const attach_session& a) {
  const auto& hub = a.session.hub;
  if (!hub || hub->node() == self->node())
    return;
  auto [i, fresh] = self->state.remote_sessions.try_emplace(hub.address());
  if (fresh)
    self->monitor(hub);
  i->second.insert_or_assign(a.session.session,
                             detach_session{a.who, a.session});
}

void forget_remote_session(self_ptr self, const detach_session& d) {
  const auto& hub = d.session.hub;
  if (!hub)
    return;
  auto i = self->state.remote_sessions.find(hub.address());
  if (i == self->state.remote_sessions.end())
    return;
  i->second.erase(d.session.session);
  // The monitor stays: a hub lives as long as its node's front.
}

void detach(self_ptr self, detach_session d) {
  forget_remote_session(self, d);
  if (auto agent = agent_of(self, d.who)) {
    self->send(agent, std::move(d));
    return;
  }
  auto key = engine::user_key(d.who.role, d.who.user);
  if (auto holder = holder_elsewhere(self, key)) {
    self->send(holder, std::move(d));
    return;
  }
  auto* e = self->state.users.find(key);
  if (e == nullptr)
    return;
  auto attached = std::find(e->sessions.begin(), e->sessions.end(), d.session);
  if (attached == e->sessions.end())
    return;
  e->sessions.erase(attached);
  self->send(e->inbox, std::move(d));
  drop_if_idle(self, key);
}

/// A remote hub went down: its sessions are gone, told or not.
bool detach_hub(self_ptr self, const caf::actor_addr& hub) {
  auto i = self->state.remote_sessions.find(hub);
  if (i == self->state.remote_sessions.end())
    return false;
  auto sessions = std::move(i->second);
  self->state.remote_sessions.erase(i);
  for (auto& [number, d] : sessions)
    detach(self, std::move(d));
  return true;
}

directory_actor::behavior_type
directory_behavior(self_ptr self, runtime_ptr rt,
                   engine::cluster::shard_set shards) {
  auto& st = self->state;
  st.shards = std::move(shards);
  // An agent a reload removed exits normally once nothing of his is left;
  // anything else (the service stopping, a member failing) stops
  // everything.
  self->set_exit_handler([=](caf::exit_msg& m) {
    if (m.reason)
      stop_with_members(self, m.reason);
    else
      on_agent_stopped(self, m.source);
  });
  // A conversation or an inbox that failed stops everything, as it did
  // when they were linked; one that retired normally is forgotten already.
  self->set_down_handler([=](caf::down_msg& m) {
    if (detach_hub(self, m.source) || on_holder_down(self, m.source, m.reason))
      return;
    // Another node's actor (a holder a newer table no longer names, whose
    // down was on its way): never a member of this directory.
    if (m.source.node() != self->node())
      return;
    if (m.reason)
      stop_with_members(self, m.reason);
  });
  self->set_exception_handler(
    [=](caf::scheduled_actor*, std::exception_ptr&) -> caf::error {
      stop_members(self, caf::sec::runtime_error);
      return caf::sec::runtime_error; // CAF stops the directory with it
    });
  st.conversation_ids = engine::make_id_generator("c-", rt->seed,
                                                  engine::made_order::counted);
  // Agents and conversations report changes to supervision, and
  // conversations set their timers with the timers actor: they get a
  // runtime that names both.
  auto with_members = std::make_shared<runtime>(*rt);
  with_members->supervision = spawn_supervision(self, rt);
  with_members->timers = spawn_timers(self, rt->metrics);
  rt = std::move(with_members);
  rt->source->install(rt);
  st.rt = std::move(rt);
  start_queues(self);
  start_agents_once_queues_known(self);
  return {
    [=](api_call& call) -> caf::result<reply> {
      auto rp = self->make_response_promise<reply>();
      route(self, call, rp);
      return rp;
    },
    [=](const new_config& n) { reload(self, n.version); },
    [=](recover_conversations& r) { return on_recover(self, r); },
    [=](const restore_step&) { on_restore_step(self); },
    [=](recover_shards& r) { on_recover_shards(self, std::move(r.shards)); },
    [=](attach_session& a) -> caf::result<reply> {
      auto rp = self->make_response_promise<reply>();
      if (!joined(self->state)) {
        rp.deliver(not_joined_yet());
        return rp;
      }
      auto agent = agent_of(self, a.who);
      auto key = engine::user_key(a.who.role, a.who.user);
      if (auto holder = agent ? directory_actor{}
                              : holder_elsewhere(self, key)) {
        rp.delegate(holder, std::move(a));
        return rp;
      }
      if (agent ? agent_on_its_way(self->state, a.who.user)
                : still_recovering(self->state, key)) {
        // A customer's conversations are in her shard: a list while they
        // come back from the store would leave some out.
        rp.deliver(moving_elsewhere());
        return rp;
      }
      if (!a.session.hub) {
        // Its hub's node closed the link before the attach was read
        // (actors/actor_addr_hash.hpp): no detach could name it, and no
        // event reach it.
        rp.deliver(reply::error(engine::errc::unavailable,
                                "the session's node is out of reach"));
        return rp;
      }
      note_remote_session(self, a);
      if (agent) {
        rp.delegate(agent, std::move(a));
        return rp;
      }
      self->state.users.at(key).sessions.push_back(a.session);
      rp.delegate(user_inbox(self, key), std::move(a));
      return rp;
    },
    [=](detach_session& d) { detach(self, std::move(d)); },
    [=](to_conversation& m) -> caf::result<claim_result> {
      auto rp = self->make_response_promise<claim_result>();
      ask_conversation(self, m, rp);
      return rp;
    },
    [=](passivate& p) { on_passivate(self, p); },
    [=](const passivation_done& d) { on_passivation_done(self, d); },
    [=](join_directories& j) { return on_join(self, j); },
    [=](inboxes_wanted& w) { return on_inboxes_wanted(self, w); },
    [=](from_queue& m) { on_from_queue(self, m); },
    [=](const conversation_open_changed& c) {
      auto& st = self->state;
      auto i = st.conversations.find(c.conversation);
      if (i == st.conversations.end() || i->second.open == c.open)
        return;
      i->second.open = c.open;
      auto& customer = st.users.at(*i->second.customer);
      customer.open += c.open ? 1 : -1;
      // Counted as open now, no longer as a resume in flight.
      if (auto r = std::find(customer.resuming.begin(), customer.resuming.end(),
                             c.conversation);
          c.open && r != customer.resuming.end())
        customer.resuming.erase(r);
    },
    [=](const conversation_retired& r) {
      auto& st = self->state;
      auto i = st.conversations.find(r.conversation);
      if (i == st.conversations.end() || i->second.handle != r.handle)
        return;
      auto& user = st.users.at(*i->second.customer);
      if (i->second.open)
        --user.open;
      user.lists_closed |= st.rt->cfg->limits.closed_conversations_listed > 0;
      auto customer = *i->second.customer;
      st.conversations.erase(i);
      st.rt->metrics->conversation_actors.add(-1);
      // A request to sleep that never came back: what it held back finds
      // the conversation gone.
      if (auto held = st.settling.find(r.conversation);
          held != st.settling.end()) {
        auto later = std::move(held->second);
        st.settling.erase(held);
        for (auto& f : later)
          f();
      }
      for (const auto& key : st.users.release(r.conversation, customer))
        drop_if_idle(self, key);
      release_remote_holds(self, r.conversation);
    },
    [=](give_up_shards& g) -> caf::result<bool> {
      auto rp = self->make_response_promise<bool>();
      on_give_up(self, g, rp);
      return rp;
    },
    [=](const holds_released& r) { on_holds_released(self, r); },
    [=](const holds_taken& t) { on_holds_taken(self, t); },
    [=](for_queue& m) {
      auto& st = self->state;
      auto i = st.queues.find(m.queue);
      if (i != st.queues.end()) {
        std::visit([&](auto& msg) { self->send(i->second, std::move(msg)); },
                   m.message);
        return;
      }
      // A reload keeps a removed queue, retired, to pass conversations on;
      // one removed while the node was down is not in the table. A
      // conversation sent back to it (assigned then, requeued now) moves to
      // the default queue as the retired queue would have moved it.
      if (auto* e = std::get_if<enqueue>(&m.message)) {
        const auto& fallback = st.rt->cfg->routing.default_queue;
        from_queue moved{e->conversation,
                         queue_moved{fallback, st.queues.at(fallback)}};
        on_from_queue(self, moved);
      }
    },
    [=](offer_to_agent& m) {
      auto& st = self->state;
      auto i = st.agents.find(m.agent);
      if (i == st.agents.end()) {
        // No such agent (any more): the offer finds nobody.
        self->send(m.message.handle,
                   reserve_result{m.message.notice.offer, m.agent, false,
                                  engine::offer_end::agent_offline});
        return;
      }
      self->send(i->second, std::move(m.message));
    },
    [=](revoke_to_agent& m) {
      // An agent not known (any more) holds no slot for it.
      if (auto i = self->state.agents.find(m.agent);
          i != self->state.agents.end())
        self->send(i->second, std::move(m.message));
    },
  };
}

} // namespace
} // namespace baton::actors::directory_impl

namespace baton::actors {

directory_actor spawn_directory(caf::actor_system& system, runtime_ptr rt,
                                engine::cluster::shard_set shards) {
  return system.spawn(directory_impl::directory_behavior, std::move(rt),
                      std::move(shards));
}

} // namespace baton::actors
