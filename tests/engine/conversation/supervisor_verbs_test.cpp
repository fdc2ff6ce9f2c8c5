#include "tests/engine/conversation/workflow_fixture.hpp"

/// Permissions, takeover ("takeover and send") and `conversation.assign`.
namespace baton::engine::workflow_testing {
namespace {

using state = conversation_state;
using config::permission;

class SupervisorVerbsTest : public WorkflowTest {};

TEST_F(SupervisorVerbsTest, PermissionsComeFromTheConfiguredMember) {
  EXPECT_TRUE(has_permission(cfg, alice, permission::transfer));
  EXPECT_TRUE(has_permission(cfg, alice, permission::conference));
  EXPECT_FALSE(has_permission(cfg, alice, permission::takeover));
  EXPECT_TRUE(has_permission(cfg, bob, permission::takeover));
  EXPECT_FALSE(has_permission(cfg, carl, permission::transfer));
  EXPECT_TRUE(has_permission(cfg, sam, permission::takeover));
  EXPECT_FALSE(has_permission(cfg, sam, permission::supervise));
  // Only staff hold permissions, and only when configured.
  EXPECT_FALSE(
    has_permission(cfg, {"bob", role::customer, "Bob"}, permission::takeover));
  EXPECT_FALSE(
    has_permission(cfg, {"bob", role::bot, "Bob"}, permission::takeover));
  EXPECT_FALSE(
    has_permission(cfg, {"zed", role::agent, "Zed"}, permission::transfer));
}

TEST_F(SupervisorVerbsTest, SupervisorsAndAgentsWithSupervise) {
  EXPECT_TRUE(may_supervise(cfg, sam));
  EXPECT_TRUE(may_supervise(cfg, dora));
  EXPECT_FALSE(may_supervise(cfg, alice));
  EXPECT_FALSE(may_supervise(cfg, carol));
  EXPECT_FALSE(may_supervise(cfg, helper));
  EXPECT_FALSE(may_supervise(cfg, {"dora", role::customer, "Dora"}));
}

TEST_F(SupervisorVerbsTest, WelcomeTextOfAQueue) {
  EXPECT_EQ(welcome_text(cfg, "billing"), "Billing will be with you shortly.");
  EXPECT_EQ(welcome_text(cfg, "general"),
            "Thanks, an agent will be with you shortly.");
  EXPECT_EQ(welcome_text(cfg, "nowhere"),
            "Thanks, an agent will be with you shortly.");
  cfg.texts.set(config::text_key::queued, "Please hold.");
  EXPECT_EQ(welcome_text(cfg, "general"), "Please hold.");
}

// -- takeover ---------------------------------------------------------------

TEST_F(SupervisorVerbsTest, TakeoverMakesTheCallerTheAssignee) {
  start();
  assign(alice);
  auto events = run(decide_takeover(c, bob, {}, cfg));
  EXPECT_EQ(names(events), (lines{"participant.left", "participant.joined",
                                  "conversation.assigned"}));
  const auto& left = std::get<participant_left>(events[0].body);
  EXPECT_EQ(left.who, alice);
  EXPECT_EQ(left.reason, "taken_over");
  EXPECT_EQ(left.text, "Alice has left");
  const auto& in = std::get<participant_joined>(events[1].body);
  EXPECT_EQ(in.who, bob);
  EXPECT_EQ(in.text, "Bob has joined the conversation");
  const auto& assigned = std::get<conversation_assigned>(events[2].body);
  EXPECT_EQ(assigned.agent, "bob");
  EXPECT_EQ(assigned.offer, "");
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "bob");
  EXPECT_EQ(c.agents(), std::vector<participant>{bob});
}

TEST_F(SupervisorVerbsTest, TakeoverAndSend) {
  start();
  assign(alice);
  auto events = run(decide_takeover(c, sam, "Sam here, I will help", cfg));
  EXPECT_EQ(names(events), (lines{"participant.left", "participant.joined",
                                  "conversation.assigned", "message"}));
  const auto& m = std::get<message_posted>(events[3].body);
  EXPECT_EQ(m.from, sam);
  EXPECT_EQ(m.text, "Sam here, I will help");
  EXPECT_EQ(m.visibility, visibility::all);
  EXPECT_EQ(c.assignee(), "sam");
}

TEST_F(SupervisorVerbsTest, TakeoverByAConferenceMemberJoinsNobody) {
  start();
  assign(alice);
  auto r = ask(alice, offer_kind::conference);
  r.to_queue.clear();
  r.to_agent = "bob";
  run(decide_transfer(c, r, cfg));
  run(decide_pick(c, bob, joined(bob)));
  auto events = run(decide_takeover(c, bob, {}, cfg));
  EXPECT_EQ(names(events),
            (lines{"participant.left", "conversation.assigned"}));
  EXPECT_EQ(std::get<participant_left>(events[0].body).who, alice);
  EXPECT_EQ(c.agents(), std::vector<participant>{bob});
}

TEST_F(SupervisorVerbsTest, TakeoverOfAConferenceRemovesOnlyTheAssignee) {
  start();
  assign(alice);
  run(decide_transfer(c, ask(alice, offer_kind::conference), cfg));
  run(decide_pick(c, bob, joined(bob)));
  auto events = run(decide_takeover(c, sam, {}, cfg));
  EXPECT_EQ(names(events), (lines{"participant.left", "participant.joined",
                                  "conversation.assigned"}));
  EXPECT_EQ(std::get<participant_left>(events[0].body).who, alice);
  EXPECT_EQ(c.assignee(), "sam");
  EXPECT_EQ(c.agents(), (std::vector<participant>{bob, sam}));
}

TEST_F(SupervisorVerbsTest, TakeoverOfAWaitingConversation) {
  start();
  offer(alice, "o-1", offer_kind::new_);
  auto events = run(decide_takeover(c, bob, {}, cfg));
  EXPECT_EQ(names(events), (lines{"offer.ended", "participant.joined",
                                  "conversation.assigned"}));
  expect_offer_ended(events[0], "o-1", "alice", offer_end::cancelled);
  EXPECT_EQ(c.assignee(), "bob");
  EXPECT_EQ(decide_claim(c, "o-1", alice, "").error, errc::conflict);
}

TEST_F(SupervisorVerbsTest, TakeoverRefusals) {
  start();
  assign(carl);
  EXPECT_EQ(decide_takeover(c, alice, {}, cfg).error,
            errc::forbidden); // no takeover permission
  EXPECT_EQ(decide_takeover(c, dora, {}, cfg).error,
            errc::forbidden); // supervise is not takeover
  EXPECT_EQ(decide_takeover(c, carol, {}, cfg).error, errc::forbidden);
  EXPECT_EQ(decide_takeover(c, helper, {}, cfg).error, errc::forbidden);
  EXPECT_EQ(decide_takeover(c, {"zed", role::supervisor, "Zed"}, {}, cfg).error,
            errc::forbidden); // not configured
  EXPECT_EQ(decide_takeover(c, carl, {}, cfg).error,
            errc::invalid_state); // already the assignee
  run(decide_close(c, carl, "resolved", cfg.texts));
  EXPECT_EQ(decide_takeover(c, bob, {}, cfg).error, errc::invalid_state);
}

TEST_F(SupervisorVerbsTest, TakeoverOfABotsConversationIsInvalidState) {
  start_with_bot();
  EXPECT_EQ(decide_takeover(c, bob, {}, cfg).error, errc::invalid_state);
}

TEST_F(SupervisorVerbsTest, RaceTakeoverDuringAWarmTransfer) {
  start();
  assign(alice);
  cfg.transfer.require_consent = false;
  auto r = ask(alice);
  r.mode = transfer_mode::warm;
  run(decide_transfer(c, r, cfg));
  offer(dora, "o-t", offer_kind::transfer);
  auto events = run(decide_takeover(c, bob, {}, cfg));
  EXPECT_EQ(names(events),
            (lines{"offer.ended", "transfer.cancelled", "participant.left",
                   "participant.joined", "conversation.assigned"}));
  expect_offer_ended(events[0], "o-t", "dora", offer_end::cancelled);
  const auto& cancelled = std::get<transfer_ended>(events[1].body);
  EXPECT_EQ(cancelled.requester, "alice");
  EXPECT_EQ(cancelled.result, transfer_result::cancelled);
  EXPECT_EQ(cancelled.reason, "taken_over");
  EXPECT_EQ(decide_claim(c, "o-t", dora, joined(dora)).error, errc::conflict);
  EXPECT_EQ(c.assignee(), "bob");
  EXPECT_FALSE(c.pending());
}

TEST_F(SupervisorVerbsTest, RaceTakeoverWhileConsentIsAwaited) {
  start();
  assign(alice);
  run(decide_transfer(c, ask(alice), cfg));
  auto events = run(decide_takeover(c, bob, {}, cfg));
  EXPECT_EQ(names(events),
            (lines{"transfer.cancelled", "participant.left",
                   "participant.joined", "conversation.assigned"}));
  EXPECT_EQ(decide_consent(c, carol, "t-1", true, cfg, "").error,
            errc::not_found);
  EXPECT_EQ(c.queue(), "general");
}

TEST_F(SupervisorVerbsTest, RaceTakeoverDuringAColdTransfer) {
  start();
  assign(alice);
  cfg.transfer.require_consent = false;
  run(decide_transfer(c, ask(alice), cfg));
  offer(carl, "o-t", offer_kind::transfer);
  auto events = run(decide_takeover(c, bob, {}, cfg));
  // Alice left already; Bob takes it out of the target's waiting list.
  EXPECT_EQ(names(events),
            (lines{"offer.ended", "transfer.cancelled", "participant.joined",
                   "conversation.assigned"}));
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.agents(), std::vector<participant>{bob});
}

