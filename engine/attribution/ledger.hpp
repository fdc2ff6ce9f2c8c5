#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/types.hpp"

/// Attribution (docs/protocol.md, "The HTTP side"): which agent to credit with
/// a customer's order, from the customer-visible messages agents sent that
/// customer. Pure: time comes in as arguments.
namespace baton::engine::attribution {

/// Tells whether an agent has the `manager` role (read from the
/// configuration at question time, so a reload counts at once).
using is_manager_fn = std::function<bool(std::string_view agent)>;

/// Per customer, the agents' customer-visible messages of the last
/// `window_ms`, oldest first. Older ones are pruned as newer ones come: the
/// ledger answers for orders placed from `window_ms` before the newest
/// message of that customer on.
class ledger {
public:
  /// At most this many messages are kept per customer; past that the oldest
  /// go. A customer talked to this much within one window is a bot loop,
  /// not a sale to attribute.
  static constexpr std::size_t max_per_customer = 1024;

  explicit ledger(duration_ms window_ms) : window_ms_(window_ms) {
  }

  /// A new window (a reload): applies from the next message on.
  void set_window(duration_ms window_ms) noexcept {
    window_ms_ = window_ms;
  }

  /// `agent` sent `customer` a customer-visible message at `at`.
  void record(std::string_view customer, std::string_view agent, time_ms at);

  /// The agent to credit for an order of `customer` placed at `at`: the last
  /// one who sent a message in [at - window_ms, at]. With
  /// `prefer_non_manager`, when that agent is a manager, the last agent
  /// before it in the window who is not a manager, if there is one.
  std::optional<std::string> credit(std::string_view customer, time_ms at,
                                    bool prefer_non_manager,
                                    const is_manager_fn& is_manager) const;

  /// Forgets every message older than `now - window_ms`; customers left
  /// with none go. Called from time to time so that customers who went
  /// quiet do not stay forever.
  void prune(time_ms now);

  std::size_t customers() const noexcept {
    return log_.size();
  }

private:
  /// 16 bytes: every customer written to within the window has some, so
  /// they are kept small (measured with three messages: about 210 bytes a
  /// customer, where a deque of strings took 1,260).
  struct entry {
    time_ms at = 0;
    std::uint32_t agent = 0; ///< into agents_
  };

  std::uint32_t intern(std::string_view agent);

  duration_ms window_ms_;
  std::unordered_map<std::string, std::vector<entry>> log_;
  /// Agent ids by index: staff, so their number is the roster's.
  std::vector<std::string> agents_;
  std::unordered_map<std::string, std::uint32_t> agent_index_;
};

} // namespace baton::engine::attribution
