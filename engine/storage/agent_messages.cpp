#include <algorithm>

#include "engine/storage/store.hpp"

namespace baton::engine::storage {

void collect_agent_messages(std::span<const event> events, time_ms from,
                            time_ms to, std::vector<agent_message>& out) {
  for (const auto& e : events) {
    const auto* m = std::get_if<message_posted>(&e.body);
    if (m != nullptr && e.ts >= from && e.ts <= to
        && m->from.role == role::agent && m->visibility == visibility::all)
      out.push_back({e.ts, m->from.id});
  }
}

void newest_first(std::vector<agent_message>& messages, std::size_t limit) {
  // Stable: two messages of one millisecond keep their stored order,
  // reversed with the rest.
  std::ranges::reverse(messages);
  std::ranges::stable_sort(messages, std::ranges::greater{},
                           &agent_message::at);
  if (messages.size() > limit)
    messages.resize(limit);
}

std::string customer_of(const event& first) {
  const auto* c = std::get_if<conversation_created>(&first.body);
  return c != nullptr ? c->customer.id : std::string{};
}

} // namespace baton::engine::storage