// -- conversation.assign ----------------------------------------------------

TEST_F(SupervisorVerbsTest, AssignOffersAWaitingConversationToOneAgent) {
  start();
  offer(alice, "o-1", offer_kind::new_);
  auto events = run(decide_assign(c, sam, "a-1", "bob", cfg));
  EXPECT_EQ(names(events), (lines{"offer.ended", "assign.requested"}));
  expect_offer_ended(events[0], "o-1", "alice", offer_end::cancelled);
  const auto& t = std::get<transfer_requested>(events[1].body);
  EXPECT_EQ(t.transfer, "a-1");
  EXPECT_EQ(t.kind, offer_kind::assign);
  EXPECT_EQ(t.from, sam);
  EXPECT_EQ(t.to_agent, "bob");
  EXPECT_EQ(t.to_queue, "");
  EXPECT_EQ(t.leaving, "");
  EXPECT_FALSE(t.needs_consent);
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_TRUE(c.routing_transfer());

  offer(bob, "o-a", offer_kind::assign);
  auto claimed = run(decide_claim(c, "o-a", bob, joined(bob)));
  EXPECT_EQ(names(claimed), (lines{"conversation.assigned",
                                   "participant.joined", "assign.completed"}));
  const auto& done = std::get<transfer_ended>(claimed[2].body);
  EXPECT_EQ(done.transfer, "a-1");
  EXPECT_EQ(done.kind, offer_kind::assign);
  EXPECT_EQ(done.requester, "sam");
  EXPECT_EQ(c.assignee(), "bob");
  EXPECT_FALSE(c.pending());
}

