#include "gateway/server/context.hpp"

#include <chrono>

namespace baton::gateway {

std::string server_context::next_session_id() {
  std::lock_guard guard{ids_mutex};
  return session_ids.next(wall_clock_ms());
}

std::string server_context::next_visitor_id() {
  std::lock_guard guard{ids_mutex};
  return visitor_ids.next(wall_clock_ms());
}

engine::time_ms wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
    .count();
}

} // namespace baton::gateway
