#include "engine/routing/wait_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace baton::engine {

void line_speed::observe(time_ms now, std::size_t waiting) noexcept {
  if (started_ && now > last_ && waiting > 0)
    busy_ms_ += static_cast<double>(now - last_);
  if (!started_ || now > last_)
    last_ = now;
  started_ = true;
}

void line_speed::note_departure() noexcept {
  ++departures_;
  // The first gaps weigh as much as they can: a plain mean until the window
  // fills, then the moving average.
  auto weight = 1.0 / std::min(static_cast<double>(departures_), window);
  average_gap_ms_ += (busy_ms_ - average_gap_ms_) * weight;
  busy_ms_ = 0;
}

std::optional<double> line_speed::per_second() const noexcept {
  if (departures_ < min_departures)
    return std::nullopt;
  // Departures a millisecond apart or closer: as fast as the clock tells.
  return 1000.0 / std::max(average_gap_ms_, 1.0);
}

bool worth_telling(const line_place& told, const line_place& now) noexcept {
  if (told.position == 0)
    return true;
  if (now.position != told.position
      && (now.position <= 5
          || std::abs(now.position - told.position) * 10 >= told.position))
    return true;
  bool known_before = told.estimated_wait_s >= 0;
  bool known_now = now.estimated_wait_s >= 0;
  if (known_before != known_now)
    return true;
  if (!known_now)
    return false;
  auto change = std::abs(now.estimated_wait_s - told.estimated_wait_s);
  return change >= 30 && change * 4 >= told.estimated_wait_s;
}

std::optional<std::int64_t> estimated_wait_s(std::size_t position,
                                             const line_speed& speed) {
  auto rate = speed.per_second();
  if (!rate)
    return std::nullopt;
  return std::llround(static_cast<double>(position) / *rate);
}

} // namespace baton::engine
