#include "tests/engine/conversation/workflow_fixture.hpp"

/// Conference (docs/workflows.md, "Conference") and `conversation.leave`.
namespace baton::engine::workflow_testing {
namespace {

using state = conversation_state;

/// Carol's conversation in `general`, with Alice.
class ConferenceRulesTest : public WorkflowTest {
protected:
  void SetUp() override {
    start();
    assign(alice);
  }

  /// Alice asked Bob in; he accepted.
  void conference_with_bob() {
    auto r = ask(alice, offer_kind::conference);
    r.to_queue.clear();
    r.to_agent = "bob";
    run(decide_transfer(c, r, cfg));
    offer(bob, "o-k", offer_kind::conference);
    run(decide_claim(c, "o-k", bob, joined(bob)));
  }
};

TEST_F(ConferenceRulesTest, RequestRoutesWithoutConsentWhileAliceStays) {
  auto events
    = run(decide_transfer(c, ask(alice, offer_kind::conference), cfg));
  EXPECT_EQ(names(events), (lines{"conference.requested"}));
  const auto& t = std::get<transfer_requested>(events[0].body);
  EXPECT_EQ(t.transfer, "k-1");
  EXPECT_EQ(t.kind, offer_kind::conference);
  EXPECT_EQ(t.from, alice);
  EXPECT_EQ(t.leaving, ""); // nobody leaves a conference
  EXPECT_EQ(t.to_queue, "billing");
  EXPECT_EQ(t.topic, ""); // no reason needed
  EXPECT_EQ(t.note, "Wants a refund of order 42");
  EXPECT_FALSE(t.needs_consent); // require_consent is on: transfers only
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_EQ(c.queue(), "general");
  EXPECT_TRUE(c.routing_transfer());
}

TEST_F(ConferenceRulesTest, AcceptJoinsWithTheSameRights) {
  run(decide_transfer(c, ask(alice, offer_kind::conference), cfg));
  offer(bob, "o-k", offer_kind::conference);
  EXPECT_EQ(c.state(), state::assigned);
  auto events = run(decide_claim(c, "o-k", bob, joined(bob)));
  // No new assignee: Bob joins beside Alice.
  EXPECT_EQ(names(events),
            (lines{"participant.joined", "conference.completed"}));
  EXPECT_EQ(std::get<participant_joined>(events[0].body).who, bob);
  const auto& done = std::get<transfer_ended>(events[1].body);
  EXPECT_EQ(done.transfer, "k-1");
  EXPECT_EQ(done.kind, offer_kind::conference);
  EXPECT_EQ(done.requester, "alice");
  EXPECT_EQ(done.result, transfer_result::completed);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_EQ(c.agents(), (std::vector<participant>{alice, bob}));
  EXPECT_FALSE(c.pending());

  // Equal rights: Bob speaks, whispers and may transfer (warm: a cold
  // hand-over would queue a conversation Alice is still in) or close.
  EXPECT_TRUE(decide_message(c, bob, "Hi", visibility::all, "").ok());
  EXPECT_TRUE(decide_message(c, bob, "psst", visibility::agents, "").ok());
  auto r = ask(bob);
  r.to_queue = "general";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::invalid_state);
  r.mode = transfer_mode::warm;
  EXPECT_TRUE(decide_transfer(c, r, cfg).ok());
  EXPECT_TRUE(decide_close(c, bob, "resolved", cfg.texts).ok());
}

TEST_F(ConferenceRulesTest, TheAcceptedOfferIsNoLongerOpen) {
  run(decide_transfer(c, ask(alice, offer_kind::conference), cfg));
  offer(bob, "o-k", offer_kind::conference);
  run(decide_claim(c, "o-k", bob, joined(bob)));
  EXPECT_TRUE(c.open_offers().empty());
  EXPECT_EQ(decide_claim(c, "o-k", bob, joined(bob)).error, errc::conflict);
  // A second conference can be offered, and closing revokes only its offer.
  auto r = ask(alice, offer_kind::conference);
  r.transfer = "k-2";
  r.to_queue.clear();
  r.to_agent = "dora";
  run(decide_transfer(c, r, cfg));
  offer(dora, "o-k2", offer_kind::conference);
  auto closed = run(decide_close(c, carol, "bye", cfg.texts));
  EXPECT_EQ(names(closed), (lines{"offer.ended", "conference.cancelled",
                                  "conversation.closed"}));
  expect_offer_ended(closed[0], "o-k2", "dora", offer_end::abandoned);
}

TEST_F(ConferenceRulesTest, NobodyAlreadyInItWinsTheConference) {
  // Alice is a member of the queue she confers with.
  auto r = ask(alice, offer_kind::conference);
  r.to_queue = "general";
  run(decide_transfer(c, r, cfg));
  EXPECT_EQ(
    decide_offer(c, {{"o-s", "alice"}}, offer_kind::conference, now).error,
    errc::invalid_state);
  EXPECT_EQ(decide_pick(c, alice, joined(alice)).error, errc::invalid_state);
  EXPECT_TRUE(c.routing_transfer());
}

TEST_F(ConferenceRulesTest, ToAnAgent) {
  conference_with_bob();
  EXPECT_EQ(c.agents(), (std::vector<participant>{alice, bob}));
  EXPECT_EQ(c.assignee(), "alice");
}

TEST_F(ConferenceRulesTest, NobodyInTimeFailsAndAliceCarriesOn) {
  run(decide_transfer(c, ask(alice, offer_kind::conference), cfg));
  offer(bob, "o-k", offer_kind::conference);
  auto events = run(decide_transfer_failed(c, "timeout", cfg));
  EXPECT_EQ(names(events), (lines{"offer.ended", "conference.failed"}));
  expect_offer_ended(events[0], "o-k", "bob", offer_end::cancelled);
  const auto& failed = std::get<transfer_ended>(events[1].body);
  EXPECT_EQ(failed.kind, offer_kind::conference);
  EXPECT_EQ(failed.result, transfer_result::failed);
  EXPECT_EQ(failed.requester, "alice");
  EXPECT_EQ(failed.text,
            "No agents were available to join the conference conversation");
  EXPECT_EQ(c.agents(), std::vector<participant>{alice});
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_FALSE(c.pending());
  EXPECT_EQ(decide_transfer_failed(c, "timeout", cfg).error, errc::conflict);
}

TEST_F(ConferenceRulesTest, Refusals) {
  auto r = ask(alice, offer_kind::conference);
  r.from = carol;
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::forbidden); // role
  r.from = bob;
  EXPECT_EQ(decide_transfer(c, r, cfg).error,
            errc::forbidden); // not a participant
  r.from = alice;
  r.to_queue = "nowhere";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::not_found);
  r.to_queue.clear();
  r.to_agent = "zed";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::not_found);
  r.to_agent = "alice";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::invalid_state);
  r.to_agent = "bob";
  r.topic = "no-such-topic";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::not_found);
  r.topic.clear();
  run(decide_transfer(c, r, cfg));
  r.transfer = "k-2";
  r.to_agent = "dora";
  EXPECT_EQ(decide_transfer(c, r, cfg).error,
            errc::invalid_state); // one at a time
}

