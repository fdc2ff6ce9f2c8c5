#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/routing/agent_view.hpp"

namespace baton::engine {

/// A queue's eligible agents, indexed by its strategy so that a pick is
/// O(log n) plus the agents it skips, never a scan of the roster.
///
/// Eligible: ready, connected, below capacity (the queue only holds members),
/// and allowed the topic when the topic is restricted.
class agent_pool {
public:
  using skip_fn = std::function<bool(const std::string&)>;

  explicit agent_pool(engine::strategy s, std::uint64_t seed = 1);

  engine::strategy strategy() const noexcept {
    return strategy_;
  }

  /// Adds or refreshes an agent.
  void upsert(agent_view a);
  void remove(const std::string& agent);
  const agent_view* find(const std::string& agent) const;

  /// Records an offer sent to the agent: it holds one more slot (until its
  /// own update says otherwise) and goes to the back for round_robin and
  /// longest_idle.
  void note_offer(const std::string& agent, time_ms now);

  /// An offer noted here never reached the agent (the conversation had gone):
  /// the slot it held in this view is free again.
  void note_offer_dropped(const std::string& agent);

  bool eligible(const std::string& agent, const std::string& topic,
                bool restricted) const;

  /// The best eligible agent for a conversation of `topic`, skipping those
  /// `skip` names (already tried). ring_all picks like longest_idle here.
  std::optional<std::string> pick(const std::string& topic, bool restricted,
                                  const skip_fn& skip = {});

  /// Every eligible agent not skipped, best first (ring_all), at most `limit`.
  std::vector<std::string> pick_all(const std::string& topic, bool restricted,
                                    const skip_fn& skip = {},
                                    std::size_t limit = SIZE_MAX) const;

  std::size_t size() const noexcept {
    return agents_.size();
  }

  /// Visits every agent, eligible or not.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [id, r] : agents_)
      f(r.view);
  }
  /// Agents eligible for unrestricted work.
  std::size_t eligible_count() const noexcept;

private:
  struct rank {
    std::int64_t primary;
    std::int64_t secondary;
    std::uint64_t serial; ///< unique per agent: makes keys distinct
    auto operator<=>(const rank&) const = default;
  };

  struct bucket {
    std::set<rank> order;
    std::unordered_map<std::uint64_t, const std::string*> ids;
    /// For `random`: O(1) draws by index.
    std::vector<std::uint64_t> members;
    std::unordered_map<std::uint64_t, std::size_t> positions;
  };

  struct record {
    agent_view view;
    std::uint64_t serial = 0;
    std::int64_t rr_tick = 0;
    bool indexed = false;
    rank key{};
  };

  rank key_of(const record& r) const;
  void index(record& r);
  void unindex(record& r);
  void insert_into(bucket& b, const record& r);
  void erase_from(bucket& b, const record& r);
  const bucket* bucket_for(const std::string& topic, bool restricted) const;
  std::optional<std::string> pick_in(const bucket& b, const skip_fn& skip);

  engine::strategy strategy_;
  std::mt19937_64 rng_;
  std::unordered_map<std::string, record> agents_;
  /// "" holds every eligible agent; a topic's bucket those listing it.
  std::unordered_map<std::string, bucket> buckets_;
  std::uint64_t next_serial_ = 1;
  std::int64_t rr_counter_ = 0;
};

} // namespace baton::engine
