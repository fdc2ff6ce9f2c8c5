#include "actors/session/local_sinks.hpp"

#include <mutex>

namespace baton::actors {

std::uint64_t local_sinks::add(caf::actor_id hub, sink_ptr sink) {
  std::unique_lock lock{mutex_};
  auto number = ++next_;
  sinks_.emplace(number, entry{hub, std::move(sink)});
  return number;
}

void local_sinks::remove(std::uint64_t number) {
  std::unique_lock lock{mutex_};
  sinks_.erase(number);
}

bool local_sinks::deliver(const session_ref& session,
                          const notification_ptr& what) const {
  if (session.hub.node() != node_)
    return false;
  sink_ptr sink;
  {
    std::shared_lock lock{mutex_};
    auto i = sinks_.find(session.session);
    if (i == sinks_.end() || i->second.hub != session.hub.id())
      return false;
    sink = i->second.sink;
  }
  sink->deliver(what);
  return true;
}

} // namespace baton::actors
