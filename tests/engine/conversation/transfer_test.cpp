#include "tests/engine/conversation/workflow_fixture.hpp"

/// Transfer (docs/workflows.md, "Cold transfer to a queue, with consent") and
/// `conversation.unassign`: the request, consent, cold and warm hand-over,
/// failure, and every refusal.
namespace baton::engine::workflow_testing {
namespace {

using state = conversation_state;
using stage = pending_transfer::stage;

/// Carol's conversation in `general`, started at t=1000, with Alice.
class TransferRulesTest : public WorkflowTest {
protected:
  void SetUp() override {
    start();
    assign(alice);
    now = 50'000;
  }

  void without_consent() {
    cfg.transfer.require_consent = false;
  }

  /// Alice asked for a warm transfer to `billing`, consent off.
  void warm_transfer() {
    without_consent();
    auto r = ask(alice);
    r.mode = transfer_mode::warm;
    run(decide_transfer(c, r, cfg));
  }
};

TEST_F(TransferRulesTest, RequestAsksTheCustomerFirst) {
  auto events = run(decide_transfer(c, ask(alice), cfg));
  EXPECT_EQ(names(events),
            (lines{"transfer.requested", "transfer.consent_request"}));
  const auto& t = std::get<transfer_requested>(events[0].body);
  EXPECT_EQ(t.transfer, "t-1");
  EXPECT_EQ(t.kind, offer_kind::transfer);
  EXPECT_EQ(t.mode, transfer_mode::cold);
  EXPECT_EQ(t.from, alice);
  EXPECT_EQ(t.leaving, "alice");
  EXPECT_EQ(t.to_queue, "billing");
  EXPECT_EQ(t.to_agent, "");
  EXPECT_EQ(t.topic, "refund");
  EXPECT_EQ(t.note, "Wants a refund of order 42");
  EXPECT_TRUE(t.needs_consent);
  const auto& ask_customer = std::get<consent_requested>(events[1].body);
  EXPECT_EQ(ask_customer.transfer, "t-1");
  EXPECT_EQ(ask_customer.text, "Do you agree that this conversation be "
                               "transferred to another member?");
  // Nothing moves until the customer answers.
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_EQ(c.queue(), "general");
  ASSERT_TRUE(c.pending());
  EXPECT_EQ(c.pending()->at, stage::awaiting_consent);
  EXPECT_EQ(c.pending()->origin_queue, "general");
  EXPECT_FALSE(c.routing_transfer());
}

TEST_F(TransferRulesTest, ConsentYesHandsAColdTransferOverAtOnce) {
  run(decide_transfer(c, ask(alice), cfg));
  auto events
    = run(decide_consent(c, carol, "t-1", true, cfg, "transfer content"));
  EXPECT_EQ(names(events), (lines{"transfer.consent_given", "participant.left",
                                  "conversation.queued"}));
  EXPECT_EQ(std::get<consent_given>(events[0].body).transfer, "t-1");
  const auto& left = std::get<participant_left>(events[1].body);
  EXPECT_EQ(left.who, alice);
  EXPECT_EQ(left.reason, "transferred");
  EXPECT_EQ(left.text, "Alice has left");
  const auto& queued = std::get<conversation_queued>(events[2].body);
  EXPECT_EQ(queued.queue, "billing");
  EXPECT_EQ(queued.priority, 10);
  // The original age, not the time of the transfer.
  EXPECT_EQ(queued.enqueued_at, 1'000);
  EXPECT_EQ(queued.text,
            "Your request is being transferred to Billing, please wait!");
  EXPECT_EQ(queued.content, "transfer content");

  EXPECT_EQ(c.state(), state::queued);
  EXPECT_EQ(c.queue(), "billing");
  EXPECT_EQ(c.assignee(), "");
  EXPECT_TRUE(c.agents().empty());
  EXPECT_EQ(c.priority(), 10);
  EXPECT_EQ(c.enqueued_at(), 1'000);
  EXPECT_EQ(c.content(), "transfer content");
  EXPECT_TRUE(c.routing_transfer());
}

TEST_F(TransferRulesTest, ColdTransferCompletesWhenAnAgentOfTheTargetAccepts) {
  run(decide_transfer(c, ask(alice), cfg));
  run(decide_consent(c, carol, "t-1", true, cfg, "content"));
  auto offered = run(
    decide_offer(c, {{"o-t", "bob"}}, offer_kind::transfer, now + 20'000));
  EXPECT_EQ(c.state(), state::offered);
  EXPECT_EQ(c.current_offer_kind(), offer_kind::transfer);
  auto events = run(decide_claim(c, "o-t", bob, joined(bob)));
  EXPECT_EQ(names(events), (lines{"conversation.assigned", "participant.joined",
                                  "transfer.completed"}));
  EXPECT_EQ(std::get<conversation_assigned>(events[0].body).agent, "bob");
  EXPECT_EQ(std::get<participant_joined>(events[1].body).text,
            "Bob has joined the conversation");
  const auto& done = std::get<transfer_ended>(events[2].body);
  EXPECT_EQ(done.transfer, "t-1");
  EXPECT_EQ(done.kind, offer_kind::transfer);
  EXPECT_EQ(done.requester, "alice");
  EXPECT_EQ(done.result, transfer_result::completed);
  EXPECT_EQ(done.reason, "");

  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "bob");
  EXPECT_EQ(c.agents(), std::vector<participant>{bob});
  EXPECT_EQ(c.queue(), "billing");
  EXPECT_FALSE(c.pending());
  EXPECT_TRUE(c.open_offers().empty());
}

TEST_F(TransferRulesTest, ConsentNoDeclinesAndNothingElseChanges) {
  run(decide_transfer(c, ask(alice), cfg));
  auto before = c.agents();
  auto events = run(decide_consent(c, carol, "t-1", false, cfg, "content"));
  EXPECT_EQ(names(events), (lines{"transfer.declined"}));
  const auto& declined = std::get<transfer_ended>(events[0].body);
  EXPECT_EQ(declined.transfer, "t-1");
  EXPECT_EQ(declined.requester, "alice");
  EXPECT_EQ(declined.result, transfer_result::declined);
  EXPECT_EQ(declined.reason, "customer");
  EXPECT_EQ(declined.text, "The customer did not agree to the transfer");
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_EQ(c.agents(), before);
  EXPECT_EQ(c.queue(), "general");
  EXPECT_EQ(c.priority(), 0);
  EXPECT_EQ(c.content(), "Hello");
  EXPECT_FALSE(c.pending());
}

TEST_F(TransferRulesTest, ConsentTimeoutDeclines) {
  run(decide_transfer(c, ask(alice), cfg));
  auto events = run(decide_consent_timeout(c, "t-1", cfg));
  EXPECT_EQ(names(events), (lines{"transfer.declined"}));
  const auto& declined = std::get<transfer_ended>(events[0].body);
  EXPECT_EQ(declined.result, transfer_result::declined);
  EXPECT_EQ(declined.reason, "timeout");
  EXPECT_EQ(declined.requester, "alice");
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_FALSE(c.pending());
}

TEST_F(TransferRulesTest, ConsentRefusals) {
  EXPECT_EQ(decide_consent(c, carol, "t-1", true, cfg, "").error,
            errc::not_found); // nothing pending
  run(decide_transfer(c, ask(alice), cfg));
  EXPECT_EQ(decide_consent(c, alice, "t-1", true, cfg, "").error,
            errc::forbidden); // wrong role
  EXPECT_EQ(decide_consent(c, dan, "t-1", true, cfg, "").error,
            errc::forbidden); // not this conversation's customer
  EXPECT_EQ(decide_consent(c, carol, "t-x", true, cfg, "").error,
            errc::not_found);
  EXPECT_EQ(decide_consent_timeout(c, "t-x", cfg).error, errc::conflict);
  run(decide_consent(c, carol, "t-1", true, cfg, ""));
  EXPECT_EQ(decide_consent(c, carol, "t-1", true, cfg, "").error,
            errc::invalid_state); // already answered, routing
  EXPECT_EQ(decide_consent_timeout(c, "t-1", cfg).error, errc::conflict);
}

TEST_F(TransferRulesTest, RaceCustomerAnswersJustBeforeTheConsentTimeout) {
  run(decide_transfer(c, ask(alice), cfg));
  run(decide_consent(c, carol, "t-1", true, cfg, "content"));
  EXPECT_EQ(decide_consent_timeout(c, "t-1", cfg).error, errc::conflict);
  EXPECT_TRUE(c.routing_transfer());
}

TEST_F(TransferRulesTest, RaceConsentTimesOutJustBeforeTheCustomerAnswers) {
  run(decide_transfer(c, ask(alice), cfg));
  run(decide_consent_timeout(c, "t-1", cfg));
  EXPECT_EQ(decide_consent(c, carol, "t-1", true, cfg, "").error,
            errc::not_found);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_FALSE(c.pending());
}

TEST_F(TransferRulesTest, WithoutConsentAColdTransferHandsOverInTheRequest) {
  without_consent();
  auto events = run(decide_transfer(c, ask(alice), cfg));
  EXPECT_EQ(names(events), (lines{"transfer.requested", "participant.left",
                                  "conversation.queued"}));
  EXPECT_FALSE(std::get<transfer_requested>(events[0].body).needs_consent);
  EXPECT_EQ(std::get<conversation_queued>(events[2].body).content,
            "Conversation transferred by Alice");
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_TRUE(c.routing_transfer());
}

TEST_F(TransferRulesTest, WarmTransferKeepsTheRequesterWhileItIsOffered) {
  warm_transfer();
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_TRUE(c.routing_transfer());
  EXPECT_EQ(c.pending()->request.mode, transfer_mode::warm);
  // Offered while the assignee stays; one offer round at a time.
  run(decide_offer(c, {{"o-t", "bob"}}, offer_kind::transfer, now + 20'000));
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_EQ(c.open_offers().size(), 1u);
  EXPECT_EQ(decide_offer(c, {{"o-2", "dora"}}, offer_kind::transfer, now).error,
            errc::invalid_state);
  EXPECT_EQ(decide_message(c, alice, "One moment", visibility::all, "").error,
            errc::ok);

  auto events
    = run(decide_claim(c, "o-t", bob, joined(bob), "Alice handed over"));
  EXPECT_EQ(names(events), (lines{"conversation.assigned", "participant.joined",
                                  "participant.left", "transfer.completed"}));
  const auto& left = std::get<participant_left>(events[2].body);
  EXPECT_EQ(left.who, alice);
  EXPECT_EQ(left.reason, "transferred");
  EXPECT_EQ(left.text, "Alice handed over");
  EXPECT_EQ(std::get<transfer_ended>(events[3].body).result,
            transfer_result::completed);
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "bob");
  EXPECT_EQ(c.agents(), std::vector<participant>{bob});
  // A warm transfer moves the conversation only when it is accepted; it
  // never waited in the target's list.
  EXPECT_EQ(c.queue(), "general");
  EXPECT_FALSE(c.pending());
}

TEST_F(TransferRulesTest, WarmTransferOfferedAfterAMissedOfferKeepsRouting) {
  warm_transfer();
  run(decide_offer(c, {{"o-1", "bob"}}, offer_kind::transfer, now));
  run(decide_offer_end(c, "o-1", offer_end::timeout));
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_TRUE(c.routing_transfer());
  run(decide_offer(c, {{"o-2", "dora"}}, offer_kind::transfer, now));
  EXPECT_EQ(c.open_offers(), (std::vector<offer_target>{{"o-2", "dora"}}));
}

TEST_F(TransferRulesTest, RaceTheTargetGoesOfflineDuringAWarmTransfer) {
  warm_transfer();
  run(decide_offer(c, {{"o-1", "bob"}}, offer_kind::transfer, now));
  run(decide_offer_end(c, "o-1", offer_end::agent_offline));
  // Alice keeps the customer; the transfer looks for someone else.
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_TRUE(c.routing_transfer());
  EXPECT_EQ(decide_claim(c, "o-1", bob, joined(bob)).error, errc::conflict);
  run(decide_offer(c, {{"o-2", "dora"}}, offer_kind::transfer, now));
  run(decide_claim(c, "o-2", dora, joined(dora), "Alice handed over"));
  EXPECT_EQ(c.agents(), std::vector<participant>{dora});
}

TEST_F(TransferRulesTest, TheRequesterCannotWinItsOwnWarmTransfer) {
  // Alice is a member of the target queue too. Were she offered her own
  // transfer, she would join and leave at once and leave it with nobody.
  warm_transfer();
  EXPECT_EQ(
    decide_offer(c, {{"o-s", "alice"}}, offer_kind::transfer, now).error,
    errc::invalid_state);
  EXPECT_EQ(decide_pick(c, alice, joined(alice)).error, errc::invalid_state);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_TRUE(c.routing_transfer());
}

TEST_F(TransferRulesTest, WarmTransferNobodyAcceptsFailsAndTheRequesterStays) {
  warm_transfer();
  run(decide_offer(c, {{"o-t", "bob"}}, offer_kind::transfer, now));
  auto events = run(decide_transfer_failed(c, "timeout", cfg));
  EXPECT_EQ(names(events), (lines{"offer.ended", "transfer.failed"}));
  expect_offer_ended(events[0], "o-t", "bob", offer_end::cancelled);
  const auto& failed = std::get<transfer_ended>(events[1].body);
  EXPECT_EQ(failed.requester, "alice");
  EXPECT_EQ(failed.result, transfer_result::failed);
  EXPECT_EQ(failed.reason, "timeout");
  EXPECT_EQ(failed.text, "No agent accepted the transfer in time");
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_EQ(c.agents(), std::vector<participant>{alice});
  EXPECT_TRUE(c.open_offers().empty());
  EXPECT_FALSE(c.pending());
  EXPECT_EQ(decide_claim(c, "o-t", bob, "").error, errc::conflict);
}

TEST_F(TransferRulesTest, WarmTransferPickedFromAPullQueue) {
  warm_transfer();
  EXPECT_EQ(decide_pick(c, alice, "").error, errc::invalid_state);
  auto events = run(decide_pick(c, bob, joined(bob), "Alice handed over"));
  EXPECT_EQ(names(events), (lines{"conversation.assigned", "participant.joined",
                                  "participant.left", "transfer.completed"}));
  EXPECT_EQ(std::get<conversation_assigned>(events[0].body).offer, "");
  EXPECT_EQ(c.assignee(), "bob");
  EXPECT_EQ(c.agents(), std::vector<participant>{bob});
}

TEST_F(TransferRulesTest, NothingIsOfferedOrPickedWhileConsentIsAwaited) {
  auto r = ask(alice);
  r.mode = transfer_mode::warm;
  run(decide_transfer(c, r, cfg));
  EXPECT_EQ(decide_offer(c, {{"o-t", "bob"}}, offer_kind::transfer, now).error,
            errc::invalid_state);
  EXPECT_EQ(decide_pick(c, bob, "").error, errc::conflict);
  EXPECT_EQ(decide_transfer_failed(c, "timeout", cfg).error, errc::conflict);
}

TEST_F(TransferRulesTest, OfferWhileAssignedWithoutATransferIsRefused) {
  EXPECT_EQ(decide_offer(c, {{"o-x", "bob"}}, offer_kind::new_, now).error,
            errc::invalid_state);
  EXPECT_EQ(decide_pick(c, bob, "").error, errc::conflict);
}

TEST_F(TransferRulesTest, ColdTransferToAnAgentWaitsInTheQueueItCameFrom) {
  without_consent();
  auto r = ask(alice);
  r.to_queue.clear();
  r.to_agent = "bob";
  auto events = run(decide_transfer(c, r, cfg));
  EXPECT_EQ(names(events), (lines{"transfer.requested", "participant.left",
                                  "conversation.queued"}));
  const auto& queued = std::get<conversation_queued>(events[2].body);
  EXPECT_EQ(queued.queue, "general");
  EXPECT_EQ(queued.priority, 10);
  EXPECT_EQ(queued.text,
            "Your request is being transferred to Bob, please wait!");
  EXPECT_EQ(c.pending()->request.to_agent, "bob");

  // Bob says no: the transfer fails and the conversation stays in the
  // queue it came from, for anyone there.
  run(decide_offer(c, {{"o-t", "bob"}}, offer_kind::transfer, now));
  run(decide_offer_end(c, "o-t", offer_end::rejected));
  auto failed = run(decide_transfer_failed(c, "rejected", cfg));
  EXPECT_EQ(names(failed), (lines{"transfer.failed"}));
  EXPECT_EQ(std::get<transfer_ended>(failed[0].body).reason, "rejected");
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_EQ(c.queue(), "general");
  EXPECT_EQ(c.priority(), 10);
  EXPECT_FALSE(c.pending());
  run(decide_offer(c, {{"o-n", "dora"}}, offer_kind::new_, now));
  auto claimed = run(decide_claim(c, "o-n", dora, joined(dora)));
  EXPECT_EQ(names(claimed),
            (lines{"conversation.assigned", "participant.joined"}));
}

TEST_F(TransferRulesTest, OnlyTheTargetAgentTakesATransferToAnAgent) {
  // "to_agent: only that agent is offered". The conversation waits in its
  // old queue meanwhile, where others must not be offered it nor pick it.
  without_consent();
  auto r = ask(alice);
  r.to_queue.clear();
  r.to_agent = "bob";
  run(decide_transfer(c, r, cfg));
  EXPECT_EQ(decide_offer(c, {{"o-x", "dora"}}, offer_kind::new_, now).error,
            errc::forbidden);
  EXPECT_EQ(decide_offer(c, {{"o-b", "bob"}, {"o-x", "dora"}},
                         offer_kind::transfer, now)
              .error,
            errc::forbidden);
  EXPECT_EQ(decide_pick(c, dora, joined(dora)).error, errc::forbidden);
  EXPECT_TRUE(
    decide_offer(c, {{"o-b", "bob"}}, offer_kind::transfer, now).ok());
  EXPECT_TRUE(decide_pick(c, bob, joined(bob)).ok());
}

TEST_F(TransferRulesTest, TextsFollowTheConfiguration) {
  auto loaded = config::testing::load(std::string{centre_toml} + R"(
[texts]
consent_request = "May we pass you to a colleague?"
transfer_queued = "Moving you to {queue}."
participant_left = "{name} stepped out"
transfer_declined = "Customer said no"
)");
  ASSERT_TRUE(loaded.ok()) << ::testing::PrintToString(
    config::testing::messages(loaded.errors));
  cfg = *loaded.value;
  auto asked = run(decide_transfer(c, ask(alice), cfg));
  EXPECT_EQ(std::get<consent_requested>(asked[1].body).text,
            "May we pass you to a colleague?");
  auto handed = run(decide_consent(c, carol, "t-1", true, cfg, ""));
  EXPECT_EQ(std::get<participant_left>(handed[1].body).text,
            "Alice stepped out");
  EXPECT_EQ(std::get<conversation_queued>(handed[2].body).text,
            "Moving you to Billing.");

  reset();
  start();
  assign(alice);
  run(decide_transfer(c, ask(alice), cfg));
  auto declined = run(decide_consent(c, carol, "t-1", false, cfg, ""));
  EXPECT_EQ(std::get<transfer_ended>(declined[0].body).text,
            "Customer said no");
}

TEST_F(TransferRulesTest, ThePriorityBoostAddsUpAndTheAgeStays) {
  without_consent();
  run(decide_transfer(c, ask(alice), cfg));
  run(decide_offer(c, {{"o-1", "bob"}}, offer_kind::transfer, now));
  run(decide_claim(c, "o-1", bob, joined(bob)));
  now = 90'000;
  auto r = ask(bob);
  r.transfer = "t-2";
  r.to_queue = "general";
  auto events = run(decide_transfer(c, r, cfg));
  const auto& queued = std::get<conversation_queued>(events.back().body);
  EXPECT_EQ(queued.priority, 20);
  EXPECT_EQ(queued.enqueued_at, 1'000);
  EXPECT_EQ(c.enqueued_at(), 1'000);
}

TEST_F(TransferRulesTest, UnknownTargetsAreNotFound) {
  auto r = ask(alice);
  r.to_queue = "nowhere";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::not_found);
  r = ask(alice);
  r.to_queue.clear();
  r.to_agent = "zed";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::not_found);
  r = ask(alice);
  r.topic = "no-such-topic";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::not_found);
  EXPECT_EQ(c.last_seq(), log.size());
}

TEST_F(TransferRulesTest, ARestrictedReasonNeedsATargetAgentAllowedIt) {
  auto r = ask(alice);
  r.to_queue.clear();
  r.topic = "vip";
  r.to_agent = "carl"; // not allowed vip
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::forbidden);
  r.to_agent = "bob"; // allowed vip
  EXPECT_TRUE(decide_transfer(c, r, cfg).ok());
  // To a queue it waits for someone allowed.
  r.to_agent.clear();
  r.to_queue = "billing";
  EXPECT_TRUE(decide_transfer(c, r, cfg).ok());
}

TEST_F(TransferRulesTest, TargetAndReasonMustBeGiven) {
  auto r = ask(alice);
  r.to_agent = "bob"; // and to_queue
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::bad_request);
  r.to_agent.clear();
  r.to_queue.clear();
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::bad_request);
  r = ask(alice);
  r.topic.clear();
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::bad_request);
  cfg.transfer.require_reason = false;
  EXPECT_TRUE(decide_transfer(c, r, cfg).ok());
}

TEST_F(TransferRulesTest, ARestrictedTopicIsAValidReason) {
  // The restriction narrows who may take it, checked when it is routed.
  auto r = ask(alice);
  r.topic = "vip";
  auto events = run(decide_transfer(c, r, cfg));
  EXPECT_EQ(std::get<transfer_requested>(events[0].body).topic, "vip");
  run(decide_consent(c, carol, "t-1", true, cfg, ""));
  EXPECT_EQ(c.routing_topic(), "vip");
}

TEST_F(TransferRulesTest, TheReasonIsTheTopicItRoutesByAndKeeps) {
  // "offered with kind transfer, the reason as its topic".
  EXPECT_EQ(c.topic(), "");
  run(decide_transfer(c, ask(alice), cfg));
  EXPECT_EQ(c.routing_topic(), ""); // not routing while consent is asked
  run(decide_consent(c, carol, "t-1", true, cfg, ""));
  EXPECT_EQ(c.routing_topic(), "refund");
  EXPECT_EQ(c.topic(), "");
  offer(bob, "o-t", offer_kind::transfer);
  run(decide_claim(c, "o-t", bob, joined(bob)));
  EXPECT_EQ(c.topic(), "refund");
  EXPECT_EQ(c.routing_topic(), "refund");
}

TEST_F(TransferRulesTest, ATransferThatDidNotHappenKeepsTheTopic) {
  reset();
  start("vip");
  assign(bob);
  auto r = ask(bob);
  r.mode = transfer_mode::warm;
  run(decide_transfer(c, r, cfg));
  run(decide_consent(c, carol, "t-1", true, cfg, ""));
  EXPECT_EQ(c.routing_topic(), "refund");
  run(decide_transfer_failed(c, "timeout", cfg));
  EXPECT_EQ(c.topic(), "vip");
  EXPECT_EQ(c.routing_topic(), "vip");
}

TEST_F(TransferRulesTest, TargetAlreadyInTheConversationIsInvalidState) {
  auto r = ask(alice);
  r.to_queue.clear();
  r.to_agent = "alice";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::invalid_state);
}

