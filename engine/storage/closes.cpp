#include <unordered_map>

#include "engine/storage/store.hpp"

namespace baton::engine::storage {

std::vector<const log_entry*>
closes_and_reopens(std::span<const log_entry> batch) {
  std::vector<const log_entry*> last;
  std::unordered_map<std::string_view, std::size_t> where;
  for (const auto& entry : batch) {
    if (!std::holds_alternative<conversation_closed>(entry.e.body)
        && !std::holds_alternative<conversation_reopened>(entry.e.body))
      continue;
    auto [i, fresh] = where.try_emplace(entry.conversation, last.size());
    if (fresh)
      last.push_back(&entry);
    else
      last[i->second] = &entry;
  }
  return last;
}

} // namespace baton::engine::storage
