#include "actors/session/hub.hpp"

#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "caf/all.hpp"

#include "actors/actor_addr_hash.hpp"
#include "actors/messages.hpp"
#include "actors/session/messages.hpp"

namespace baton::actors {
namespace {

struct hub_state {
  // Not an aggregate: CAF builds a state from the actor's own pointer when
  // it can, which a handle as first member would allow.
  hub_state() = default;

  directory_actor directory;
  local_sinks_ptr sinks;
  caf::duration patience; ///< infinite by default
  std::shared_ptr<histogram> latency;
  std::unordered_map<const event_sink*, std::uint64_t> numbers;
  /// With a patience (a directory on another node): the requests out, by
  /// number, answered `unavailable` at once if the directory goes down
  /// rather than when the patience runs out.
  std::unordered_map<std::uint64_t, reply_fn> pending;
  std::uint64_t next_request = 0;
  /// The actor each session is attached to (its user's inbox or agent),
  /// and the sessions attached to each, watched: one that stops while its
  /// sessions go on went with the directory holding its user, and they
  /// reconnect to where the user is held now.
  std::unordered_map<const event_sink*, caf::actor_addr> attached_to;
  std::unordered_map<caf::actor_addr, std::vector<sink_ptr>, actor_addr_hash>
    attached;
  /// Sessions asked to reconnect: their close sends no detach, which would
  /// reach the user's new holder, where they never were.
  std::unordered_set<const event_sink*> reconnecting;
};

using self_ptr = session_hub_actor::stateful_pointer<hub_state>;

/// What a session hears when the routing core did not answer (it stopped).
reply no_answer() {
  return reply::error(engine::errc::unavailable,
                      "the routing core did not answer: try again");
}

/// Asks the directory `what` and hands the answer to `done`.
template <class Message>
void ask(self_ptr self, Message what, reply_fn done) {
  // Timed only for a directory on another node: the relay's figure.
  auto latency = self->state.latency;
  auto asked = latency ? std::chrono::steady_clock::now()
                       : std::chrono::steady_clock::time_point{};
  auto observe = [latency, asked] {
    if (latency)
      latency->observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - asked)
          .count());
  };
  auto& st = self->state;
  // A directory in this process (no patience) always answers: straight to
  // `done`. One on another node: through `pending`, answered once.
  std::uint64_t number = 0;
  reply_fn direct;
  if (!st.patience.valid())
    direct = done ? std::move(done) : [](const reply&) {};
  else
    st.pending.emplace(number = ++st.next_request, std::move(done));
  // Each request is answered once: by the directory, by the patience, or
  // by its going down, whichever comes first.
  auto finish = [self, number, direct = std::move(direct),
                 observe](const reply& r) {
    observe();
    if (number == 0)
      return direct(r);
    auto& waiting = self->state.pending;
    auto i = waiting.find(number);
    if (i == waiting.end())
      return;
    auto answer = std::move(i->second);
    waiting.erase(i);
    if (answer)
      answer(r);
  };
  self->request(st.directory, st.patience, std::move(what))
    .then([finish](reply& r) { finish(r); },
          [finish](caf::error&) { finish(no_answer()); });
}

/// The directory went down (its node died or its link broke): everything
/// still asked of it is answered now.
void answer_pending(self_ptr self) {
  auto waiting = std::move(self->state.pending);
  self->state.pending.clear();
  for (auto& [number, answer] : waiting)
    if (answer)
      answer(no_answer());
}

/// `sink`'s session was attached to `to` (the sender of the attach's
/// answer): watched from now on.
void watch_attached(self_ptr self, const sink_ptr& sink,
                    const caf::strong_actor_ptr& to) {
  auto& st = self->state;
  if (!to || st.numbers.count(sink.get()) == 0
      || st.attached_to.count(sink.get()) > 0)
    return; // closed meanwhile, or attached already
  // The directory's own answer; or a relay's session, attached on the node
  // of the core it relays to: the relay closes every session itself when
  // that core goes.
  const auto& directory = st.directory;
  if (to == caf::actor_cast<caf::strong_actor_ptr>(directory)
      || (to->node() == directory->node() && directory->node() != self->node()))
    return;
  auto address = caf::actor_cast<caf::actor_addr>(to);
  auto [i, fresh] = st.attached.try_emplace(address);
  if (fresh)
    self->monitor(to);
  i->second.push_back(sink);
  st.attached_to.emplace(sink.get(), std::move(address));
}

