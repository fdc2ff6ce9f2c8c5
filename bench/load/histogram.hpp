#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

/// A log-bucketed latency histogram in the manner of HdrHistogram: every
/// value is counted (no sampling), in buckets whose width grows with the
/// value so that any reported value is within 1/64 (1.6 %) of a recorded one.
/// Values are nanoseconds, from 0 to 2^63.
///
/// One thread records; any thread may read (counts are relaxed atomics
/// written by that one thread only, so a record costs no locked
/// instruction). A reader running concurrently sees a consistent-enough
/// snapshot for a progress line; the final figures are read after the
/// writers have stopped.
namespace baton::bench {

class histogram {
public:
  /// Values below this are counted exactly; above it each power of two is
  /// split into `half_range` buckets.
  static constexpr int sub_bucket_bits = 7;
  static constexpr std::uint64_t sub_buckets = 1u << sub_bucket_bits;
  static constexpr std::uint64_t half_range = sub_buckets / 2;
  static constexpr std::size_t bucket_count
    = (64 - sub_bucket_bits + 1) * half_range + half_range;

  histogram() = default;
  histogram(const histogram& other);
  histogram& operator=(const histogram& other);

  /// Records one value. Only from the owning thread.
  void record(std::uint64_t value) noexcept;

  /// Adds every count of `other` (read with relaxed loads) to this one.
  void merge(const histogram& other) noexcept;

  void reset() noexcept;

  /// What was recorded after `earlier`, a copy of this histogram taken
  /// before: the counts' difference. Its max and min are those of the
  /// highest and lowest buckets left, within the same 1.6 %.
  histogram since(const histogram& earlier) const;

  std::uint64_t count() const noexcept;
  std::uint64_t max() const noexcept;
  std::uint64_t min() const noexcept; ///< 0 when empty

  /// The smallest recorded-bucket value v such that at least `q` (0..1) of
  /// the values are <= v, reported as the highest value of its bucket (never
  /// above max()). 0 when empty.
  std::uint64_t quantile(double q) const noexcept;

  /// The bucket of `value`, and the range of values a bucket stands for.
  static std::size_t index_of(std::uint64_t value) noexcept;
  static std::uint64_t lowest_in(std::size_t index) noexcept;
  static std::uint64_t highest_in(std::size_t index) noexcept;

private:
  static void bump(std::atomic<std::uint64_t>& a, std::uint64_t by) noexcept {
    a.store(a.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }

  std::array<std::atomic<std::uint64_t>, bucket_count> counts_{};
  std::atomic<std::uint64_t> total_{0};
  std::atomic<std::uint64_t> max_{0};
  std::atomic<std::uint64_t> min_{UINT64_MAX};
};

} // namespace baton::bench
