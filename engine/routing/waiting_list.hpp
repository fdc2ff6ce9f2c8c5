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
/// waiting (to the millisecond), then by id_order (the order in which the
/// ids were made, whatever order they arrive in, here or at the queue's
/// next owner, docs/cluster.md), then the first to arrive.
/// Insert, remove and find are O(log n); walks from the head (by rank) or
/// from the oldest (by age) are in order.
class waiting_list {
public:
  struct entry {
    std::string conversation;
    std::int32_t priority = 0;
    /// The original enqueue time: a requeued conversation keeps its age.
    time_ms enqueued_at = 0;
    std::string topic;
    /// Breaks ties between equal ages. 0: the list takes it from the id
    /// (id_order, engine/ids.hpp), or numbers it in order of arrival for an
    /// id of another shape. Pass the same number again to put an entry back in
    /// its old place.
    std::uint64_t arrival = 0;
  };

  waiting_list() = default;
  /// Its indexes point into its own entries: a copy's would point into
  /// this one's. Moving keeps the entries where they are.
  waiting_list(const waiting_list&) = delete;
  waiting_list& operator=(const waiting_list&) = delete;
  waiting_list(waiting_list&&) noexcept = default;
  waiting_list& operator=(waiting_list&&) noexcept = default;

  /// Adds or, when already present, repositions the conversation; it is
  /// ready (in the walk of for_each_ready).
  void push(entry e);
  bool remove(const std::string& conversation);
  /// The conversation keeps its place but leaves the walk of
  /// for_each_ready (an offer round is out for it), until step_back puts it
  /// back there, in that same place.
  void step_out(const std::string& conversation);
  void step_back(const std::string& conversation);
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

  /// Visits the ready entries (not stepped out) from the head while `f`
  /// returns true: what a dispatch walks, so its cost does not grow with
  /// the offers out.
  template <class F>
  void for_each_ready(F&& f) const {
    for (const auto& [key, e] : ready_)
      if (!f(*e))
        return;
  }

  /// Visits entries from the tail towards the head while `f` returns true.
  template <class F>
  void for_each_from_tail(F&& f) const {
    for (auto i = order_.rbegin(); i != order_.rend(); ++i)
      if (!f(i->second))
        return;
  }

  /// Visits entries from the oldest while `f` returns true.
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
  /// a higher priority jumped the line).
  std::optional<time_ms> oldest_enqueued_at() const;

private:
  struct key {
    std::int32_t neg_priority;
    time_ms enqueued_at;
    std::uint64_t arrival;
    auto operator<=>(const key&) const = default;
  };

  std::map<key, entry> order_;
  /// The entries not stepped out, in the same order: 64 bytes each, where
  /// a second list of them would copy each entry and its id.
  std::map<key, const entry*> ready_;
  /// (enqueued_at, arrival) → the entry in `order_` (map nodes stay put).
  std::map<std::pair<time_ms, std::uint64_t>, const entry*> by_age_;
  /// Keyed by the id in the entry of `order_`, not a copy of it.
  std::unordered_map<std::string_view, key> by_id_;
  std::uint64_t next_arrival_ = 1;
};

} // namespace baton::engine