TEST_F(TransferRulesTest, WrongRoleIsForbidden) {
  EXPECT_EQ(decide_transfer(c, ask(carol), cfg).error, errc::forbidden);
  EXPECT_EQ(decide_transfer(c, ask(helper), cfg).error, errc::forbidden);
  EXPECT_EQ(decide_transfer(c, ask(system_actor), cfg).error, errc::forbidden);
  // An agent's id said with another role carries no permission.
  EXPECT_EQ(
    decide_transfer(c, ask({"alice", role::customer, "Alice"}), cfg).error,
    errc::forbidden);
}

TEST_F(TransferRulesTest, WithoutThePermissionIsForbidden) {
  reset();
  start();
  assign(carl);
  EXPECT_EQ(decide_transfer(c, ask(carl), cfg).error, errc::forbidden);
}

TEST_F(TransferRulesTest, NotAParticipantIsForbidden) {
  // Bob holds the permission but is not in Alice's conversation.
  EXPECT_EQ(decide_transfer(c, ask(bob), cfg).error, errc::forbidden);
}

TEST_F(TransferRulesTest, ASecondRequestWhileOneIsPendingIsInvalidState) {
  run(decide_transfer(c, ask(alice), cfg));
  auto r = ask(alice);
  r.transfer = "t-2";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::invalid_state);
  run(decide_consent(c, carol, "t-1", false, cfg, ""));
  EXPECT_TRUE(decide_transfer(c, r, cfg).ok());
}

