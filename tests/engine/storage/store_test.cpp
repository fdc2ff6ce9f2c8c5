#include "engine/storage/store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include <boost/json/serialize.hpp>

#include "engine/cluster/shards.hpp"
#include "engine/storage/event_codec.hpp"
#include "tests/engine/storage/backends.hpp"

/// The same cases against every backend: what one store promises, all do.
namespace baton::engine::storage {
namespace {

participant ann{"u1", role::customer, "Ann"};

event created(time_ms ts) {
  return {1, ts, conversation_created{channel::web, "general", "", ann, "", 0}};
}
event message(std::uint64_t seq, time_ms ts, std::string text) {
  return {seq, ts, message_posted{ann, std::move(text), visibility::all, ""}};
}
event closed(std::uint64_t seq, time_ms ts) {
  return {seq, ts, conversation_closed{"u1", "done"}};
}

event reopened(std::uint64_t seq, time_ms ts) {
  return {seq, ts, conversation_reopened{ann}};
}

std::string text_of(const std::vector<event>& log) {
  boost::json::array out;
  for (const auto& e : log)
    out.push_back(encode_event(e));
  return boost::json::serialize(out);
}

class StoreTest : public testing::backend_test {
protected:
  std::vector<std::string> open_ids() {
    std::vector<std::string> ids;
    store_->load_open([&](conversation_log&& c) { ids.push_back(c.id); });
    return ids;
  }
};

TEST_P(StoreTest, AppendedEventsComeBackInSeqOrder) {
  append({{"c1", created(100)}, {"c1", message(2, 101, "hello")}});
  append({{"c1", message(3, 102, "again")}});
  auto log = store_->load("c1");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(text_of(log), text_of({created(100), message(2, 101, "hello"),
                                   message(3, 102, "again")}));
  EXPECT_TRUE(store_->load("unknown").empty());
}

TEST_P(StoreTest, RowsAreReadFromACursorEitherWay) {
  std::vector<log_entry> batch{{"c1", created(100)}};
  for (std::uint64_t seq = 2; seq <= 6; ++seq)
    batch.push_back({"c1", message(seq, 100 + seq, "m" + std::to_string(seq))});
  batch.push_back({"c2", created(200)});
  append(batch);
  auto reader = store_->open_reader();
  auto texts = [&](const row_range& r) {
    return text_of(reader->load_rows("c1", r));
  };
  EXPECT_EQ(texts({0, {}, 1}), text_of({created(100)}));
  EXPECT_EQ(texts({3, {}, 2}),
            text_of({message(4, 104, "m4"), message(5, 105, "m5")}));
  EXPECT_EQ(texts({5, {}, 10}), text_of({message(6, 106, "m6")}))
    << "fewer than asked: the end of the log";
  EXPECT_EQ(texts({{}, 5, 2}),
            text_of({message(3, 103, "m3"), message(4, 104, "m4")}))
    << "the last two before seq 5, in seq order";
  EXPECT_EQ(texts({{}, 2, 10}), text_of({created(100)}));
  EXPECT_TRUE(reader->load_rows("c1", {6, {}, 10}).empty());
  EXPECT_TRUE(reader->load_rows("c1", {UINT64_MAX, {}, 10}).empty());
  EXPECT_EQ(reader->load_rows("c1", {{}, UINT64_MAX, 10}).size(), 6u);
  EXPECT_TRUE(reader->load_rows("unknown", {0, {}, 10}).empty());
}

TEST_P(StoreTest, OpenConversationsLoadOldestFirstWithTheirWholeLog) {
  append({{"c2", created(100)}, {"c1", created(101)}});
  append({{"c3", created(102)}, {"c1", message(2, 103, "hi")}});
  append({{"c3", closed(2, 104)}});
  std::vector<conversation_log> open;
  store_->load_open([&](conversation_log&& c) { open.push_back(c); });
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].id, "c2");
  EXPECT_EQ(open[0].events.size(), 1u);
  EXPECT_EQ(open[1].id, "c1");
  EXPECT_EQ(text_of(open[1].events),
            text_of({created(101), message(2, 103, "hi")}));
  EXPECT_EQ(store_->load("c3").size(), 2u) << "closed ones stay readable";
}

