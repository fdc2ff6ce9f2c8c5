#include "tests/engine/conversation/workflow_fixture.hpp"

/// A whole scenario: a conversation rebuilt from its log is the one that was
/// lived, and its history shows staff and customer what each may see.
namespace baton::engine::workflow_testing {
namespace {

using state = conversation_state;

/// A transfer with a note and a whisper, a consent, a conference and a
/// return to the bot: the log a full working day leaves behind.
class WorkflowReplayTest : public WorkflowTest {
protected:
  void live_through_it() {
    start_with_bot();
    run(decide_message(c, carol, "I want a refund", visibility::all, "m-1"));
    handoff();
    assign(alice);
    run(decide_message(c, alice, "Let me check", visibility::all, ""));
    run(decide_message(c, alice, "Looks like fraud", visibility::agents, ""));
    now = 20'000;
    auto r = ask(alice);
    r.mode = transfer_mode::warm;
    run(decide_transfer(c, r, cfg));
    run(decide_consent(c, carol, "t-1", true, cfg, "for billing"));
    offer(carl, "o-1", offer_kind::transfer);
    run(decide_offer_end(c, "o-1", offer_end::timeout));
    offer(bob, "o-2", offer_kind::transfer);
    run(decide_claim(c, "o-2", bob, joined(bob), "Alice handed over"));
    auto k = ask(bob, offer_kind::conference);
    k.to_queue = "general";
    run(decide_transfer(c, k, cfg));
    run(decide_pick(c, alice, joined(alice)));
    run(decide_leave(c, bob, cfg));
    run(decide_message(c, alice, "Refund done", visibility::all, "m-2"));
    run(decide_close(c, alice, "resolved", cfg.texts));
  }
};

TEST_F(WorkflowReplayTest, ReplayGivesTheSameStateAfterEveryEvent) {
  live_through_it();
  EXPECT_EQ(c.state(), state::bot);
  ASSERT_EQ(log.size(), states.size());
  conversation replayed{c.id()};
  for (std::size_t i = 0; i < log.size(); ++i) {
    replayed.apply(log[i]);
    ASSERT_EQ(snapshot(replayed), states[i])
      << "after seq " << log[i].seq << " " << event_name(log[i].body);
  }
  EXPECT_EQ(snapshot(replayed), snapshot(c));
  EXPECT_EQ(replayed.message_seq("m-1"), c.message_seq("m-1"));
  EXPECT_EQ(replayed.message_seq("m-2"), c.message_seq("m-2"));
  EXPECT_TRUE(replayed.message_seq("m-2").has_value());
}

TEST_F(WorkflowReplayTest, NotesAndWhispersAreStaffHistoryOnly) {
  live_through_it();
  auto has = [](const history_page& p, std::string_view name) {
    return std::any_of(p.events.begin(), p.events.end(), [&](const event& e) {
      return event_name(e.body) == name;
    });
  };
  auto staff = page_history(log, reader::staff, {{}, {}, 500});
  auto customer = page_history(log, reader::customer, {{}, {}, 500});

  EXPECT_TRUE(has(staff, "transfer.requested"));
  EXPECT_TRUE(has(staff, "transfer.completed"));
  EXPECT_TRUE(has(staff, "conference.requested"));
  EXPECT_TRUE(has(staff, "conference.completed"));
  for (const auto& e : staff.events)
    if (const auto* t = std::get_if<transfer_requested>(&e.body);
        t && t->kind == offer_kind::transfer)
      EXPECT_EQ(t->note, "Wants a refund of order 42");

  for (const auto& e : customer.events) {
    EXPECT_FALSE(std::holds_alternative<transfer_requested>(e.body)) << e.seq;
    EXPECT_FALSE(std::holds_alternative<transfer_ended>(e.body)) << e.seq;
    if (const auto* m = std::get_if<message_posted>(&e.body))
      EXPECT_EQ(m->visibility, visibility::all) << m->text;
  }
  EXPECT_TRUE(has(customer, "transfer.consent_request"));
  // Neither reads the routing internals.
  for (const auto* page : {&staff, &customer}) {
    EXPECT_FALSE(has(*page, "transfer.consent_given"));
    EXPECT_FALSE(has(*page, "conversation.handed_off"));
    EXPECT_FALSE(has(*page, "offer.made"));
  }
  EXPECT_EQ(staff.events.size() - customer.events.size(),
            static_cast<std::size_t>(std::count_if(
              staff.events.begin(), staff.events.end(),
              [](const event& e) { return !customer_visible(e); })));
}

TEST_F(WorkflowReplayTest, CustomerPagesSkipTheStaffEventsWithoutShrinking) {
  live_through_it();
  std::vector<std::uint64_t> paged;
  history_query q;
  q.limit = 3;
  for (;;) {
    auto page = page_history(log, reader::customer, q);
    EXPECT_LE(page.events.size(), 3u);
    for (const auto& e : page.events) {
      EXPECT_TRUE(customer_visible(e)) << e.seq;
      paged.push_back(e.seq);
    }
    if (!page.more)
      break;
    EXPECT_EQ(page.events.size(), 3u);
    q.after_seq = page.events.back().seq;
  }
  auto whole = page_history(log, reader::customer, {{}, {}, 500});
  std::vector<std::uint64_t> all;
  for (const auto& e : whole.events)
    all.push_back(e.seq);
  EXPECT_EQ(paged, all);
}

} // namespace
} // namespace baton::engine::workflow_testing
