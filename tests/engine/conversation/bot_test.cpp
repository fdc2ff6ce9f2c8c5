#include "tests/engine/conversation/workflow_fixture.hpp"

/// Bots (docs/workflows.md, "Bot"): a bot holds a conversation, hands
/// it to human routing, and has it back when a person closes it.
namespace baton::engine::workflow_testing {
namespace {

using state = conversation_state;

/// Carol's conversation, held by the bot `helper`.
class BotRulesTest : public WorkflowTest {
protected:
  void SetUp() override {
    start_with_bot();
  }
};

TEST_F(BotRulesTest, ABotStartIsHeldByItsBot) {
  EXPECT_EQ(names(log), (lines{"conversation.created", "message"}));
  EXPECT_EQ(std::get<conversation_created>(log[0].body).bot, "helper");
  EXPECT_EQ(std::get<message_posted>(log[1].body).from, helper);
  EXPECT_EQ(c.state(), state::bot);
  EXPECT_EQ(c.bot(), "helper");
  EXPECT_EQ(c.customer(), carol);
  EXPECT_EQ(c.enqueued_at(), 0);
  EXPECT_TRUE(
    decide_message(c, helper, "How can I help?", visibility::all, "").ok());
  EXPECT_TRUE(decide_message(c, carol, "A refund", visibility::all, "").ok());
  EXPECT_EQ(decide_message(c, other_bot, "Me too", visibility::all, "").error,
            errc::forbidden);
  EXPECT_EQ(decide_message(c, alice, "Hi", visibility::all, "").error,
            errc::forbidden);
  // Nothing routes it while the bot holds it.
  EXPECT_EQ(decide_offer(c, {{"o-1", "alice"}}, offer_kind::new_, now).error,
            errc::invalid_state);
  EXPECT_EQ(decide_pick(c, alice, "").error, errc::conflict);
  EXPECT_EQ(decide_no_agents(c, cfg.texts).error, errc::invalid_state);
}

TEST_F(BotRulesTest, HandoffQueuesWithTheSummary) {
  now = 40'000;
  auto events = run(decide_handoff(c, helper, "billing", "vip",
                                   "Wants a refund of order 42", cfg, now,
                                   "handoff content"));
  EXPECT_EQ(names(events),
            (lines{"conversation.handed_off", "conversation.queued"}));
  const auto& off = std::get<handed_off>(events[0].body);
  EXPECT_EQ(off.bot, "helper");
  EXPECT_EQ(off.topic, "vip");
  EXPECT_EQ(off.summary, "Wants a refund of order 42");
  const auto& queued = std::get<conversation_queued>(events[1].body);
  EXPECT_EQ(queued.queue, "billing");
  EXPECT_EQ(queued.priority, 0);
  EXPECT_EQ(queued.enqueued_at, 40'000);
  EXPECT_EQ(queued.text, "Billing will be with you shortly.");
  EXPECT_EQ(queued.content, "handoff content");
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_EQ(c.queue(), "billing");
  EXPECT_EQ(c.topic(), "vip");
  EXPECT_EQ(c.content(), "handoff content");
  EXPECT_EQ(c.enqueued_at(), 40'000);
  // The bot speaks while it holds the conversation, not after.
  EXPECT_EQ(decide_message(c, helper, "Still here", visibility::all, "").error,
            errc::forbidden);
}

TEST_F(BotRulesTest, HandoffWithoutATopicKeepsTheOneItHad) {
  reset();
  start_request r;
  r.queue = "general";
  r.topic = "refund";
  r.customer = carol;
  r.bot = helper.id;
  run(decide_start(c, r, now));
  run(decide_handoff(c, helper, "general", "", "", cfg, now, ""));
  EXPECT_EQ(c.topic(), "refund");
}

TEST_F(BotRulesTest, HandoffRefusals) {
  EXPECT_EQ(decide_handoff(c, other_bot, "general", "", "", cfg, now, "").error,
            errc::forbidden); // not its bot
  EXPECT_EQ(decide_handoff(c, carol, "general", "", "", cfg, now, "").error,
            errc::forbidden);
  EXPECT_EQ(decide_handoff(c, alice, "general", "", "", cfg, now, "").error,
            errc::forbidden);
  EXPECT_EQ(decide_handoff(c, {"helper", role::agent, "helper"}, "general", "",
                           "", cfg, now, "")
              .error,
            errc::forbidden); // the bot's id with another role
  EXPECT_EQ(decide_handoff(c, helper, "nowhere", "", "", cfg, now, "").error,
            errc::not_found);
  EXPECT_EQ(decide_handoff(c, helper, "general", "no-such-topic", "", cfg, now,
                           "")
              .error,
            errc::not_found);
  handoff();
  EXPECT_EQ(decide_handoff(c, helper, "general", "", "", cfg, now, "").error,
            errc::invalid_state); // handed off already

  reset();
  start(); // a customer's own conversation has no bot
  EXPECT_EQ(decide_handoff(c, helper, "general", "", "", cfg, now, "").error,
            errc::forbidden);
}

TEST_F(BotRulesTest, AnAgentClosingGivesItBackToTheBot) {
  handoff();
  assign(alice);
  auto events = run(decide_close(c, alice, "resolved", cfg.texts));
  EXPECT_EQ(names(events),
            (lines{"participant.left", "conversation.assigned"}));
  const auto& left = std::get<participant_left>(events[0].body);
  EXPECT_EQ(left.who, alice);
  EXPECT_EQ(left.reason, "closed");
  EXPECT_EQ(left.text, "Alice has left");
  const auto& back = std::get<returned_to_bot>(events[1].body);
  EXPECT_EQ(back.bot, "helper");
  EXPECT_EQ(back.by, "alice");
  EXPECT_EQ(c.state(), state::bot);
  EXPECT_EQ(c.assignee(), "");
  EXPECT_TRUE(c.agents().empty());
  EXPECT_FALSE(c.pending());

  // The bot carries on, and may hand it off again.
  EXPECT_TRUE(
    decide_message(c, helper, "Anything else?", visibility::all, "").ok());
  EXPECT_EQ(decide_message(c, alice, "Bye", visibility::all, "").error,
            errc::forbidden);
  now = 70'000;
  auto again = run(decide_handoff(c, helper, "general", "", "Second time", cfg,
                                  now, "second content"));
  EXPECT_EQ(std::get<conversation_queued>(again[1].body).enqueued_at, 70'000);
  EXPECT_EQ(c.content(), "second content");
}

TEST_F(BotRulesTest, EveryAgentOfAConferenceLeavesWhenItGoesBack) {
  handoff();
  assign(alice);
  auto r = ask(alice, offer_kind::conference);
  r.to_queue.clear();
  r.to_agent = "bob";
  run(decide_transfer(c, r, cfg));
  run(decide_pick(c, bob, joined(bob)));
  auto events = run(decide_close(c, bob, "resolved", cfg.texts));
  EXPECT_EQ(names(events), (lines{"participant.left", "participant.left",
                                  "conversation.assigned"}));
  EXPECT_EQ(std::get<participant_left>(events[0].body).who, alice);
  EXPECT_EQ(std::get<participant_left>(events[1].body).who, bob);
  EXPECT_EQ(std::get<returned_to_bot>(events[2].body).by, "bob");
  EXPECT_EQ(c.state(), state::bot);
}

TEST_F(BotRulesTest, ASupervisorWhoTookItOverGivesItBackToo) {
  handoff();
  assign(alice);
  run(decide_takeover(c, sam, {}, cfg));
  auto events = run(decide_close(c, sam, "resolved", cfg.texts));
  EXPECT_EQ(names(events),
            (lines{"participant.left", "conversation.assigned"}));
  EXPECT_EQ(std::get<returned_to_bot>(events[1].body).by, "sam");
}

TEST_F(BotRulesTest, ClosingCancelsAPendingTransferFirst) {
  handoff();
  assign(alice);
  cfg.transfer.require_consent = false;
  auto r = ask(alice);
  r.mode = transfer_mode::warm;
  run(decide_transfer(c, r, cfg));
  offer(bob, "o-t", offer_kind::transfer);
  auto events = run(decide_close(c, alice, "resolved", cfg.texts));
  EXPECT_EQ(names(events),
            (lines{"offer.ended", "transfer.cancelled", "participant.left",
                   "conversation.assigned"}));
  expect_offer_ended(events[0], "o-t", "bob", offer_end::abandoned);
  const auto& cancelled = std::get<transfer_ended>(events[1].body);
  EXPECT_EQ(cancelled.result, transfer_result::cancelled);
  EXPECT_EQ(cancelled.reason, "closed");
  EXPECT_EQ(c.state(), state::bot);
  EXPECT_FALSE(c.pending());
  EXPECT_EQ(decide_claim(c, "o-t", bob, joined(bob)).error, errc::conflict);
}

TEST_F(BotRulesTest, TheCustomerClosingEndsIt) {
  handoff();
  assign(alice);
  auto events = run(decide_close(c, carol, "bye", cfg.texts));
  EXPECT_EQ(names(events), (lines{"conversation.closed"}));
  const auto& closed = std::get<conversation_closed>(events[0].body);
  EXPECT_EQ(closed.by, "v-1");
  EXPECT_EQ(closed.reason, "bye");
  EXPECT_EQ(c.state(), state::closed);
}

TEST_F(BotRulesTest, AServiceOutsideItMayNotCloseIt) {
  handoff();
  assign(alice);
  EXPECT_EQ(decide_close(c, system_actor, "expired", cfg.texts).error,
            errc::forbidden);
  EXPECT_EQ(c.state(), state::assigned);
}

TEST_F(BotRulesTest, TheBotClosingWhileItHoldsItEndsIt) {
  auto events = run(decide_close(c, helper, "done", cfg.texts));
  EXPECT_EQ(names(events), (lines{"conversation.closed"}));
  EXPECT_EQ(c.state(), state::closed);
}

TEST_F(BotRulesTest, CloseRefusals) {
  handoff();
  // Waiting: no agent is in it yet, and the bot let it go.
  EXPECT_EQ(decide_close(c, alice, "", cfg.texts).error, errc::forbidden);
  EXPECT_EQ(decide_close(c, helper, "", cfg.texts).error, errc::forbidden);
  EXPECT_EQ(decide_close(c, sam, "", cfg.texts).error, errc::forbidden);
}

TEST_F(BotRulesTest, NoAgentsGivesItBackToTheBot) {
  handoff();
  offer(alice, "o-1", offer_kind::new_);
  auto events = run(decide_no_agents(c, cfg.texts));
  EXPECT_EQ(names(events), (lines{"offer.ended", "conversation.no_agents",
                                  "conversation.assigned"}));
  expect_offer_ended(events[0], "o-1", "alice", offer_end::cancelled);
  EXPECT_EQ(std::get<no_agents>(events[1].body).text,
            "No agents were available");
  const auto& back = std::get<returned_to_bot>(events[2].body);
  EXPECT_EQ(back.bot, "helper");
  EXPECT_EQ(back.by, "system");
  EXPECT_EQ(c.state(), state::bot);
  EXPECT_TRUE(c.open_offers().empty());
}

TEST_F(BotRulesTest, NoAgentsFailsAColdTransferAndGivesItBack) {
  handoff();
  assign(alice);
  cfg.transfer.require_consent = false;
  run(decide_transfer(c, ask(alice), cfg));
  auto events = run(decide_no_agents(c, cfg.texts));
  EXPECT_EQ(names(events), (lines{"transfer.failed", "conversation.no_agents",
                                  "conversation.assigned"}));
  const auto& failed = std::get<transfer_ended>(events[0].body);
  EXPECT_EQ(failed.requester, "alice");
  EXPECT_EQ(failed.reason, "no_agents");
  EXPECT_EQ(c.state(), state::bot);
  EXPECT_FALSE(c.pending());
}

TEST_F(BotRulesTest, ResumeGoesToItsQueueNotTheBot) {
  // The customer asked for a person.
  handoff();
  run(decide_close(c, carol, "bye", cfg.texts));
  auto events = run(decide_resume(c, carol, cfg, now));
  EXPECT_EQ(names(events),
            (lines{"conversation.reopened", "conversation.queued"}));
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_EQ(c.queue(), "general");
  EXPECT_EQ(c.bot(), "helper");
}

} // namespace
} // namespace baton::engine::workflow_testing