TEST_F(TransferRulesTest, TransferOfAClosedConversationIsInvalidState) {
  // The spec's own example: the state is checked before participation, as
  // a closed conversation has no agents left.
  run(decide_close(c, alice, "resolved", cfg.texts));
  EXPECT_EQ(decide_transfer(c, ask(alice), cfg).error, errc::invalid_state);
  EXPECT_EQ(decide_transfer(c, ask(alice, offer_kind::conference), cfg).error,
            errc::invalid_state);
}

TEST_F(TransferRulesTest, RaceTwoAgentsAcceptOneTransferOffer) {
  without_consent();
  run(decide_transfer(c, ask(alice), cfg));
  run(decide_offer(c, {{"o-b", "bob"}, {"o-d", "dora"}}, offer_kind::transfer,
                   now));
  auto events = run(decide_claim(c, "o-b", bob, joined(bob)));
  EXPECT_EQ(names(events), (lines{"offer.ended", "conversation.assigned",
                                  "participant.joined", "transfer.completed"}));
  expect_offer_ended(events[0], "o-d", "dora", offer_end::taken);
  EXPECT_EQ(decide_claim(c, "o-d", dora, joined(dora)).error, errc::conflict);
  EXPECT_EQ(c.assignee(), "bob");
  EXPECT_EQ(c.agents(), std::vector<participant>{bob});
}

