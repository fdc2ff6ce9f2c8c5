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

TEST(HistoryTest, ABotSeesWhispersOnlyOfTheSpansItHeldTheConversation) {
  const participant bot{"helper", role::bot, "Helper"};
  std::vector<event> log;
  std::uint64_t seq = 0;
  auto add = [&](event_body b) { log.push_back({++seq, 0, std::move(b)}); };
  auto whisper = [&](const participant& by, const char* text) {
    add(message_posted{by, text, visibility::agents, {}});
  };
  add(conversation_created{channel::web, "q", "", carol, "helper", 0});
  whisper(bot, "while it held it");                         // 2
  add(handed_off{"helper", "", "Wants a refund"});          // 3
  whisper(alice, "after its hand-off");                     // 4
  add(returned_to_bot{"helper", "alice"});                  // 5
  whisper(bot, "back with it");                             // 6
  add(message_posted{carol, "hello", visibility::all, {}}); // 7
  std::vector<std::uint64_t> seen;
  for (const auto& e : page_history(log, reader::bot, {}).events)
    if (std::holds_alternative<message_posted>(e.body))
      seen.push_back(e.seq);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{2, 6, 7}));
  // Backwards, the same.
  seen.clear();
  for (const auto& e :
       page_history(log, reader::bot, {std::nullopt, 8, 50}).events)
    if (std::holds_alternative<message_posted>(e.body))
      seen.push_back(e.seq);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{2, 6, 7}));
  EXPECT_EQ(reader_of(role::bot), reader::bot);
  EXPECT_EQ(reader_of(role::customer), reader::customer);
  EXPECT_EQ(reader_of(role::supervisor), reader::staff);
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

/// The first `n` events of `log` from `q`'s cursor on, in its direction, in
/// seq order: what a store reads for a page.
std::vector<event> rows_from(const std::vector<event>& log,
                             const history_query& q, std::size_t n) {
  std::vector<event> out;
  if (q.before_seq) {
    for (auto i = log.rbegin(); i != log.rend() && out.size() < n; ++i)
      if (i->seq < *q.before_seq)
        out.insert(out.begin(), *i);
    return out;
  }
  for (const auto& e : log)
    if (e.seq > q.after_seq.value_or(0) && out.size() < n)
      out.push_back(e);
  return out;
}

TEST(HistoryTest, PagesReadInSlicesAreThePagesOfTheWholeLog) {
  auto log = sample_log();
  for (auto who : {reader::customer, reader::staff})
    for (std::uint32_t limit : {1u, 2u, 3u, 50u})
      for (std::uint64_t cursor = 0; cursor <= 14; ++cursor)
        for (bool backward : {false, true}) {
          history_query q{{}, {}, limit};
          if (backward)
            q.before_seq = cursor;
          else
            q.after_seq = cursor;
          std::vector<std::size_t> asked;
          auto sliced = page_history_in_slices(
            [&](std::size_t n) {
              asked.push_back(n);
              return rows_from(log, q, n);
            },
            who, q);
          auto whole = page_history(log, who, q);
          SCOPED_TRACE(::testing::Message()
                       << (who == reader::customer ? "customer" : "staff")
                       << " limit " << limit
                       << (backward ? " before " : " after ") << cursor);
          EXPECT_EQ(seqs(sliced), seqs(whole));
          EXPECT_EQ(sliced.more, whole.more);
          ASSERT_FALSE(asked.empty());
          EXPECT_EQ(asked.front(), limit + 1u) << "a page and one more first";
        }
}

} // namespace
} // namespace baton::engine
