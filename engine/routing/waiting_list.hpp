#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/types.hpp"

namespace baton::engine {

/// One queue's waiting conversations: higher priority first, then the longest
/// waiting, then the first to arrive. Insert, remove and find are O(log n);
/// walks from the head (by rank) or from the oldest (by age) are in order.
class waiting_list {
public:
  struct entry {
    std::string conversation;
    std::int32_t priority = 0;
    /// The original enqueue time: a requeued conversation keeps its age.
    time_ms enqueued_at = 0;
    std::string topic;
    /// Breaks ties between equal ages, keeping FIFO; 0: the list numbers it.
    /// Pass the same number again to put an entry back in its old place.
    std::uint64_t arrival = 0;
  };

  /// Whether the list keeps an index by age (for_each_by_age,
  /// oldest_enqueued_at): 56 bytes an entry, which a list only walked from
  /// its head does without.
  enum class ages : bool { indexed, not_indexed };

  explicit waiting_list(ages a = ages::indexed) : ages_(a) {
  }

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

  /// Visits entries from the oldest while `f` returns true (an indexed
  /// list: none else).
  template <class F>
  void for_each_by_age(F&& f) const {
    for (const auto& [age, e] : by_age_)
      if (!f(*e))
        return;
  }

  const entry* head() const;
  /// The last in line: where an ordinary arrival goes.
  const entry* tail() const;

  /// The earliest enqueue time of all entries (the head may be younger, when
  /// a higher priority jumped the line); none from a list without the age
  /// index.
  std::optional<time_ms> oldest_enqueued_at() const;

private:
  struct key {
    std::int32_t neg_priority;
    time_ms enqueued_at;
    std::uint64_t arrival;
    auto operator<=>(const key&) const = default;
  };

  std::map<key, entry> order_;
  /// (enqueued_at, arrival) → the entry in `order_` (map nodes stay put).
  std::map<std::pair<time_ms, std::uint64_t>, const entry*> by_age_;
  /// Keyed by the id in the entry of `order_`, not a copy of it.
  std::unordered_map<std::string_view, key> by_id_;
  std::uint64_t next_arrival_ = 1;
  ages ages_ = ages::indexed;
};

} // namespace baton::engine
