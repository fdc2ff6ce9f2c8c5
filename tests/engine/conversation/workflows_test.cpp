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

  /// A direct conversation whose member is away, a cold transfer to an agent
  /// who says no, a pick, a takeover, an unassign that finds nobody, a
  /// resume and a supervisor's assignment.
  void live_through_another() {
    start_request s;
    s.queue = "general";
    s.topic = "refund";
    s.customer = carol;
    s.first_text = "Bob, please";
    s.direct_agent = "bob";
    run(decide_start(c, s, now));
    offer(bob, "o-d", offer_kind::direct);
    now = 121'000;
    run(decide_absent(c, cfg));
    run(decide_request_other(c, carol, cfg, now));
    assign(alice);
    cfg.transfer.require_consent = false;
    auto r = ask(alice);
    r.to_queue.clear();
    r.to_agent = "bob";
    run(decide_transfer(c, r, cfg));
    offer(bob, "o-t", offer_kind::transfer);
    run(decide_offer_end(c, "o-t", offer_end::rejected));
    run(decide_transfer_failed(c, "rejected", cfg));
    run(decide_pick(c, dora, joined(dora)));
    run(decide_takeover(c, bob, "Bob here after all", cfg));
    auto u = ask(sam);
    u.unassign = true;
    run(decide_transfer(c, u, cfg));
    run(decide_no_agents(c, cfg.texts));
    now = 500'000;
    run(decide_resume(c, carol, cfg, now));
    run(decide_assign(c, sam, "a-1", "carl", cfg));
    offer(carl, "o-a", offer_kind::assign);
    run(decide_claim(c, "o-a", carl, joined(carl)));
    run(decide_message(c, carl, "Seen this before", visibility::agents, ""));
    run(decide_close(c, carl, "resolved", cfg.texts));
  }

  /// Replays `log` into a fresh conversation, comparing after every event.
  void expect_replay_matches() {
    ASSERT_EQ(log.size(), states.size());
    conversation replayed{c.id()};
    for (std::size_t i = 0; i < log.size(); ++i) {
      replayed.apply(log[i]);
      ASSERT_EQ(snapshot(replayed), states[i])
        << "after seq " << log[i].seq << " " << event_name(log[i].body);
    }
    EXPECT_EQ(snapshot(replayed), snapshot(c));
  }
};

TEST_F(WorkflowReplayTest, ReplayGivesTheSameStateAfterEveryEvent) {
  live_through_it();
  EXPECT_EQ(c.state(), state::bot);
  expect_replay_matches();
  conversation replayed{c.id()};
  for (const auto& e : log)
    replayed.apply(e);
  EXPECT_EQ(replayed.message_seq(carol, "m-1"), c.message_seq(carol, "m-1"));
  EXPECT_EQ(replayed.message_seq(alice, "m-2"), c.message_seq(alice, "m-2"));
  EXPECT_TRUE(replayed.message_seq(alice, "m-2").has_value());
}

TEST_F(WorkflowReplayTest, ReplayOfAbsenceTakeoverUnassignAndResume) {
  live_through_another();
  EXPECT_EQ(c.state(), state::closed);
  // The stops on the way: what each step left behind.
  auto seen = [&](std::string_view needle) {
    return std::any_of(states.begin(), states.end(), [&](const auto& s) {
      return s.find(needle) != std::string::npos;
    });
  };
  EXPECT_TRUE(seen("|bob|1|"));            // direct to Bob, awaiting another
  EXPECT_TRUE(seen("assignee=dora"));      // picked after Bob said no
  EXPECT_TRUE(seen("assignee=bob"));       // took it over
  EXPECT_TRUE(seen("pending=a-1:assign")); // Sam's assignment under way
  EXPECT_TRUE(seen("assignee=carl"));
  expect_replay_matches();
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
  for (const auto& e : staff.events) {
    if (const auto* t = std::get_if<transfer_requested>(&e.body);
        t && t->kind == offer_kind::transfer) {
      EXPECT_EQ(t->note, "Wants a refund of order 42");
    }
  }

  for (const auto& e : customer.events) {
    EXPECT_FALSE(std::holds_alternative<transfer_requested>(e.body)) << e.seq;
    EXPECT_FALSE(std::holds_alternative<transfer_ended>(e.body)) << e.seq;
    if (const auto* m = std::get_if<message_posted>(&e.body)) {
      EXPECT_EQ(m->visibility, visibility::all) << m->text;
    }
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
