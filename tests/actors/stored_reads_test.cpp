// Reads of stored conversations (docs/security.md): they go to the reader,
// on a connection of their own, so they are answered while a commit hangs,
// and a store that cannot be read says so (`unavailable`), never "no such
// conversation". A real actor system: the journal and the reader run on
// threads of their own.

#include <condition_variable>
#include <future>
#include <mutex>

#include <gtest/gtest.h>

#include "caf/all.hpp"

#include "actors/api.hpp"
#include "actors/metrics.hpp"
#include "actors/scheduler.hpp"
#include "engine/config/config.hpp"
#include "tests/actors/gated_service.hpp"

namespace baton::actors {
namespace {

using namespace std::chrono_literals;
using engine::errc;

class quiet_sink final : public event_sink {
public:
  void deliver(const notification_ptr&) override {
  }
};

constexpr auto small_centre = R"(
[auth]
secret = "stored-reads-0123456789abcdef0123"

[routing]
default_queue = "general"
offer_timeout_ms = 100

[storage]
max_pending_events = 100
max_pending_reads = 4
)";

class StoredReadsTest : public testing::GatedServiceTest {
protected:
  StoredReadsTest() : GatedServiceTest(small_centre) {
    service_.connect(carol_, std::make_shared<quiet_sink>());
  }

  std::future<reply> ask(request r) {
    return GatedServiceTest::ask(carol_, std::move(r));
  }
  reply call(request r) {
    return GatedServiceTest::call(carol_, std::move(r));
  }

