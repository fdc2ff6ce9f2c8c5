#include "actors/session/hub.hpp"

#include <unordered_map>

#include "caf/all.hpp"

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
  self->request(self->state.directory, self->state.patience, std::move(what))
    .then(
      [done, observe](reply& r) {
        observe();
        if (done)
          done(r);
      },
      [done, observe](caf::error&) {
        observe();
        if (done)
          done(no_answer());
      });
}

session_hub_actor::behavior_type
hub_behavior(self_ptr self, directory_actor directory, local_sinks_ptr sinks,
             std::chrono::milliseconds patience,
             std::shared_ptr<histogram> latency) {
  self->state.directory = std::move(directory);
  self->state.sinks = std::move(sinks);
  self->state.latency = std::move(latency);
  if (patience.count() > 0)
    self->state.patience = caf::duration{patience};
  return {
    [=](hub_connect& c) {
      auto& st = self->state;
      auto number = st.sinks->add(self->id(), c.sink);
      st.numbers.emplace(c.sink.get(), number);
      session_ref session{self, number};
      ask(self, attach_session{std::move(c.who), std::move(session)},
          std::move(c.done));
    },
    [=](hub_disconnect& d) {
      auto& st = self->state;
      auto i = st.numbers.find(d.sink.get());
      if (i == st.numbers.end())
        return;
      auto number = i->second;
      st.numbers.erase(i);
      st.sinks->remove(number);
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
