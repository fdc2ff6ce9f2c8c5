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

sink_ptr local_sinks::find(std::uint64_t number,
                           const caf::actor_id* hub) const {
  std::shared_lock lock{mutex_};
  auto i = sinks_.find(number);
  if (i == sinks_.end() || (hub != nullptr && i->second.hub != *hub))
    return nullptr;
  return i->second.sink;
}

bool local_sinks::deliver(const session_ref& session,
                          const notification_ptr& what) const {
  if (session.hub.node() != node_)
    return false;
  auto hub = session.hub.id();
  auto sink = find(session.session, &hub);
  if (!sink)
    return false;
  sink->deliver(what);
  return true;
}

void local_sinks::deliver(std::uint64_t number,
                          const notification_ptr& what) const {
  if (auto sink = find(number, nullptr))
    sink->deliver(what);
}

} // namespace baton::actors
