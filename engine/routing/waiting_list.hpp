#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/types.hpp"

namespace baton::engine {

/// One queue's waiting conversations: higher priority first, then the longest
/// waiting. Insert, remove and find are O(log n); the walk from the head is
/// in order.
class waiting_list {
public:
  struct entry {
    std::string conversation;
    std::int32_t priority = 0;
    /// The original enqueue time: a requeued conversation keeps its age.
    time_ms enqueued_at = 0;
    std::string topic;
  };

  /// Adds or, when already present, repositions the conversation.
  void push(entry e);
  bool remove(const std::string& conversation);
  const entry* find(const std::string& conversation) const;

  std::size_t size() const noexcept {
    return by_id_.size();
  }
  bool empty() const noexcept {
    return by_id_.empty();
  }

  /// Visits entries from the head while `f` returns true.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [key, e] : order_)
      if (!f(e))
        return;
  }

  const entry* head() const;

  /// The earliest enqueue time of all entries (the head may be younger, when
  /// a higher priority jumped the line).
  std::optional<time_ms> oldest_enqueued_at() const;

private:
  struct key {
    std::int32_t neg_priority;
    time_ms enqueued_at;
    /// Breaks ties between equal ages by arrival, keeping FIFO.
    std::uint64_t ticket;
    auto operator<=>(const key&) const = default;
  };

  std::map<key, entry> order_;
  std::multiset<time_ms> ages_;
  std::unordered_map<std::string, key> by_id_;
  std::uint64_t next_ticket_ = 0;
};

} // namespace baton::engine