TEST_F(SupervisorVerbsTest, AssignWithAutoAcceptJoinsAtOnce) {
  // routing.assign_auto_accept: the agent takes it as a pick would.
  start();
  run(decide_assign(c, dora, "a-1", "bob", cfg));
  auto events = run(decide_pick(c, bob, joined(bob)));
  EXPECT_EQ(names(events), (lines{"conversation.assigned", "participant.joined",
                                  "assign.completed"}));
  const auto& done = std::get<transfer_ended>(events.back().body);
  EXPECT_EQ(done.kind, offer_kind::assign);
  EXPECT_EQ(done.result, transfer_result::completed);
  EXPECT_EQ(done.requester, "dora");
  EXPECT_EQ(c.assignee(), "bob");
}

TEST_F(SupervisorVerbsTest, AssignedAgentRejectsAndTheQueueRoutesAgain) {
  start();
  run(decide_assign(c, sam, "a-1", "bob", cfg));
  offer(bob, "o-a", offer_kind::assign);
  run(decide_offer_end(c, "o-a", offer_end::rejected));
  auto events = run(decide_transfer_failed(c, "rejected", cfg));
  ASSERT_EQ(names(events), (lines{"assign.failed"}));
  const auto& failed = std::get<transfer_ended>(events[0].body);
  EXPECT_EQ(failed.transfer, "a-1");
  EXPECT_EQ(failed.kind, offer_kind::assign);
  EXPECT_EQ(failed.result, transfer_result::failed);
  EXPECT_EQ(failed.reason, "rejected");
  EXPECT_EQ(failed.requester, "sam");
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_FALSE(c.pending());
  offer(alice, "o-2", offer_kind::new_);
  EXPECT_EQ(c.state(), state::offered);
}