TEST_F(ConferenceRulesTest, WithoutThePermissionIsForbidden) {
  reset();
  start();
  assign(carl);
  EXPECT_EQ(decide_transfer(c, ask(carl, offer_kind::conference), cfg).error,
            errc::forbidden);
}

TEST_F(ConferenceRulesTest, ASupervisorOutsideTheConversationIsForbidden) {
  // Supervisors join through takeover or monitor, not by conferring.
  EXPECT_EQ(decide_transfer(c, ask(sam, offer_kind::conference), cfg).error,
            errc::forbidden);
}

TEST_F(ConferenceRulesTest, GoesOnWhenTheFirstAgentLeaves) {
  conference_with_bob();
  auto events = run(decide_leave(c, alice, cfg));
  EXPECT_EQ(names(events), (lines{"participant.left"}));
  const auto& left = std::get<participant_left>(events[0].body);
  EXPECT_EQ(left.who, alice);
  EXPECT_EQ(left.reason, "left");
  EXPECT_EQ(left.text, "Alice has left");
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "bob");
  EXPECT_EQ(c.agents(), std::vector<participant>{bob});
  EXPECT_EQ(decide_message(c, alice, "still here?", visibility::all, "").error,
            errc::forbidden);
  EXPECT_EQ(decide_leave(c, bob, cfg).error, errc::invalid_state);
}

TEST_F(ConferenceRulesTest, TheSecondAgentLeavesAndAliceStaysAssignee) {
  conference_with_bob();
  run(decide_leave(c, bob, cfg));
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_EQ(c.agents(), std::vector<participant>{alice});
}

TEST_F(ConferenceRulesTest, LeaveRefusals) {
  EXPECT_EQ(decide_leave(c, alice, cfg).error,
            errc::invalid_state); // the only agent
  EXPECT_EQ(decide_leave(c, carol, cfg).error, errc::forbidden);
  EXPECT_EQ(decide_leave(c, bob, cfg).error, errc::forbidden);
  conference_with_bob();
  EXPECT_EQ(decide_leave(c, {"alice", role::customer, "Alice"}, cfg).error,
            errc::forbidden);
  EXPECT_EQ(decide_leave(c, {"alice", role::bot, "Alice"}, cfg).error,
            errc::forbidden)
    << "a bot named like her does not make her leave";
  EXPECT_EQ(decide_leave(c, {"alice", role::supervisor, "Alice"}, cfg).error,
            errc::forbidden);
  run(decide_close(c, carol, "bye", cfg.texts));
  EXPECT_EQ(decide_leave(c, alice, cfg).error, errc::forbidden);
}

TEST_F(ConferenceRulesTest, RaceLeaveDuringAConferenceJoin) {
  auto r = ask(alice, offer_kind::conference);
  r.to_queue.clear();
  r.to_agent = "bob";
  run(decide_transfer(c, r, cfg));
  offer(bob, "o-k", offer_kind::conference);
  // Bob has not joined yet: Alice is still the only agent.
  EXPECT_EQ(decide_leave(c, alice, cfg).error, errc::invalid_state);
  run(decide_claim(c, "o-k", bob, joined(bob)));
  run(decide_leave(c, alice, cfg));
  EXPECT_EQ(c.assignee(), "bob");
}

TEST_F(ConferenceRulesTest, CustomerClosesWhileTheConferenceOfferIsOut) {
  run(decide_transfer(c, ask(alice, offer_kind::conference), cfg));
  offer(bob, "o-k", offer_kind::conference);
  auto events = run(decide_close(c, carol, "bye", cfg.texts));
  EXPECT_EQ(names(events), (lines{"offer.ended", "conference.cancelled",
                                  "conversation.closed"}));
  EXPECT_EQ(std::get<transfer_ended>(events[1].body).result,
            transfer_result::cancelled);
  EXPECT_EQ(decide_claim(c, "o-k", bob, joined(bob)).error, errc::conflict);
}

TEST_F(ConferenceRulesTest, PickedFromAPullQueue) {
  run(decide_transfer(c, ask(alice, offer_kind::conference), cfg));
  auto events = run(decide_pick(c, bob, joined(bob)));
  EXPECT_EQ(names(events),
            (lines{"participant.joined", "conference.completed"}));
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_EQ(c.agents(), (std::vector<participant>{alice, bob}));
}

} // namespace
} // namespace baton::engine::workflow_testing
