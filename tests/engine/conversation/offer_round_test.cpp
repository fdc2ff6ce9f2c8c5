// The round of offers a conversation's actor keeps: generations, queued and
// direct rounds, turns taken, the wait running out mid-round, and the
// deciders for timeout, restore and a removed queue.
#include "engine/conversation/offer_round.hpp"

#include "tests/engine/conversation/workflow_fixture.hpp"

namespace baton::engine {
namespace {

using namespace workflow_testing;
using next = round_end::next;

class OfferRoundTest : public WorkflowTest {
protected:
  offer_round round;

  /// A queue's ring_all round to `agents`, offers o-<agent>.
  std::uint64_t ring(const std::vector<participant>& agents) {
    std::vector<offer_target> targets;
    for (const auto& a : agents)
      targets.push_back({"o-" + a.id, a.id});
    run(decide_offer(c, std::move(targets), offer_kind::new_, now + 20'000));
    return round.start(round_origin::queue, false);
  }

  /// Ends one offer as the actor does: logged, then noted in the round.
  void end_offer(const participant& agent, offer_end reason) {
    run(decide_offer_end(c, "o-" + agent.id, reason));
    round.note_end(agent.id, reason);
  }
};

TEST_F(OfferRoundTest, EachRoundHasItsOwnGenerationAndOlderTimersAreStale) {
  start();
  auto first = ring({alice});
  EXPECT_TRUE(round.current(first));
  end_offer(alice, offer_end::rejected);
  round.end();
  EXPECT_FALSE(round.current(first)) << "the round is over: its timer too";
  auto second = ring({bob});
  EXPECT_NE(first, second);
  EXPECT_FALSE(round.current(first));
  EXPECT_TRUE(round.current(second));
}

TEST_F(OfferRoundTest, AFailedQueueRoundGoesBackWithWhoHadTheirTurn) {
  start();
  ring({alice, bob, carl});
  end_offer(alice, offer_end::rejected);
  end_offer(bob, offer_end::agent_offline);
  end_offer(carl, offer_end::timeout);
  EXPECT_TRUE(c.open_offers().empty());
  auto end = round.end();
  EXPECT_EQ(end.what, next::back_to_queue);
  EXPECT_EQ(end.tried, (lines{"alice", "bob", "carl"}));
  EXPECT_TRUE(round.tried().empty()) << "the next round starts with no turns";
}

TEST_F(OfferRoundTest, AFullAgentHadNoTurnAndMayBeAskedAgain) {
  start();
  ring({alice, bob});
  end_offer(alice, offer_end::agent_full);
  end_offer(bob, offer_end::rejected);
  EXPECT_EQ(round.end().tried, lines{"bob"});
}

TEST_F(OfferRoundTest, TheOfferTimerEndsEveryOpenOfferOfARingAllRound) {
  start();
  ring({alice, bob, carl});
  end_offer(bob, offer_end::rejected);
  auto events = run(decide_offer_timeout(c));
  ASSERT_EQ(events.size(), 2u);
  expect_offer_ended(events[0], "o-alice", "alice", offer_end::timeout);
  expect_offer_ended(events[1], "o-carl", "carl", offer_end::timeout);
  EXPECT_TRUE(c.open_offers().empty());
  EXPECT_EQ(c.state(), conversation_state::queued);
}

TEST_F(OfferRoundTest, AnOfferTimerWithNothingOpenDecidesNothing) {
  start();
  EXPECT_EQ(decide_offer_timeout(c).error, errc::invalid_state);
  ring({alice});
  end_offer(alice, offer_end::rejected);
  EXPECT_EQ(decide_offer_timeout(c).error, errc::invalid_state);
}

TEST_F(OfferRoundTest, AWinEndsTheRoundAndTellsTheQueueOnlyIfItMadeIt) {
  start();
  auto queued = ring({alice, bob});
  end_offer(bob, offer_end::rejected);
  run(decide_claim(c, "o-alice", alice, joined(alice)));
  EXPECT_TRUE(round.won()) << "a queue's round: the queue hears of it";
  EXPECT_FALSE(round.current(queued));
  EXPECT_TRUE(round.tried().empty());

  reset();
  start();
  run(decide_offer(c, {{"o-1", "bob"}}, offer_kind::new_, now + 20'000));
  round.start(round_origin::direct, false);
  run(decide_claim(c, "o-1", bob, joined(bob)));
  EXPECT_FALSE(round.won()) << "a direct round: no queue made it";
  EXPECT_FALSE(round.direct());
}

TEST_F(OfferRoundTest, ADirectRoundTakesNoQueueOffersAndFailsWithItsReason) {
  start();
  run(decide_offer(c, {{"o-1", "bob"}}, offer_kind::new_, now + 20'000));
  round.start(round_origin::direct, false);
  EXPECT_TRUE(round.direct());
  EXPECT_FALSE(round.takes_queue_offers(true))
    << "the queue's offer waits for the direct round";
  run(decide_offer_end(c, "o-1", offer_end::rejected));
  round.note_end("bob", offer_end::rejected);
  auto end = round.end();
  EXPECT_EQ(end.what, next::direct_failed);
  EXPECT_EQ(end.reason, "rejected");
  EXPECT_TRUE(end.tried.empty());
  EXPECT_TRUE(round.takes_queue_offers(true));
  EXPECT_FALSE(round.takes_queue_offers(false)) << "waiting in no queue";
}

TEST_F(OfferRoundTest, AnAgentWhoNeverSawADirectOfferWasUnavailable) {
  for (auto reason : {offer_end::agent_full, offer_end::agent_offline,
                      offer_end::agent_not_ready}) {
    offer_round r;
    r.start(round_origin::direct, false);
    r.note_end("bob", reason);
    auto end = r.end();
    EXPECT_EQ(end.reason, "unavailable") << to_string(reason);
    EXPECT_EQ(end.cause, reason) << "the requester is told which";
  }
  offer_round timed_out;
  timed_out.start(round_origin::direct, false);
  timed_out.note_end("bob", offer_end::timeout);
  EXPECT_EQ(timed_out.end().reason, "timeout");
}

TEST_F(OfferRoundTest, TheWaitRunningOutMidRoundLetsTheRoundFinishFirst) {
  start();
  ring({alice, bob});
  EXPECT_FALSE(round.wait_ran_out(!c.open_offers().empty()))
    << "offers are out: they run their course";
  EXPECT_TRUE(round.wait_expired());
  end_offer(alice, offer_end::timeout);
  end_offer(bob, offer_end::timeout);
  auto end = round.end();
  EXPECT_EQ(end.what, next::expire);
  EXPECT_FALSE(round.wait_expired());
}

TEST_F(OfferRoundTest, TheWaitRunningOutWithNothingOutExpiresAtOnce) {
  start();
  EXPECT_TRUE(round.wait_ran_out(!c.open_offers().empty()));
  EXPECT_FALSE(round.wait_expired());
}

TEST_F(OfferRoundTest, AutoModeAssignsAtOnceOnlyInTheRoundThatAskedForIt) {
  round.start(round_origin::queue, true);
  EXPECT_TRUE(round.assign_at_once());
  round.supersede();
  round.start(round_origin::queue, false);
  EXPECT_FALSE(round.assign_at_once());
}

TEST_F(OfferRoundTest,
       ASupersededRoundIgnoresItsTimersAndARestartForgetsTurns) {
  start();
  auto out = ring({alice, bob});
  end_offer(alice, offer_end::rejected);
  round.wait_ran_out(true);
  round.supersede(); // a takeover, say
  EXPECT_FALSE(round.current(out));
  EXPECT_EQ(round.tried(), lines{"alice"}) << "superseding keeps turns";
  round.restart(); // a resume
  EXPECT_TRUE(round.tried().empty());
  EXPECT_FALSE(round.wait_expired());
}

TEST_F(OfferRoundTest, RestoredOffersEndAsCancelledSoTheQueueOffersAgain) {
  start();
  ring({alice, bob});
  // The log as stored before a restart, replayed into a new conversation.
  conversation restored{"c-1"};
  for (const auto& e : log)
    restored.apply(e);
  auto d = decide_restored_offers(restored);
  ASSERT_TRUE(d.ok());
  auto events = commit(restored, std::move(d.events), now);
  ASSERT_EQ(events.size(), 2u);
  expect_offer_ended(events[0], "o-alice", "alice", offer_end::cancelled);
  expect_offer_ended(events[1], "o-bob", "bob", offer_end::cancelled);
  EXPECT_EQ(restored.state(), conversation_state::queued);
  EXPECT_TRUE(decide_restored_offers(restored).events.empty())
    << "nothing open: nothing to end";
}

TEST_F(OfferRoundTest, AWaitingConversationMovesToTheNewQueueWithItsAge) {
  start();
  auto age = c.enqueued_at();
  now += 5'000;
  auto events = run(decide_queue_move(c, "billing", cfg));
  ASSERT_EQ(events.size(), 1u);
  const auto& q = std::get<conversation_queued>(events[0].body);
  EXPECT_EQ(q.queue, "billing");
  EXPECT_EQ(q.enqueued_at, age) << "its age goes with it";
  EXPECT_EQ(q.text, "Billing will be with you shortly.");
  EXPECT_EQ(c.queue(), "billing");
  EXPECT_EQ(c.enqueued_at(), age);
}

TEST_F(OfferRoundTest, OnlyAWaitingConversationMoves) {
  start();
  ring({alice});
  EXPECT_EQ(decide_queue_move(c, "billing", cfg).error, errc::invalid_state)
    << "on offer: it moves when its round fails";
  run(decide_claim(c, "o-alice", alice, joined(alice)));
  EXPECT_EQ(decide_queue_move(c, "billing", cfg).error, errc::invalid_state)
    << "assigned: it stays";
}

} // namespace
} // namespace baton::engine