TEST_F(TransferRulesTest, RaceCustomerClosesWhileATransferOfferIsOut) {
  warm_transfer();
  run(decide_offer(c, {{"o-t", "bob"}}, offer_kind::transfer, now));
  auto events = run(decide_close(c, carol, "customer_left", cfg.texts));
  EXPECT_EQ(names(events), (lines{"offer.ended", "transfer.cancelled",
                                  "conversation.closed"}));
  EXPECT_EQ(std::get<offer_ended>(events[0].body).reason, offer_end::abandoned);
  const auto& cancelled = std::get<transfer_ended>(events[1].body);
  EXPECT_EQ(cancelled.result, transfer_result::cancelled);
  EXPECT_EQ(cancelled.reason, "closed");
  EXPECT_EQ(cancelled.requester, "alice");
  EXPECT_EQ(decide_claim(c, "o-t", bob, joined(bob)).error, errc::conflict);
  EXPECT_EQ(c.state(), state::closed);
  EXPECT_FALSE(c.pending());
}

TEST_F(TransferRulesTest, NoAgentsInTheTargetQueueFailsAColdTransfer) {
  without_consent();
  run(decide_transfer(c, ask(alice), cfg));
  run(decide_offer(c, {{"o-t", "bob"}}, offer_kind::transfer, now));
  auto events = run(decide_no_agents(c, cfg.texts));
  EXPECT_EQ(names(events),
            (lines{"offer.ended", "transfer.failed", "conversation.no_agents",
                   "conversation.closed"}));
  EXPECT_EQ(std::get<offer_ended>(events[0].body).reason, offer_end::cancelled);
  const auto& failed = std::get<transfer_ended>(events[1].body);
  EXPECT_EQ(failed.result, transfer_result::failed);
  EXPECT_EQ(failed.reason, "no_agents");
  EXPECT_EQ(failed.text, "No agent accepted the transfer in time");
  EXPECT_EQ(std::get<no_agents>(events[2].body).text,
            "No agents were available");
  const auto& closed = std::get<conversation_closed>(events[3].body);
  EXPECT_EQ(closed.by, "system");
  EXPECT_EQ(closed.reason, "no_agents");
  EXPECT_EQ(c.state(), state::closed);
  EXPECT_FALSE(c.pending());
}

