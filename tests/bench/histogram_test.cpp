#include "bench/load/histogram.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace baton::bench {
namespace {

TEST(HistogramTest, EmptyReportsZero) {
  histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile(0.5), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.min(), 0u);
}

TEST(HistogramTest, SmallValuesAreExact) {
  histogram h;
  for (std::uint64_t v = 1; v <= 100; ++v)
    h.record(v);
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.quantile(0.5), 50u);
  EXPECT_EQ(h.quantile(0.99), 99u);
  EXPECT_EQ(h.quantile(1.0), 100u);
  EXPECT_EQ(h.min(), 1u);
}

TEST(HistogramTest, BucketsTileTheRangeWithoutGapsOrOverlap) {
  for (std::size_t i = 1; i < histogram::bucket_count; ++i)
    ASSERT_EQ(histogram::lowest_in(i), histogram::highest_in(i - 1) + 1)
      << "bucket " << i;
  EXPECT_EQ(histogram::highest_in(histogram::bucket_count - 1), UINT64_MAX);
  EXPECT_EQ(histogram::index_of(UINT64_MAX), histogram::bucket_count - 1);
}

TEST(HistogramTest, EveryValueLandsInTheBucketThatHoldsIt) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    std::uint64_t v = rng() >> (rng() % 64);
    auto b = histogram::index_of(v);
    ASSERT_LE(histogram::lowest_in(b), v);
    ASSERT_GE(histogram::highest_in(b), v);
  }
}

TEST(HistogramTest, ReportedValuesAreWithinTwoPercent) {
  histogram h;
  std::vector<std::uint64_t> values;
  std::mt19937_64 rng(11);
  // Latencies from 10 µs to 100 ms in nanoseconds.
  std::uniform_real_distribution<double> exponent(4.0, 8.0);
  for (int i = 0; i < 20000; ++i) {
    auto v = static_cast<std::uint64_t>(std::pow(10.0, exponent(rng)));
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    auto exact
      = values[static_cast<std::size_t>(std::ceil(q * double(values.size())))
               - 1];
    auto got = h.quantile(q);
    EXPECT_GE(got, exact) << "q " << q;
    EXPECT_LE(double(got), double(exact) * 1.02) << "q " << q;
  }
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.quantile(1.0), values.back());
}

TEST(HistogramTest, MergeAddsCountsAndKeepsExtremes) {
  histogram a, b;
  for (int i = 0; i < 90; ++i)
    a.record(1000);
  for (int i = 0; i < 10; ++i)
    b.record(5'000'000);
  b.record(3);
  a.merge(b);
  EXPECT_EQ(a.count(), 101u);
  EXPECT_EQ(a.max(), 5'000'000u);
  EXPECT_EQ(a.min(), 3u);
  EXPECT_EQ(a.quantile(0.5), 1000u + 7u); // 1000's bucket is [1000, 1007]
  EXPECT_GE(a.quantile(0.95), 5'000'000u * 98 / 100);
}

TEST(HistogramTest, SinceCountsOnlyWhatCameAfterTheCopy) {
  histogram h;
  for (int i = 0; i < 1000; ++i)
    h.record(1'000'000);
  h.record(900'000'000); // an old outlier the interval must not report
  histogram earlier = h;
  for (int i = 0; i < 100; ++i)
    h.record(50'000'000);

  auto interval = h.since(earlier);
  EXPECT_EQ(interval.count(), 100u);
  EXPECT_GE(interval.quantile(0.99), 50'000'000u);
  EXPECT_LE(interval.quantile(0.99), 50'000'000ull * 102 / 100);
  EXPECT_LE(interval.max(), 50'000'000ull * 102 / 100);
  EXPECT_GE(interval.min(), 50'000'000ull * 98 / 100);
  EXPECT_EQ(h.since(h).count(), 0u);
}

} // namespace
} // namespace baton::bench
