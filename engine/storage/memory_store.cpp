#include "engine/storage/memory_store.hpp"

#include <algorithm>

namespace baton::engine::storage {

void memory_store::append(std::span<const log_entry> batch) {
  // Check everything first: a failed batch leaves nothing behind.
  std::unordered_map<std::string, std::uint64_t> last;
  for (const auto& entry : batch) {
    auto [i, fresh] = last.try_emplace(entry.conversation, 0);
    if (fresh) {
      auto c = conversations_.find(entry.conversation);
      if (c != conversations_.end() && !c->second.events.empty())
        i->second = c->second.events.back().seq;
    }
    if (entry.e.seq <= i->second)
      throw store_error("event " + std::to_string(entry.e.seq) + " of "
                        + entry.conversation + " is already stored");
    i->second = entry.e.seq;
  }
  for (const auto& entry : batch) {
    auto [i, fresh] = conversations_.try_emplace(entry.conversation);
    if (fresh)
      i->second.created = next_++;
    i->second.events.push_back(entry.e);
    if (std::holds_alternative<conversation_closed>(entry.e.body))
      i->second.closed_at = entry.e.ts;
    else
      i->second.closed_at.reset(); // an event after a close reopens
  }
}

void memory_store::load_open(
  const std::function<void(conversation_log&&)>& each) {
  std::vector<std::pair<std::uint64_t, const std::string*>> open;
  for (const auto& [id, r] : conversations_)
    if (!r.closed_at)
      open.emplace_back(r.created, &id);
  std::sort(open.begin(), open.end());
  for (const auto& [created, id] : open)
    each(conversation_log{*id, conversations_.at(*id).events});
}

std::vector<event> memory_store::load(const std::string& conversation) {
  auto i = conversations_.find(conversation);
  return i == conversations_.end() ? std::vector<event>{} : i->second.events;
}

std::size_t memory_store::prune_closed(time_ms closed_before,
                                       std::size_t limit) {
  std::size_t gone = 0;
  for (auto i = conversations_.begin();
       i != conversations_.end() && gone < limit;) {
    if (i->second.closed_at && *i->second.closed_at < closed_before) {
      i = conversations_.erase(i);
      ++gone;
    } else {
      ++i;
    }
  }
  return gone;
}

} // namespace baton::engine::storage
