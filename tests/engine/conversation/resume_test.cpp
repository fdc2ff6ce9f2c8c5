#include "tests/engine/conversation/workflow_fixture.hpp"

/// `conversation.resume`: a closed conversation routes again, its history
/// whole.
namespace baton::engine::workflow_testing {
namespace {

using state = conversation_state;

class ResumeRulesTest : public WorkflowTest {
protected:
  void SetUp() override {
    start();
    assign(alice);
    run(decide_message(c, alice, "Your refund is on its way", visibility::all,
                       ""));
    run(decide_close(c, alice, "resolved", cfg.texts));
    now = 900'000;
  }
};

TEST_F(ResumeRulesTest, ReopensAndRoutesAgainWithTheWholeHistory) {
  auto before = log.size();
  auto events = run(decide_resume(c, carol, cfg, now));
  EXPECT_EQ(names(events),
            (lines{"conversation.reopened", "conversation.queued"}));
  EXPECT_EQ(std::get<conversation_reopened>(events[0].body).by, carol);
  const auto& queued = std::get<conversation_queued>(events[1].body);
  EXPECT_EQ(queued.queue, "general");
  EXPECT_EQ(queued.enqueued_at, now);
  EXPECT_EQ(queued.text, "Thanks, an agent will be with you shortly.");
  EXPECT_EQ(queued.content, "");
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_EQ(c.content(), "Hello"); // an empty content keeps the one before
  EXPECT_TRUE(c.agents().empty());
  EXPECT_EQ(c.last_seq(), before + 2);

  // The customer's history still holds the first conversation.
  auto page = page_history(log, reader::customer, {});
  lines texts;
  for (const auto& e : page.events)
    if (const auto* m = std::get_if<message_posted>(&e.body))
      texts.push_back(m->text);
  EXPECT_EQ(texts, (lines{"Hello", "Your refund is on its way"}));

  offer(bob, "o-r", offer_kind::new_);
  run(decide_claim(c, "o-r", bob, joined(bob)));
  EXPECT_EQ(c.assignee(), "bob");
}

TEST_F(ResumeRulesTest, Refusals) {
  EXPECT_EQ(decide_resume(c, alice, cfg, now).error, errc::forbidden);
  EXPECT_EQ(decide_resume(c, dan, cfg, now).error, errc::forbidden);
  EXPECT_EQ(decide_resume(c, {"v-1", role::agent, "Carol"}, cfg, now).error,
            errc::forbidden);
  run(decide_resume(c, carol, cfg, now));
  EXPECT_EQ(decide_resume(c, carol, cfg, now).error, errc::invalid_state);
}

} // namespace
} // namespace baton::engine::workflow_testing
