#include "bench/load/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace baton::bench {

histogram::histogram(const histogram& other) {
  merge(other);
}

histogram& histogram::operator=(const histogram& other) {
  if (this != &other) {
    reset();
    merge(other);
  }
  return *this;
}

std::size_t histogram::index_of(std::uint64_t value) noexcept {
  if (value < sub_buckets)
    return static_cast<std::size_t>(value);
  // shift >= 1: the value keeps its top sub_bucket_bits - 1 bits below the
  // leading one, i.e. (value >> shift) is in [half_range, sub_buckets).
  int msb = 63 - std::countl_zero(value);
  int shift = msb - sub_bucket_bits + 1;
  return static_cast<std::size_t>(std::uint64_t(shift) * half_range
                                  + (value >> shift));
}

std::uint64_t histogram::lowest_in(std::size_t index) noexcept {
  if (index < sub_buckets)
    return index;
  std::uint64_t shift = index / half_range - 1;
  std::uint64_t mantissa = index % half_range + half_range;
  return mantissa << shift;
}

std::uint64_t histogram::highest_in(std::size_t index) noexcept {
  if (index < sub_buckets)
    return index;
  std::uint64_t shift = index / half_range - 1;
  std::uint64_t mantissa = index % half_range + half_range;
  // For the last bucket (mantissa + 1) << shift wraps to 0, and 0 - 1 is
  // UINT64_MAX: still the right answer in unsigned arithmetic.
  return ((mantissa + 1) << shift) - 1;
}

void histogram::record(std::uint64_t value) noexcept {
  bump(counts_[index_of(value)], 1);
  bump(total_, 1);
  if (value > max_.load(std::memory_order_relaxed))
    max_.store(value, std::memory_order_relaxed);
  if (value < min_.load(std::memory_order_relaxed))
    min_.store(value, std::memory_order_relaxed);
}

void histogram::merge(const histogram& other) noexcept {
  for (std::size_t i = 0; i < bucket_count; ++i) {
    auto c = other.counts_[i].load(std::memory_order_relaxed);
    if (c != 0)
      bump(counts_[i], c);
  }
  bump(total_, other.total_.load(std::memory_order_relaxed));
  auto mx = other.max_.load(std::memory_order_relaxed);
  if (mx > max_.load(std::memory_order_relaxed))
    max_.store(mx, std::memory_order_relaxed);
  auto mn = other.min_.load(std::memory_order_relaxed);
  if (mn < min_.load(std::memory_order_relaxed))
    min_.store(mn, std::memory_order_relaxed);
}

void histogram::reset() noexcept {
  for (auto& c : counts_)
    c.store(0, std::memory_order_relaxed);
  total_.store(0, std::memory_order_relaxed);
  max_.store(0, std::memory_order_relaxed);
  min_.store(UINT64_MAX, std::memory_order_relaxed);
}

histogram histogram::since(const histogram& earlier) const {
  histogram later;
  std::uint64_t total = 0;
  std::size_t lowest = bucket_count;
  std::size_t highest = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    auto now = counts_[i].load(std::memory_order_relaxed);
    auto before = earlier.counts_[i].load(std::memory_order_relaxed);
    if (now <= before)
      continue;
    later.counts_[i].store(now - before, std::memory_order_relaxed);
    total += now - before;
    lowest = std::min(lowest, i);
    highest = i;
  }
  later.total_.store(total, std::memory_order_relaxed);
  if (total > 0) {
    later.max_.store(std::min(highest_in(highest), max()),
                     std::memory_order_relaxed);
    later.min_.store(std::max(lowest_in(lowest), min()),
                     std::memory_order_relaxed);
  }
  return later;
}

std::uint64_t histogram::count() const noexcept {
  return total_.load(std::memory_order_relaxed);
}

std::uint64_t histogram::max() const noexcept {
  return max_.load(std::memory_order_relaxed);
}

std::uint64_t histogram::min() const noexcept {
  auto m = min_.load(std::memory_order_relaxed);
  return m == UINT64_MAX ? 0 : m;
}

std::uint64_t histogram::quantile(double q) const noexcept {
  // Sum the buckets rather than trust total_: a concurrent reader may see
  // a bucket before the total catches up.
  std::uint64_t total = 0;
  for (const auto& c : counts_)
    total += c.load(std::memory_order_relaxed);
  if (total == 0)
    return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * double(total)));
  if (rank == 0)
    rank = 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    seen += counts_[i].load(std::memory_order_relaxed);
    if (seen >= rank)
      return std::min(highest_in(i), max());
  }
  return max();
}

} // namespace baton::bench