void unwatch(self_ptr self, const event_sink* sink) {
  auto& st = self->state;
  auto i = st.attached_to.find(sink);
  if (i == st.attached_to.end())
    return;
  if (auto j = st.attached.find(i->second); j != st.attached.end()) {
    std::erase_if(j->second,
                  [&](const sink_ptr& s) { return s.get() == sink; });
    if (j->second.empty()) {
      self->demonitor(j->first);
      st.attached.erase(j);
    }
  }
  st.attached_to.erase(i);
}

/// The actor those sessions were attached to stopped: each is asked to
/// reconnect (the gateway closes it, and its disconnect follows).
void reconnect_attached(self_ptr self, const caf::actor_addr& stopped) {
  auto& st = self->state;
  auto i = st.attached.find(stopped);
  if (i == st.attached.end())
    return;
  auto sessions = std::move(i->second);
  st.attached.erase(i);
  for (const auto& sink : sessions) {
    st.attached_to.erase(sink.get());
    st.reconnecting.insert(sink.get());
    sink->reconnect();
  }
}

session_hub_actor::behavior_type
hub_behavior(self_ptr self, directory_actor directory, local_sinks_ptr sinks,
             std::chrono::milliseconds patience,
             std::shared_ptr<histogram> latency) {
  self->state.directory = std::move(directory);
  self->state.sinks = std::move(sinks);
  self->state.latency = std::move(latency);
  if (patience.count() > 0) {
    self->state.patience = caf::duration{patience};
    self->monitor(self->state.directory);
  }
  self->set_down_handler([=](const caf::down_msg& m) {
    if (m.source == self->state.directory.address())
      answer_pending(self);
    else
      reconnect_attached(self, m.source);
  });
  // A monitor outlives the actor that placed it: taken back on exit, so
  // that a remote directory or inbox that stays up does not keep every hub
  // that ever asked it (a relay that follows it again and again).
  self->set_exit_handler([=](caf::exit_msg& m) {
    auto& st = self->state;
    if (st.patience.valid())
      self->demonitor(st.directory.address());
    for (const auto& [address, sessions] : st.attached)
      self->demonitor(address);
    self->quit(m.reason);
  });
  return {
    [=](hub_connect& c) {
      auto& st = self->state;
      auto number = st.sinks->add(self->id(), c.sink);
      st.numbers.emplace(c.sink.get(), number);
      session_ref session{self, number};
      // Answered by the actor it is attached to: watched once it is. One
      // closed before that is detached again: its first detach may have
      // gone by another path (the holder of the table of then), come first
      // and found nothing to take away. A detach of a session not attached
      // changes nothing.
      auto attached = [self, sink = c.sink, who = c.who, number,
                       done = std::move(c.done)](const reply& r) {
        if (r.ok() && self->state.numbers.count(sink.get()) == 0)
          self->send(self->state.directory,
                     detach_session{who, {self, number}});
        else if (r.ok())
          watch_attached(self, sink, self->current_sender());
        if (done)
          done(r);
      };
      ask(self, attach_session{std::move(c.who), std::move(session)},
          std::move(attached));
    },
    [=](hub_disconnect& d) {
      auto& st = self->state;
      auto i = st.numbers.find(d.sink.get());
      if (i == st.numbers.end())
        return;
      auto number = i->second;
      unwatch(self, d.sink.get());
      st.numbers.erase(i);
      st.sinks->remove(number);
      if (st.reconnecting.erase(d.sink.get()) == 0)
        self->send(st.directory,
                   detach_session{std::move(d.who), {self, number}});
    },
    [=](hub_submit& s) {
      ask(self, api_call{std::move(s.who), std::move(s.what), {}},
          std::move(s.done));
    },
    [=](session_event& e) {
      // From an inbox on another node. One copy for every session of the
      // user here: rendered once each.
      auto shared = std::make_shared<const notification>(std::move(e.what));
      for (auto number : e.sessions)
        self->state.sinks->deliver(session_ref{self, number}, shared);
    },
  };
}

} // namespace

session_hub_actor
spawn_session_hub(caf::actor_system& system, directory_actor directory,
                  local_sinks_ptr sinks, std::chrono::milliseconds patience,
                  std::shared_ptr<histogram> latency) {
  return system.spawn(hub_behavior, std::move(directory), std::move(sinks),
                      patience, std::move(latency));
}

} // namespace baton::actors
