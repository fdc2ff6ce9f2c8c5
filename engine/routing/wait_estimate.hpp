#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "engine/types.hpp"

namespace baton::engine {

/// How fast a queue's line moves: the time between departures from its
/// waiting list (to an agent, to another queue, or given up), counting only
/// time during which someone waited, as a moving average over about the
/// last `window` departures. Time with nobody waiting is left out: an empty
/// line moves no one, and counting it would make a quiet night look slow.
///
/// docs/routing.md, "Wait estimates", says why this and not Erlang C.
class line_speed {
public:
  /// The average's weight of the newest departure is 1 / window.
  static constexpr double window = 20;
  /// Fewer departures than this seen, and the speed is unknown.
  static constexpr std::int64_t min_departures = 5;

  /// The line had `waiting` entries from the last call until `now`. Call
  /// before every change to the line.
  void observe(time_ms now, std::size_t waiting) noexcept;

  /// One conversation left the line (call after observe).
  void note_departure() noexcept;

  /// Departures per second while someone waits, or nothing when too few
  /// were seen to say.
  std::optional<double> per_second() const noexcept;

private:
  bool started_ = false;
  time_ms last_ = 0;
  /// Waiting time since the last departure.
  double busy_ms_ = 0;
  double average_gap_ms_ = 0;
  std::int64_t departures_ = 0;
};

/// Where a waiting conversation stands: its place in line (1 is the head)
/// and its estimated wait in seconds (-1: unknown).
struct line_place {
  std::int64_t position = 0;
  std::int64_t estimated_wait_s = -1;

  friend bool operator==(const line_place&, const line_place&) = default;
};

/// Whether a customer last told `told` (position 0: never) should hear
/// `now`: the first time; a place near the head (5 or closer) that changed;
/// a place that moved by a tenth or more; an estimate that appeared,
/// vanished, or moved by 30 s and a quarter. Small moves deep in a long
/// line are not worth a message each.
bool worth_telling(const line_place& told, const line_place& now) noexcept;

/// The wait of the conversation at `position` (1 is the head) at this
/// speed, in whole seconds: it is served after `position` departures.
/// Nothing when the speed is unknown.
std::optional<std::int64_t> estimated_wait_s(std::size_t position,
                                             const line_speed& speed);

} // namespace baton::engine
