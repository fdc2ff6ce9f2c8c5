// An agent hears it left a conversation only after the log has its claim:
// a conversation closed while the claim's commit is on its way frees the
// agent's slot once, for good. A real actor system with a store whose
// commits can be held (gated_store.hpp).
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

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

/// Keeps the offers a session is shown; other threads wait for them.
class offer_sink final : public event_sink {
public:
  void deliver(const notification_ptr& n) override {
    const auto* offer = std::get_if<offer_notice>(&n->body);
    if (offer == nullptr)
      return;
    std::lock_guard lock{mutex_};
    offers_.push_back(*offer);
    shown_.notify_all();
  }

  /// The `nth` offer (from 1) once shown, or nothing after `within`.
  std::optional<offer_notice> wait_for(std::size_t nth,
                                       std::chrono::milliseconds within) {
    std::unique_lock lock{mutex_};
    if (!shown_.wait_for(lock, within, [&] { return offers_.size() >= nth; }))
      return std::nullopt;
    return offers_[nth - 1];
  }

private:
  std::mutex mutex_;
  std::condition_variable shown_;
  std::vector<offer_notice> offers_;
};

constexpr auto one_agent = R"(
[auth]
secret = "release-order-0123456789abcdef0123"

[routing]
default_queue = "general"

[[queues]]
id = "general"

[[agents]]
id = "alice"
queues = ["general"]
capacity = 1
)";

class ReleaseTest : public testing::GatedServiceTest {
protected:
  ReleaseTest() : GatedServiceTest(one_agent) {
  }

  std::int64_t pending() const {
    return service_.metrics().journal_pending.get();
  }
  /// Polls the journal's gauge until `done` (its events are counted on the
  /// workers' threads), for at most 5 s.
  template <class Done>
  static void wait_for_the_journal(Done done) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(1ms);
  }

  caller alice_{"alice", engine::role::agent, "alice"};
  caller carol_{"carol", engine::role::customer, "Carol"};
  caller dave_{"dave", engine::role::customer, "Dave"};
};

TEST_F(ReleaseTest, AClaimStoredAfterItsConversationClosedLeavesNoSlotTaken) {
  auto sink = std::make_shared<offer_sink>();
  service_.connect(alice_, sink);
  ASSERT_TRUE(
    call(alice_, set_agent_status{engine::agent_status::ready, {}}).ok());
  auto started = call(carol_, start_conversation{{}, {}, {}, "hello"});
  ASSERT_TRUE(started.ok()) << started.message;
  auto id = started.as<opened>().conversation;
  auto offer = sink->wait_for(1, 5s);
  ASSERT_TRUE(offer);
  // The offer is shown before its own commit lands: that one goes first,
  // so that the commit held below is the accept's.
  wait_for_the_journal([&] { return pending() == 0; });
  ASSERT_EQ(pending(), 0);

  // The accept's commit is held: its claim_result waits for it.
  auto inside = store_->hold();
  auto accepted = ask(alice_, accept_offer{offer->offer});
  ASSERT_EQ(inside.wait_for(5s), std::future_status::ready);
  // The customer closes meanwhile: the close's events follow the accept's
  // to the journal, in the same handling as the agent's release.
  auto before = pending();
  auto closed = ask(carol_, close_conversation{id, {}});
  wait_for_the_journal([&] { return pending() > before; });
  ASSERT_GT(pending(), before) << "the close was handled";
  store_->release();
  ASSERT_TRUE(accepted.get().ok());
  ASSERT_TRUE(closed.get().ok());

  // Alice's one slot is free: the next conversation is offered to her.
  ASSERT_TRUE(call(dave_, start_conversation{{}, {}, {}, "next"}).ok());
  EXPECT_TRUE(sink->wait_for(2, 5s)) << "the closed conversation kept her slot";
}

} // namespace
} // namespace baton::actors
