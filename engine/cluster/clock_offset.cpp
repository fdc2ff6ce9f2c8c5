#include "engine/cluster/clock_offset.hpp"

namespace baton::engine::cluster {

time_ms clock_offset_ms(time_ms sent_ms, time_ms received_ms,
                        time_ms database_ms) noexcept {
  auto middle = sent_ms + (received_ms - sent_ms) / 2;
  return middle - database_ms;
}

} // namespace baton::engine::cluster