TEST_F(TransferRulesTest, AWarmTransferIsNotANoAgentsCase) {
  // The requester still holds it: the transfer fails, nothing closes.
  warm_transfer();
  EXPECT_EQ(decide_no_agents(c, cfg.texts).error, errc::invalid_state);
}

// -- conversation.unassign --------------------------------------------------

TEST_F(TransferRulesTest, UnassignRemovesTheAssigneeWithoutConsent) {
  auto r = ask(sam);
  r.unassign = true;
  r.mode = transfer_mode::warm; // an unassign is always cold
  auto events = run(decide_transfer(c, r, cfg));
  EXPECT_EQ(names(events), (lines{"transfer.requested", "participant.left",
                                  "conversation.queued"}));
  const auto& t = std::get<transfer_requested>(events[0].body);
  EXPECT_EQ(t.from, sam);
  EXPECT_EQ(t.leaving, "alice");
  EXPECT_EQ(t.mode, transfer_mode::cold);
  EXPECT_FALSE(t.needs_consent);
  const auto& left = std::get<participant_left>(events[1].body);
  EXPECT_EQ(left.who, alice);
  EXPECT_EQ(left.reason, "transferred");
  EXPECT_EQ(std::get<conversation_queued>(events[2].body).queue, "billing");
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_TRUE(c.agents().empty());

  run(decide_offer(c, {{"o-t", "bob"}}, offer_kind::transfer, now));
  auto claimed = run(decide_claim(c, "o-t", bob, joined(bob)));
  const auto& done = std::get<transfer_ended>(claimed.back().body);
  EXPECT_EQ(done.result, transfer_result::completed);
  EXPECT_EQ(done.requester, "sam");
}

