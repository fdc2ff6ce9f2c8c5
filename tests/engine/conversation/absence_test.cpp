#include "tests/engine/conversation/workflow_fixture.hpp"

/// Direct conversations (docs/workflows.md, "Direct conversation, absence,
/// request_other"), `agent.absent` and `conversation.request_other`.
namespace baton::engine::workflow_testing {
namespace {

using state = conversation_state;

/// Carol asks for Bob by name, about a refund.
class AbsenceRulesTest : public WorkflowTest {
protected:
  void SetUp() override {
    start_request r;
    r.queue = "general";
    r.topic = "refund";
    r.customer = carol;
    r.first_text = "Bob, about my order";
    r.welcome_text = welcome_text(cfg, "general");
    r.direct_agent = "bob";
    start_events = run(decide_start(c, r, now));
    now = 130'000;
  }

  std::vector<event> start_events;
};

TEST_F(AbsenceRulesTest, ADirectConversationIsNotQueued) {
  EXPECT_EQ(names(start_events), (lines{"conversation.created", "message"}));
  const auto& created = std::get<conversation_created>(start_events[0].body);
  EXPECT_EQ(created.direct_agent, "bob");
  EXPECT_EQ(created.topic, "refund");
  EXPECT_EQ(c.direct_agent(), "bob");
  EXPECT_EQ(c.enqueued_at(), 0); // never in a waiting list
  EXPECT_FALSE(c.awaiting_other());
  EXPECT_EQ(c.state(), state::queued);
  offer(bob, "o-d", offer_kind::direct);
  EXPECT_EQ(c.current_offer_kind(), offer_kind::direct);
  auto events = run(decide_claim(c, "o-d", bob, joined(bob)));
  EXPECT_EQ(names(events),
            (lines{"conversation.assigned", "participant.joined"}));
  EXPECT_EQ(c.assignee(), "bob");
}

TEST_F(AbsenceRulesTest, OnlyItsMemberTakesADirectConversation) {
  // "offered to that member only", until the customer asks for another.
  EXPECT_EQ(decide_offer(c, {{"o-x", "alice"}}, offer_kind::new_, now).error,
            errc::forbidden);
  EXPECT_EQ(decide_pick(c, alice, joined(alice)).error, errc::forbidden);
  run(decide_absent(c, cfg));
  run(decide_request_other(c, carol, cfg, now));
  EXPECT_TRUE(decide_offer(c, {{"o-x", "alice"}}, offer_kind::new_, now).ok());
  EXPECT_TRUE(decide_pick(c, alice, joined(alice)).ok());
}

TEST_F(AbsenceRulesTest, TheMemberDoesNotAnswerInTime) {
  offer(bob, "o-d", offer_kind::direct);
  auto events = run(decide_absent(c, cfg));
  EXPECT_EQ(names(events), (lines{"offer.ended", "agent.absent"}));
  expect_offer_ended(events[0], "o-d", "bob", offer_end::cancelled);
  const auto& absent = std::get<agent_absent>(events[1].body);
  EXPECT_EQ(absent.agent, bob);
  EXPECT_EQ(absent.text, "Bob is not available right now. You may keep "
                         "waiting or ask for another member.");
  EXPECT_TRUE(c.awaiting_other());
  EXPECT_TRUE(c.open_offers().empty());
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_EQ(decide_claim(c, "o-d", bob, "").error, errc::conflict);
}

TEST_F(AbsenceRulesTest, RequestOtherQueuesWithItsContentAndKeepsTheTopic) {
  run(decide_absent(c, cfg));
  auto events = run(decide_request_other(c, carol, cfg, now));
  EXPECT_EQ(names(events), (lines{"conversation.queued"}));
  const auto& queued = std::get<conversation_queued>(events[0].body);
  EXPECT_EQ(queued.queue, "general");
  EXPECT_EQ(queued.priority, 0);
  EXPECT_EQ(queued.enqueued_at, now);
  EXPECT_EQ(queued.text, "Thanks, an agent will be with you shortly.");
  EXPECT_EQ(queued.content,
            "New request created by the visitor because Bob was not "
            "available to handle the conversation quickly.");
  EXPECT_EQ(c.topic(), "refund");
  EXPECT_EQ(c.content(), queued.content);
  EXPECT_FALSE(c.awaiting_other());
  EXPECT_EQ(c.enqueued_at(), now);
  offer(alice, "o-1", offer_kind::new_);
  run(decide_claim(c, "o-1", alice, joined(alice)));
  EXPECT_EQ(c.assignee(), "alice");
}

TEST_F(AbsenceRulesTest, ATransferredDirectConversationKeepsItsAge) {
  // Never queued: its age is its creation.
  offer(bob, "o-d", offer_kind::direct);
  run(decide_claim(c, "o-d", bob, joined(bob)));
  cfg.transfer.require_consent = false;
  auto events = run(decide_transfer(c, ask(bob), cfg));
  EXPECT_EQ(std::get<conversation_queued>(events.back().body).enqueued_at,
            1'000);
  EXPECT_EQ(c.enqueued_at(), 1'000);
}

TEST_F(AbsenceRulesTest, TextsFollowTheConfiguration) {
  cfg.texts.set(config::text_key::agent_absent, "{member} is away.");
  cfg.texts.set(config::text_key::request_other_content,
                "Asked for {member}, who was away.");
  auto absent = run(decide_absent(c, cfg));
  EXPECT_EQ(std::get<agent_absent>(absent[0].body).text, "Bob is away.");
  auto queued = run(decide_request_other(c, carol, cfg, now));
  EXPECT_EQ(std::get<conversation_queued>(queued[0].body).content,
            "Asked for Bob, who was away.");
}

TEST_F(AbsenceRulesTest, AbsentRefusals) {
  offer(bob, "o-d", offer_kind::direct);
  run(decide_claim(c, "o-d", bob, joined(bob)));
  EXPECT_EQ(decide_absent(c, cfg).error, errc::invalid_state); // answered
  run(decide_close(c, bob, "resolved", cfg.texts));
  EXPECT_EQ(decide_absent(c, cfg).error, errc::invalid_state);

  reset();
  start(); // not a direct conversation
  EXPECT_EQ(decide_absent(c, cfg).error, errc::invalid_state);
}

TEST_F(AbsenceRulesTest, AbsentOnlyOnce) {
  run(decide_absent(c, cfg));
  EXPECT_EQ(decide_absent(c, cfg).error, errc::invalid_state);
}

TEST_F(AbsenceRulesTest, RequestOtherRefusals) {
  EXPECT_EQ(decide_request_other(c, carol, cfg, now).error,
            errc::invalid_state); // the member was not absent
  run(decide_absent(c, cfg));
  EXPECT_EQ(decide_request_other(c, alice, cfg, now).error, errc::forbidden);
  EXPECT_EQ(decide_request_other(c, dan, cfg, now).error, errc::forbidden);
  run(decide_request_other(c, carol, cfg, now));
  EXPECT_EQ(decide_request_other(c, carol, cfg, now).error,
            errc::invalid_state); // already waiting
}

TEST_F(AbsenceRulesTest, NoChoiceInTimeQueuesAsRequestOtherWould) {
  EXPECT_EQ(decide_choice_timeout(c, cfg, now).error, errc::invalid_state)
    << "the member was not absent";
  run(decide_absent(c, cfg));
  auto events = run(decide_choice_timeout(c, cfg, now));
  ASSERT_EQ(events.size(), 1u);
  const auto& queued = std::get<conversation_queued>(events[0].body);
  EXPECT_NE(queued.content.find("was not available"), std::string::npos)
    << queued.content;
  EXPECT_FALSE(c.awaiting_other());
  EXPECT_EQ(decide_choice_timeout(c, cfg, now).error, errc::invalid_state)
    << "once";
}

TEST_F(AbsenceRulesTest, ClosingClearsTheWaitForAnother) {
  run(decide_absent(c, cfg));
  run(decide_close(c, carol, "bye", cfg.texts));
  EXPECT_FALSE(c.awaiting_other());
  EXPECT_EQ(decide_request_other(c, carol, cfg, now).error,
            errc::invalid_state);
}

} // namespace
} // namespace baton::engine::workflow_testing
