#include "bench/load/history_flood.hpp"

#include <algorithm>

namespace baton::bench {

std::string random_conversation_id(std::mt19937_64& rng) {
  static constexpr char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string id = "c-";
  id.reserve(2 + 30);
  // Three draws of 60 bits, 12 digits each, cut to 30.
  for (int i = 0; i < 3; ++i) {
    auto bits = rng();
    for (int d = 0; d < 12 && id.size() < 32; ++d, bits >>= 5)
      id += crockford[bits & 31];
  }
  return id;
}

read_pacer::read_pacer(double rate_per_s, int window) noexcept
  : interval_ns_(rate_per_s > 0 ? 1e9 / rate_per_s : 0),
    window_(std::max(window, 1)) {
}

void read_pacer::start(std::uint64_t now_ns) noexcept {
  start_ns_ = now_ns;
  sent_ = 0;
  unanswered_ = 0;
}

std::uint64_t read_pacer::due(std::uint64_t k) const noexcept {
  return start_ns_ + static_cast<std::uint64_t>(double(k) * interval_ns_);
}

std::optional<std::uint64_t> read_pacer::take(std::uint64_t now_ns) noexcept {
  if (unanswered_ >= window_)
    return std::nullopt;
  auto at = interval_ns_ > 0 ? due(sent_) : now_ns;
  if (at > now_ns)
    return std::nullopt;
  ++sent_;
  ++unanswered_;
  return at;
}

void read_pacer::answered() noexcept {
  if (unanswered_ > 0)
    --unanswered_;
}

std::optional<std::uint64_t> read_pacer::next_due() const noexcept {
  if (interval_ns_ <= 0 || unanswered_ >= window_)
    return std::nullopt;
  return due(sent_);
}

} // namespace baton::bench