TEST_F(TransferRulesTest, AnAgentWhoMaySuperviseMayUnassign) {
  auto r = ask(dora);
  r.unassign = true;
  EXPECT_TRUE(decide_transfer(c, r, cfg).ok());
}

TEST_F(TransferRulesTest, UnassignRefusals) {
  auto r = ask(alice);
  r.unassign = true;
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::forbidden);
  r.from = carol;
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::forbidden);
  r.from = carl;
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::forbidden);

  r.from = sam;
  r.to_queue = "nowhere";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::not_found);
  r.to_queue.clear();
  r.to_agent = "zed";
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::not_found);
  r.to_agent = "alice"; // the one being removed
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::invalid_state);
  r.to_agent.clear();
  r.to_queue = "billing";
  // The reason is always required to unassign.
  cfg.transfer.require_reason = false;
  r.topic.clear();
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::bad_request);

  r.topic = "refund";
  run(decide_transfer(c, ask(alice), cfg)); // Alice's own, awaiting consent
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::invalid_state);
  run(decide_consent(c, carol, "t-1", false, cfg, ""));
  run(decide_close(c, alice, "resolved", cfg.texts));
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::invalid_state);
}

TEST_F(TransferRulesTest, UnassignOfAWaitingConversationIsInvalidState) {
  reset();
  start();
  auto r = ask(sam);
  r.unassign = true;
  EXPECT_EQ(decide_transfer(c, r, cfg).error, errc::invalid_state);
}

} // namespace
} // namespace baton::engine::workflow_testing