TEST_F(SupervisorVerbsTest,
       AnAssignmentReachesPastCapacityOnlyWithThePermission) {
  EXPECT_EQ(assign_reach(cfg, sam), reach::any_status);
  auto more = cfg;
  more.agents[4].permissions.push_back(permission::assign_over_capacity);
  ASSERT_EQ(more.agents[4].id, "sam");
  EXPECT_EQ(assign_reach(more, sam), reach::over_capacity);
}

TEST_F(SupervisorVerbsTest, AnAgentWhoCouldNotTakeTheAssignmentIsNamed) {
  const std::pair<offer_end, const char*> cases[] = {
    {offer_end::agent_offline,
     "Bob is offline: nobody was offered the conversation"},
    {offer_end::agent_not_ready,
     "Bob is not ready for conversations: nobody was offered it"},
    {offer_end::agent_full, "Bob has no room for another conversation"},
    {offer_end::timeout,
     "The agent did not take the assigned conversation in time"},
  };
  for (const auto& [cause, text] : cases) {
    c = conversation("c-1");
    start();
    run(decide_assign(c, sam, "a-1", "bob", cfg));
    offer(bob, "o-a", offer_kind::assign);
    run(decide_offer_end(c, "o-a", cause));
    auto events = run(decide_transfer_failed(c, "unavailable", cfg, cause));
    ASSERT_EQ(names(events), (lines{"assign.failed"}));
    EXPECT_EQ(std::get<transfer_ended>(events[0].body).text, text);
  }
}

TEST_F(SupervisorVerbsTest, OnlyTheAssignedAgentTakesAnAssignedConversation) {
  start();
  run(decide_assign(c, sam, "a-1", "bob", cfg));
  EXPECT_EQ(decide_offer(c, {{"o-x", "alice"}}, offer_kind::new_, now).error,
            errc::forbidden);
  EXPECT_EQ(decide_pick(c, alice, joined(alice)).error, errc::forbidden);
  EXPECT_TRUE(decide_offer(c, {{"o-a", "bob"}}, offer_kind::assign, now).ok());
}

TEST_F(SupervisorVerbsTest, AssignRefusals) {
  start();
  EXPECT_EQ(decide_assign(c, alice, "a-1", "bob", cfg).error,
            errc::forbidden); // an agent without supervise
  EXPECT_EQ(decide_assign(c, carol, "a-1", "bob", cfg).error, errc::forbidden);
  EXPECT_EQ(decide_assign(c, helper, "a-1", "bob", cfg).error, errc::forbidden);
  EXPECT_EQ(decide_assign(c, sam, "a-1", "zed", cfg).error, errc::not_found);
  run(decide_assign(c, sam, "a-1", "bob", cfg));
  EXPECT_EQ(decide_assign(c, sam, "a-2", "alice", cfg).error,
            errc::invalid_state); // one at a time
  run(decide_transfer_failed(c, "timeout", cfg));
  assign(alice);
  EXPECT_EQ(decide_assign(c, sam, "a-3", "bob", cfg).error,
            errc::invalid_state); // already assigned
  run(decide_close(c, alice, "resolved", cfg.texts));
  EXPECT_EQ(decide_assign(c, sam, "a-4", "bob", cfg).error,
            errc::invalid_state);
}

TEST_F(SupervisorVerbsTest, AssignOfABotsConversationIsInvalidState) {
  start_with_bot();
  EXPECT_EQ(decide_assign(c, sam, "a-1", "bob", cfg).error,
            errc::invalid_state);
}

} // namespace
} // namespace baton::engine::workflow_testing
