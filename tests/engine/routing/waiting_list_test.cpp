#include "engine/routing/waiting_list.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "engine/ids.hpp"

namespace baton::engine {
namespace {

/// Every entry (`for_each`), or the ready ones (`for_each_ready`).
enum class walk { all, ready };

std::vector<std::string> order_of(const waiting_list& w,
                                  walk which = walk::all) {
  std::vector<std::string> out;
  auto take = [&](const waiting_list::entry& e) {
    out.push_back(e.conversation);
    return true;
  };
  if (which == walk::all)
    w.for_each(take);
  else
    w.for_each_ready(take);
  return out;
}

TEST(WaitingListTest, HigherPriorityFirstThenLongestWaiting) {
  waiting_list w;
  w.push({"young-low", 0, 300, ""});
  w.push({"old-low", 0, 100, ""});
  w.push({"young-high", 5, 400, ""});
  w.push({"old-high", 5, 200, ""});
  EXPECT_EQ(order_of(w), (std::vector<std::string>{"old-high", "young-high",
                                                   "old-low", "young-low"}));
  EXPECT_EQ(w.head()->conversation, "old-high");
  EXPECT_EQ(w.tail()->conversation, "young-low");
}

TEST(WaitingListTest, OneSteppedOutKeepsItsPlaceButLeavesTheReadyWalk) {
  waiting_list w;
  w.push({"first", 0, 100, ""});
  w.push({"second", 0, 200, ""});
  w.push({"third", 0, 300, ""});
  w.step_out("first");
  EXPECT_EQ(order_of(w, walk::ready),
            (std::vector<std::string>{"second", "third"}));
  EXPECT_EQ(order_of(w),
            (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_EQ(w.size(), 3u);
  ASSERT_NE(w.find("first"), nullptr);
  EXPECT_EQ(w.oldest_enqueued_at(), 100);
  w.step_back("first");
  EXPECT_EQ(order_of(w, walk::ready),
            (std::vector<std::string>{"first", "second", "third"}));
}

TEST(WaitingListTest, RemovingOneSteppedOutLeavesNothingBehind) {
  waiting_list w;
  w.push({"a", 0, 100, ""});
  w.push({"b", 0, 200, ""});
  w.step_out("a");
  EXPECT_TRUE(w.remove("a"));
  w.step_back("a");
  w.step_out("nobody");
  EXPECT_EQ(order_of(w, walk::ready), (std::vector<std::string>{"b"}));
  EXPECT_EQ(order_of(w), (std::vector<std::string>{"b"}));
}

TEST(WaitingListTest, PushingOneSteppedOutAgainMakesItReady) {
  waiting_list w;
  w.push({"a", 0, 100, ""});
  w.step_out("a");
  w.push({"a", 3, 100, ""});
  EXPECT_EQ(order_of(w, walk::ready), (std::vector<std::string>{"a"}));
}

TEST(WaitingListTest, AnEmptyListHasNeitherHeadNorTail) {
  waiting_list w;
  EXPECT_EQ(w.head(), nullptr);
  EXPECT_EQ(w.tail(), nullptr);
}

TEST(WaitingListTest, EqualAgesKeepArrivalOrder) {
  waiting_list w;
  for (auto id : {"a", "b", "c", "d"})
    w.push({id, 0, 1000, ""});
  EXPECT_EQ(order_of(w), (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(WaitingListTest, IdsOfOneAgeKeepTheOrderTheyWereMadeIn) {
  // Customers who came in the same millisecond, or in two whose
  // conversations were stamped with the later (an age is read after the
  // id is made), entering in any order: here, or at the queue's next
  // owner after a move, from several nodes at once.
  id_generator ids("c-", made_order::counted);
  std::vector<std::string> made;
  for (time_ms ms : {1'700'000'000'000, 1'700'000'000'001})
    for (int i = 0; i < 20; ++i)
      made.push_back(i % 2 == 0 ? ids.next(ms) : ids.next_in_shard(ms, 7, 256));
  auto arriving = made;
  std::shuffle(arriving.begin(), arriving.end(), std::mt19937{11});
  ASSERT_NE(arriving, made);
  waiting_list first, next;
  for (const auto& id : made)
    first.push({id, 0, 1'700'000'000'001, ""});
  for (const auto& id : arriving)
    next.push({id, 0, 1'700'000'000'001, ""});
  EXPECT_EQ(order_of(first), made);
  EXPECT_EQ(order_of(next), made);
}

TEST(WaitingListTest, SeededIdsOfOneAgeKeepTheOrderTheyWereMadeIn) {
  id_generator ids("c-", 7);
  std::vector<std::string> made;
  for (int i = 0; i < 20; ++i)
    made.push_back(ids.next_in_shard(5, 3, 12));
  auto arriving = made;
  std::reverse(arriving.begin(), arriving.end());
  waiting_list w;
  for (const auto& id : arriving)
    w.push({id, 0, 5, ""});
  EXPECT_EQ(order_of(w), made);
}

TEST(WaitingListTest, TwoIdsOfTheSameOrderAreBothKept) {
  // Alike in their time, count and the 3 digits after: two nodes' ids,
  // once in 2^15 ties.
  const std::string a = "c-01HF7YAT00000AAAAAAAAAAAAAAAAA";
  const std::string b = "c-01HF7YAT00000AAABBBBBBBBBBBBBB";
  ASSERT_EQ(id_order(a), id_order(b));
  waiting_list w;
  w.push({a, 0, 1000, ""});
  w.push({b, 0, 1000, ""});
  EXPECT_EQ(w.size(), 2u);
  EXPECT_EQ(order_of(w), (std::vector<std::string>{a, b}));
  ASSERT_TRUE(w.remove(a));
  EXPECT_EQ(order_of(w), (std::vector<std::string>{b}));
}

TEST(WaitingListTest, RequeueKeepsOriginalAgeAheadOfNewcomers) {
  waiting_list w;
  w.push({"first", 0, 100, ""});
  w.push({"second", 0, 200, ""});
  ASSERT_TRUE(w.remove("first"));
  w.push({"third", 0, 300, ""});
  // Back after a rejected offer, with its original enqueue time.
  w.push({"first", 0, 100, ""});
  EXPECT_EQ(order_of(w),
            (std::vector<std::string>{"first", "second", "third"}));
}

TEST(WaitingListTest, PushingAgainRepositionsWithoutDuplicating) {
  waiting_list w;
  w.push({"x", 0, 100, ""});
  w.push({"y", 0, 200, ""});
  w.push({"y", 10, 200, ""}); // boosted
  EXPECT_EQ(w.size(), 2u);
  EXPECT_EQ(order_of(w), (std::vector<std::string>{"y", "x"}));
}

TEST(WaitingListTest, RemoveAndFind) {
  waiting_list w;
  w.push({"x", 0, 100, "billing"});
  ASSERT_NE(w.find("x"), nullptr);
  EXPECT_EQ(w.find("x")->topic, "billing");
  EXPECT_FALSE(w.remove("nope"));
  EXPECT_TRUE(w.remove("x"));
  EXPECT_EQ(w.find("x"), nullptr);
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(w.head(), nullptr);
}

} // namespace
} // namespace baton::engine

namespace baton::engine {
namespace {

TEST(WaitingListTest, OldestAgeIgnoresPriority) {
  waiting_list w;
  EXPECT_EQ(w.oldest_enqueued_at(), std::nullopt);
  w.push({"old", 0, 100, ""});
  w.push({"urgent", 9, 500, ""});
  EXPECT_EQ(w.head()->conversation, "urgent");
  EXPECT_EQ(w.oldest_enqueued_at(), 100);
  w.remove("old");
  EXPECT_EQ(w.oldest_enqueued_at(), 500);
}

} // namespace
} // namespace baton::engine

namespace baton::engine {
namespace {

TEST(WaitingListTest, PushingBackWithTheSameArrivalRestoresThePlace) {
  waiting_list w;
  w.push({"a", 0, 100, "", 0});
  w.push({"b", 0, 100, "", 0});
  auto a = *w.find("a");
  w.remove("a");
  w.push({"c", 0, 100, "", 0});
  w.push(a);
  EXPECT_EQ(order_of(w), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(WaitingListTest, WalksByAgeAcrossPriorities) {
  waiting_list w;
  w.push({"young-urgent", 5, 300, ""});
  w.push({"old", 0, 100, ""});
  w.push({"middle", 0, 200, ""});
  std::vector<std::string> by_age;
  w.for_each_by_age([&](const waiting_list::entry& e) {
    by_age.push_back(e.conversation);
    return true;
  });
  EXPECT_EQ(by_age,
            (std::vector<std::string>{"old", "middle", "young-urgent"}));
}

} // namespace
} // namespace baton::engine