  /// A conversation of carol's, closed and gone from memory: only the
  /// store has it now.
  std::string retired_conversation() {
    auto started = call(start_conversation{{}, "general", {}, "hello"});
    EXPECT_TRUE(started.ok()) << started.message;
    EXPECT_TRUE(
      call(close_conversation{started.as<opened>().conversation, {}}).ok());
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (service_.metrics().conversation_actors.get() > 0
           && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(5ms); // retiring is on a timer
    EXPECT_EQ(service_.metrics().conversation_actors.get(), 0);
    return started.as<opened>().conversation;
  }

  caller carol_{"carol", engine::role::customer, "Carol"};
};

TEST_F(StoredReadsTest, AStoredHistoryIsReadWhileACommitHangs) {
  auto old = retired_conversation();
  auto open = call(start_conversation{{}, "general", {}, "again"});
  ASSERT_TRUE(open.ok());
  auto inside = store_->hold();
  auto message = ask(send_message{open.as<opened>().conversation, "waits", {}});
  ASSERT_EQ(inside.wait_for(5s), std::future_status::ready);
  auto history = ask(conversation_history{old, {}, {}, 50});
  ASSERT_EQ(history.wait_for(5s), std::future_status::ready)
    << "the read waited for the commit";
  auto page = history.get();
  EXPECT_TRUE(page.ok()) << page.message;
  EXPECT_FALSE(page.as<history_page>().events.empty());
  EXPECT_NE(message.wait_for(0s), std::future_status::ready);
  store_->release();
  EXPECT_TRUE(message.get().ok());
}

TEST_F(StoredReadsTest, AStoreThatCannotBeReadIsUnavailableNotNotFound) {
  auto old = retired_conversation();
  store_->fail_reads(true);
  auto history = call(conversation_history{old, {}, {}, 50});
  EXPECT_EQ(history.code, errc::unavailable) << history.message;
  EXPECT_EQ(call(resume_conversation{old}).code, errc::unavailable);
  EXPECT_TRUE(service_.metrics().store_failing());
  store_->fail_reads(false);
  EXPECT_TRUE(call(conversation_history{old, {}, {}, 50}).ok());
  EXPECT_FALSE(service_.metrics().store_failing());
}

TEST_F(StoredReadsTest, ACustomersStoredReadsLoadNoWholeLog) {
  auto old = retired_conversation();
  caller dora{"dora", engine::role::customer, "Dora"};
  service_.connect(dora, std::make_shared<quiet_sink>());
  auto loads = store_->whole_loads();
  auto page = call(conversation_history{old, {}, {}, 50});
  ASSERT_TRUE(page.ok()) << page.message;
  EXPECT_FALSE(page.as<history_page>().events.empty());
  EXPECT_EQ(call(explain_conversation{old, {}}).code, errc::forbidden);
  EXPECT_EQ(
    GatedServiceTest::call(dora, conversation_history{old, {}, {}, 50}).code,
    errc::not_found);
  EXPECT_EQ(GatedServiceTest::call(dora, explain_conversation{old, {}}).code,
            errc::not_found);
  EXPECT_EQ(store_->whole_loads(), loads)
    << "a page, or the first event to judge the caller, is read";
}

TEST_F(StoredReadsTest, ReadsPastTheReadersBoundAreRefusedNotQueued) {
  auto old = retired_conversation();
  auto inside = store_->hold_reads();
  auto first = ask(conversation_history{old, {}, {}, 50});
  ASSERT_EQ(inside.wait_for(5s), std::future_status::ready);
  auto second = ask(conversation_history{old, {}, {}, 50});
  auto third = call(conversation_history{old, {}, {}, 50});
  EXPECT_EQ(third.code, errc::unavailable)
    << "customers' reads take half of storage.max_pending_reads = 4";
  EXPECT_EQ(third.message,
            "stored conversations are busy: try again in a moment");
  EXPECT_EQ(service_.metrics().store_reads_pending.get(), 2);
  // The other half is for staff and services: attribution still reads.
  caller shop{"shop", engine::role::service, "shop"};
  service_.connect(shop, std::make_shared<quiet_sink>());
  auto credit = GatedServiceTest::ask(shop, attribution_query{"carol", 1});
  auto staff_read = GatedServiceTest::ask(shop, attribution_query{"dora", 1});
  auto past_all = GatedServiceTest::call(shop, attribution_query{"erin", 1});
  EXPECT_EQ(past_all.code, errc::unavailable) << "the whole bound is taken";
  EXPECT_EQ(service_.metrics().store_reads_pending.get(), 4);
  store_->release_reads();
  EXPECT_TRUE(credit.get().ok());
  EXPECT_TRUE(staff_read.get().ok());
  EXPECT_TRUE(first.get().ok());
  EXPECT_TRUE(second.get().ok());
  EXPECT_TRUE(call(conversation_history{old, {}, {}, 50}).ok());
  EXPECT_EQ(service_.metrics().store_reads_pending.get(), 0);
}

TEST_F(StoredReadsTest, AttributionIsUnavailableWhileTheStoreCannotBeRead) {
  caller shop{"shop", engine::role::service, "shop"};
  service_.connect(shop, std::make_shared<quiet_sink>());
  auto ask_as_shop = [&] {
    auto answer = std::make_shared<std::promise<reply>>();
    auto future = answer->get_future();
    service_.submit(shop, attribution_query{"carol", 1'000'000},
                    [answer](const reply& out) { answer->set_value(out); });
    EXPECT_EQ(future.wait_for(5s), std::future_status::ready);
    return future.get();
  };
  store_->fail_reads(true);
  EXPECT_EQ(ask_as_shop().code, errc::unavailable)
    << "never \"nobody\": the store may know someone";
  store_->fail_reads(false);
  auto answer = ask_as_shop();
  ASSERT_TRUE(answer.ok()) << answer.message;
  EXPECT_EQ(answer.as<credited>().agent, "");
}

TEST_F(StoredReadsTest, ChangesWaitAtTheDoorWhileTheStoreIsBehind) {
  auto open = call(start_conversation{{}, "general", {}, "hello"});
  ASSERT_TRUE(open.ok());
  auto inside = store_->hold();
  std::vector<std::future<reply>> waiting;
  waiting.push_back(
    ask(send_message{open.as<opened>().conversation, "first", {}}));
  ASSERT_EQ(inside.wait_for(5s), std::future_status::ready);
  for (int i = 0; i < 150; ++i)
    waiting.push_back(
      ask(send_message{open.as<opened>().conversation, "more", {}}));
  // Those already routed pile up behind the held commit...
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (service_.metrics().journal_pending.get() <= 100
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  ASSERT_GT(service_.metrics().journal_pending.get(), 100);
  // ...and past storage.max_pending_events (100) changes are refused.
  auto late
    = call(send_message{open.as<opened>().conversation, "one too many", {}});
  EXPECT_EQ(late.code, errc::unavailable) << late.message;
  // Reads go on meanwhile.
  EXPECT_TRUE(call(list_conversations{}).ok());
  store_->release();
  std::size_t stored = 0;
  for (auto& f : waiting)
    stored += f.get().ok() ? 1 : 0;
  EXPECT_GT(stored, 100u);
  EXPECT_EQ(service_.metrics().journal_pending.get(), 0);
  EXPECT_TRUE(
    call(send_message{open.as<opened>().conversation, "after", {}}).ok());
}

} // namespace
} // namespace baton::actors
