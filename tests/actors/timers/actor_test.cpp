// The timers actor on CAF's deterministic test coordinator: timers run out
// at their time and never before, in order, without keeping their actor.
#include "actors/timers/actor.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "caf/all.hpp"
#include "caf/test/dsl.hpp"

namespace baton::actors {
namespace {

using namespace std::chrono_literals;

/// What a recorder heard, in order: "offer 3", "retire", ...
using heard = std::shared_ptr<std::vector<std::string>>;

/// Records the timers it is sent; an integer n sets itself a retirement
/// timer n ms away through `timers` (null: none).
caf::behavior recorder(caf::event_based_actor* self, heard log,
                       timers_actor timers) {
  return {
    [=](std::int64_t ms) {
      start_timer(self, timers, std::chrono::milliseconds{ms}, retire_timer{});
    },
    [=](const offer_timer& t) {
      log->push_back("offer " + std::to_string(t.round));
    },
    [=](const retire_timer&) { log->push_back("retire"); },
    [=](const consent_timer& t) { log->push_back("consent " + t.transfer); },
    [=](const idle_check&) { log->push_back("idle"); },
  };
}

caf::behavior parent(caf::event_based_actor*) {
  return {[](int) {}};
}

class TimersTest : public ::testing::Test {
protected:
  TimersTest() {
    auto owner = fx.sys.spawn(parent);
    owner_ = owner;
    timers = spawn_timers(caf::actor_cast<caf::event_based_actor*>(owner),
                          metrics);
    fx.sched.run();
  }
  ~TimersTest() override {
    caf::anon_send_exit(owner_, caf::exit_reason::user_shutdown);
    fx.sched.run();
  }

  caf::actor listener(bool with_timers = true) {
    auto a = fx.sys.spawn(recorder, log, with_timers ? timers : timers_actor{});
    fx.sched.run();
    return a;
  }

  /// Sets a timer of `to` that runs out `in` from now.
  void arm(const caf::actor& to, std::chrono::nanoseconds in,
           timer_message what) {
    auto now = fx.sched.clock().now().time_since_epoch();
    caf::anon_send(timers, arm_timer{to.address(), (now + in).count(),
                                     std::move(what)});
    fx.sched.run();
  }

  void advance(std::chrono::nanoseconds by) {
    fx.sched.clock().advance_time(by);
    fx.sched.run();
  }

  test_coordinator_fixture<> fx;
  std::shared_ptr<routing_metrics> metrics
    = std::make_shared<routing_metrics>(std::vector<std::string>{});
  timers_actor timers;
  heard log = std::make_shared<std::vector<std::string>>();

private:
  caf::actor owner_;
};

TEST_F(TimersTest, ATimerRunsOutAtItsTimeAndNotBefore) {
  auto a = listener();
  arm(a, 100ms, offer_timer{3});
  advance(99ms);
  EXPECT_TRUE(log->empty());
  advance(1ms);
  EXPECT_EQ(*log, (std::vector<std::string>{"offer 3"}));
  advance(1s);
  EXPECT_EQ(log->size(), 1u) << "once";
}

TEST_F(TimersTest, AnActorSetsItsOwnTimerWithStartTimer) {
  auto a = listener();
  caf::anon_send(a, std::int64_t{250});
  fx.sched.run();
  advance(249ms);
  EXPECT_TRUE(log->empty());
  advance(1ms);
  EXPECT_EQ(*log, (std::vector<std::string>{"retire"}));
}

// A runtime without a timers actor: CAF's clock keeps the timer, which
// still runs out.
TEST_F(TimersTest, WithNoTimersActorCafsClockKeepsTheTimer) {
  auto a = listener(false);
  caf::anon_send(a, std::int64_t{250});
  fx.sched.run();
  advance(250ms);
  EXPECT_EQ(*log, (std::vector<std::string>{"retire"}));
}

TEST_F(TimersTest, ATimerThatArrivesAfterItsTimeRunsOutAtOnce) {
  auto a = listener();
  arm(a, -5ms, offer_timer{7});
  EXPECT_EQ(*log, (std::vector<std::string>{"offer 7"}));
}

TEST_F(TimersTest, TheGaugeCountsTheTimersWaitingToRunOut) {
  auto a = listener();
  arm(a, 1s, offer_timer{1});
  arm(a, 2s, retire_timer{});
  EXPECT_EQ(metrics->timers_pending.get(), 2);
  advance(1s);
  EXPECT_EQ(metrics->timers_pending.get(), 1);
  advance(1s);
  EXPECT_EQ(metrics->timers_pending.get(), 0);
}

TEST_F(TimersTest, AnEarlierTimerSetLaterRunsOutFirst) {
  auto a = listener();
  arm(a, 10s, retire_timer{});
  arm(a, 1s, consent_timer{"t-1"});
  advance(1s);
  EXPECT_EQ(*log, (std::vector<std::string>{"consent t-1"}));
  advance(9s);
  EXPECT_EQ(*log, (std::vector<std::string>{"consent t-1", "retire"}));
}

TEST_F(TimersTest, TimersDueTogetherRunOutInTheOrderTheyWereSet) {
  auto a = listener();
  arm(a, 5s, offer_timer{1});
  arm(a, 5s, idle_check{});
  arm(a, 5s, offer_timer{2});
  advance(5s);
  EXPECT_EQ(*log, (std::vector<std::string>{"offer 1", "idle", "offer 2"}));
}

// Within a millisecond of the last wake-up, a timer waits for the next one:
// late by at most that millisecond, never early.
TEST_F(TimersTest, TimersCloserThanAMillisecondShareAWakeUp) {
  auto a = listener();
  arm(a, 10ms, offer_timer{1});
  arm(a, 10ms + 300us, offer_timer{2});
  advance(10ms);
  EXPECT_EQ(*log, (std::vector<std::string>{"offer 1"}));
  advance(300us);
  EXPECT_EQ(log->size(), 1u) << "one wake-up a millisecond at most";
  advance(700us);
  EXPECT_EQ(*log, (std::vector<std::string>{"offer 1", "offer 2"}));
}

TEST_F(TimersTest, ThousandsDueAtOnceAllRunOut) {
  auto a = listener();
  for (std::uint64_t round = 0; round < 10'000; ++round)
    arm(a, 1s, offer_timer{round});
  advance(1s);
  ASSERT_EQ(log->size(), 10'000u);
  EXPECT_EQ(log->front(), "offer 0");
  EXPECT_EQ(log->back(), "offer 9999");
}

// CAF's own delayed_send holds its receiver until the timer runs out: a
// closed conversation's actor stayed in memory for its offers' timeouts.
TEST_F(TimersTest, APendingTimerDoesNotKeepItsActorAndSendsItNothing) {
  auto a = listener();
  caf::actor_addr address = a.address();
  arm(a, 20s, offer_timer{1});
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  a = nullptr;
  fx.sched.run();
  EXPECT_FALSE(caf::actor_cast<caf::strong_actor_ptr>(address))
    << "the actor is still alive while its timer waits";
  advance(20s);
  EXPECT_TRUE(log->empty());
  // The timers actor goes on with the others.
  auto b = listener();
  arm(b, 1s, retire_timer{});
  advance(1s);
  EXPECT_EQ(*log, (std::vector<std::string>{"retire"}));
}

} // namespace
} // namespace baton::actors
