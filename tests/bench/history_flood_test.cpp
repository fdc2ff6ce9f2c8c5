#include "bench/load/history_flood.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string_view>

#include "bench/load/stamp.hpp"

namespace baton::bench {
namespace {

constexpr std::uint64_t ms = 1'000'000;

TEST(HistoryFloodTest, IdsHaveTheServersShapeAndDoNotRepeat) {
  std::mt19937_64 rng(7);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = random_conversation_id(rng);
    ASSERT_EQ(id.size(), 32u) << id;
    EXPECT_EQ(id.substr(0, 2), "c-");
    for (char c : std::string_view(id).substr(2))
      EXPECT_NE(std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(c),
                std::string_view::npos)
        << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(HistoryFloodTest, UnpacedReadsFillTheWindowAndGoAsAnswersCome) {
  read_pacer p(0, 3);
  p.start(100 * ms);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(p.take(100 * ms), 100 * ms);
  EXPECT_FALSE(p.take(100 * ms));
  EXPECT_FALSE(p.next_due()); // only an answer frees a slot
  p.answered();
  EXPECT_EQ(p.take(105 * ms), 105 * ms);
  EXPECT_EQ(p.sent(), 4u);
  EXPECT_EQ(p.unanswered(), 3);
}

TEST(HistoryFloodTest, PacedReadsAreDueAtTheirOwnTimes) {
  read_pacer p(50, 10); // one every 20 ms
  p.start(1000 * ms);
  EXPECT_EQ(p.take(1000 * ms), 1000 * ms);
  EXPECT_FALSE(p.take(1019 * ms));
  EXPECT_EQ(p.next_due(), 1020 * ms);
  // Late: what fell due meanwhile goes at once, each with its due time.
  EXPECT_EQ(p.take(1065 * ms), 1020 * ms);
  EXPECT_EQ(p.take(1065 * ms), 1040 * ms);
  EXPECT_EQ(p.take(1065 * ms), 1060 * ms);
  EXPECT_FALSE(p.take(1065 * ms));
  EXPECT_EQ(p.next_due(), 1080 * ms);
}

TEST(HistoryFloodTest, AFullWindowHoldsAPacedReadButKeepsItsDueTime) {
  read_pacer p(100, 1); // one every 10 ms, one at a time
  p.start(0);
  EXPECT_EQ(p.take(0), 0u);
  EXPECT_FALSE(p.take(30 * ms));
  EXPECT_FALSE(p.next_due()); // the answer will say when
  p.answered();
  // Answered at 30 ms: the read due at 10 ms goes now and counts from 10.
  EXPECT_EQ(p.take(30 * ms), 10 * ms);
}

TEST(HistoryFloodTest, StampsComeBackFromIdsAndTexts) {
  std::string id;
  append_stamp(id, 'y', 123456789);
  EXPECT_EQ(id, "y123456789");
  EXPECT_EQ(stamp_of(id, 'y'), 123456789u);
  EXPECT_EQ(stamp_of(id, 'm'), 0u);
  EXPECT_EQ(stamp_of("t42 where is my parcel?", 't'), 42u);
  EXPECT_EQ(stamp_of("m", 'm'), 0u);    // the old unstamped id
  EXPECT_EQ(stamp_of("m4x2", 'm'), 0u); // not a number
}

} // namespace
} // namespace baton::bench
