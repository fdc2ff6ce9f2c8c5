#include "engine/conversation/history.hpp"

#include <gtest/gtest.h>

namespace baton::engine {
namespace {

const participant carol{"carol", role::customer, "Carol"};
const participant alice{"alice", role::agent, "Alice"};

/// seq 1 created, 2 offer, 3 assigned, then 4..13 messages where every third
/// is agent-only.
std::vector<event> sample_log() {
  std::vector<event> log;
  std::uint64_t seq = 0;
  auto add = [&](event_body b) { log.push_back({++seq, 0, std::move(b)}); };
  add(conversation_created{channel::web, "q", "", carol, "", 0});
  add(offer_made{{{"o", "alice"}}, offer_kind::new_, 0});
  add(conversation_assigned{"alice", "o"});
  for (int i = 0; i < 10; ++i)
    add(message_posted{i % 2 ? alice : carol,
                       "m" + std::to_string(i),
                       i % 3 == 2 ? visibility::agents : visibility::all,
                       {}});
  return log;
}

std::vector<std::uint64_t> seqs(const history_page& p) {
  std::vector<std::uint64_t> out;
  for (const auto& e : p.events)
    out.push_back(e.seq);
  return out;
}

TEST(HistoryTest, RoutingInternalsAreNeverShown) {
  auto page = page_history(sample_log(), reader::staff, {});
  EXPECT_EQ(seqs(page).front(), 3u);
  EXPECT_EQ(page.events.size(), 11u);
  EXPECT_FALSE(page.more);
}

TEST(HistoryTest, CustomersNeverSeeAgentOnlyEvents) {
  auto page = page_history(sample_log(), reader::customer, {});
  for (const auto& e : page.events)
    EXPECT_TRUE(customer_visible(e)) << e.seq;
  // m2, m5 and m8 are agent-only.
  EXPECT_EQ(page.events.size(), 8u);
}

TEST(HistoryTest, PagesForwardFromAfterSeq) {
  auto log = sample_log();
  auto first = page_history(log, reader::staff, {std::nullopt, {}, 4});
  EXPECT_EQ(seqs(first), (std::vector<std::uint64_t>{3, 4, 5, 6}));
  EXPECT_TRUE(first.more);
  auto next = page_history(log, reader::staff, {6, {}, 4});
  EXPECT_EQ(seqs(next), (std::vector<std::uint64_t>{7, 8, 9, 10}));
  auto last = page_history(log, reader::staff, {10, {}, 4});
  EXPECT_EQ(seqs(last), (std::vector<std::uint64_t>{11, 12, 13}));
  EXPECT_FALSE(last.more);
}

TEST(HistoryTest, APageStopsBeforeItsEventsPassTheFramesBytes) {
  std::vector<event> log;
  for (std::uint64_t seq = 1; seq <= 500; ++seq)
    log.push_back(
      {seq, 0,
       message_posted{carol, std::string(16384, 'x'), visibility::all, {}}});
  auto page = page_history(log, reader::customer, {std::nullopt, {}, 500});
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{1, 2, 3}))
    << "three texts of 16 KiB fit 64 KiB, not 500 of them";
  EXPECT_TRUE(page.more);
  history_query tiny{std::nullopt, {}, 500, 1000};
  EXPECT_EQ(seqs(page_history(log, reader::customer, tiny)),
            (std::vector<std::uint64_t>{1}))
    << "the first goes even alone over the bytes";
}

TEST(HistoryTest, PagesBackwardFromBeforeSeq) {
  auto log = sample_log();
  auto page = page_history(log, reader::staff, {{}, 13, 3});
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{10, 11, 12}));
  EXPECT_TRUE(page.more);
  auto start = page_history(log, reader::staff, {{}, 5, 3});
  EXPECT_EQ(seqs(start), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_FALSE(start.more);
}

TEST(HistoryTest, CustomerPagesSkipHiddenEventsWithoutShrinking) {
  auto page = page_history(sample_log(), reader::customer, {{}, {}, 3});
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{3, 4, 5}));
  auto next = page_history(sample_log(), reader::customer, {5, {}, 3});
  // 6 is m2 (agent-only): skipped, the page still holds three.
  EXPECT_EQ(seqs(next), (std::vector<std::uint64_t>{7, 8, 10}));
}

} // namespace
} // namespace baton::engine
