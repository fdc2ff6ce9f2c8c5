#include "actors/user_actor.hpp"

#include <vector>

#include "caf/all.hpp"

#include "actors/messages.hpp"

namespace baton::actors {
namespace {

struct user_actor_state {
  std::vector<sink_ptr> sinks;
};

caf::behavior user_behavior(caf::stateful_actor<user_actor_state>* self) {
  return {
    [=](attach_sink& a) { self->state.sinks.push_back(std::move(a.sink)); },
    [=](const detach_sink& d) { std::erase(self->state.sinks, d.sink); },
    [=](const deliver& d) {
      for (const auto& sink : self->state.sinks)
        sink->deliver(d.what);
    },
  };
}

} // namespace

caf::actor spawn_user(caf::event_based_actor* parent) {
  return parent->spawn<caf::linked>(user_behavior);
}

} // namespace baton::actors