TEST_P(StoreTest, TheOpenConversationsOfSomeShardsLoadThroughAReader) {
  constexpr std::uint32_t shards = 4;
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i)
    ids.push_back("c" + std::to_string(i));
  for (std::size_t i = 0; i < ids.size(); ++i)
    append({{ids[i], created(100 + static_cast<time_ms>(i))}});
  append({{ids[0], closed(2, 200)}});
  std::vector<std::uint32_t> wanted{cluster::shard_of(ids[0], shards),
                                    cluster::shard_of(ids[1], shards)};
  std::vector<std::string> expected;
  for (std::size_t i = 1; i < ids.size(); ++i)
    if (std::ranges::count(wanted, cluster::shard_of(ids[i], shards)) > 0)
      expected.push_back(ids[i]);
  ASSERT_LT(expected.size(), ids.size() - 1) << "some shards are left out";

  std::vector<std::string> loaded;
  auto reader = store_->open_reader();
  reader->load_open_in(wanted, shards, [&](conversation_log&& c) {
    EXPECT_EQ(c.events.size(), 1u);
    loaded.push_back(c.id);
  });
  EXPECT_EQ(loaded, expected) << "open ones of those shards, oldest first";
}

TEST_P(StoreTest, ABatchIsAllOrNothing) {
  append({{"c1", created(100)}});
  EXPECT_THROW(append({{"c2", created(101)}, {"c1", created(102)}}),
               store_error);
  EXPECT_TRUE(store_->load("c2").empty());
  EXPECT_EQ(store_->load("c1").size(), 1u);
  // The store is still usable after the failed batch.
  append({{"c2", created(103)}});
  EXPECT_EQ(open_ids(), (std::vector<std::string>{"c1", "c2"}));
}

// Only a reopen opens a closed conversation again: an event of another
// kind after its close leaves it closed, and of a close and a reopen in
// one batch the later one holds.
TEST_P(StoreTest, AReopenAndOnlyAReopenOpensAClosedConversationAgain) {
  append({{"c1", created(100)}, {"c1", closed(2, 101)}});
  EXPECT_TRUE(open_ids().empty());
  append({{"c1", message(3, 102, "late")}});
  EXPECT_TRUE(open_ids().empty()) << "no reopen";
  append({{"c1", reopened(4, 103)}, {"c1", message(5, 104, "back")}});
  EXPECT_EQ(open_ids(), std::vector<std::string>{"c1"});
  append({{"c1", closed(6, 105)},
          {"c2", created(106)},
          {"c1", reopened(7, 107)},
          {"c2", closed(2, 108)}});
  EXPECT_EQ(open_ids(), std::vector<std::string>{"c1"});
  append({{"c1", closed(8, 109)},
          {"c1", reopened(9, 109)},
          {"c1", closed(10, 110)}});
  EXPECT_TRUE(open_ids().empty());
  EXPECT_EQ(store_->prune_closed(110, 10), 1u)
    << "closed as of the last close: c2 at 108, c1 at 110";
}

TEST_P(StoreTest, PruningTakesOnlyConversationsClosedBeforeTheCutInBatches) {
  append({{"old1", created(10)}, {"old1", closed(2, 20)}});
  append({{"old2", created(11)}, {"old2", closed(2, 21)}});
  append({{"old3", created(12)}, {"old3", closed(2, 22)}});
  append({{"recent", created(13)}, {"recent", closed(2, 500)}});
  append({{"open", created(14)}});
  EXPECT_EQ(store_->prune_closed(100, 2), 2u);
  EXPECT_EQ(store_->prune_closed(100, 2), 1u);
  EXPECT_EQ(store_->prune_closed(100, 2), 0u);
  EXPECT_TRUE(store_->load("old1").empty());
  EXPECT_TRUE(store_->load("old3").empty());
  EXPECT_EQ(store_->load("recent").size(), 2u);
  EXPECT_EQ(open_ids(), std::vector<std::string>{"open"});
}

TEST_P(StoreTest, WhatWasCommittedIsThereAfterReopening) {
  if (!backend_->persistent())
    GTEST_SKIP() << GetParam() << " keeps nothing across a reopen";
  append({{"c1", created(100)}, {"c1", message(2, 101, "kept")}});
  store_.reset();
  store_ = backend_->open();
  EXPECT_EQ(text_of(store_->load("c1")),
            text_of({created(100), message(2, 101, "kept")}));
  EXPECT_EQ(open_ids(), std::vector<std::string>{"c1"});
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, testing::every_backend(),
                         testing::backend_name);

} // namespace
} // namespace baton::engine::storage
