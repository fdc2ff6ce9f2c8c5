// Workflows racing each other: two requests lined up before the scheduler
// runs, or a request meeting a timer. Whatever order the messages land in,
// exactly one outcome, one assignee, loads that match and no event twice.
#include "workflow_fixture.hpp"

#include <chrono>
#include <string>
#include <tuple>

namespace baton::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::agent_status;
using engine::errc;
using engine::offer_end;
using engine::offer_kind;
using engine::transfer_mode;
using engine::transfer_result;

class WorkflowRaceTest : public WorkflowFixture {
protected:
  void SetUp() override {
    start_centre(false);
  }

  std::vector<offer_end> revocations(const recorder& sink) {
    std::vector<offer_end> out;
    for (const auto& r : sink.all<offer_revoked_notice>())
      out.push_back(r.reason);
    return out;
  }
};

/// Two requests racing at every interleaving: the parameter says which is
/// submitted first and how many messages are delivered before the other is.
class RaceOrderTest
  : public WorkflowFixture,
    public ::testing::WithParamInterface<std::tuple<bool, int>> {
protected:
  void SetUp() override {
    start_centre(false);
  }

  void race(const caller& a, request ra, reply_box& ba, const caller& b,
            request rb, reply_box& bb) {
    auto [a_first, steps] = GetParam();
    auto first = [&] {
      a_first ? submit(a, std::move(ra), ba) : submit(b, std::move(rb), bb);
    };
    auto second = [&] {
      a_first ? submit(b, std::move(rb), bb) : submit(a, std::move(ra), ba);
    };
    first();
    for (int i = 0; i < steps && step(); ++i) {
    }
    second();
    run();
    ASSERT_EQ(ba.replies.size(), 1u);
    ASSERT_EQ(bb.replies.size(), 1u);
  }

  static std::vector<offer_end> revocations(const recorder& sink) {
    std::vector<offer_end> out;
    for (const auto& r : sink.all<offer_revoked_notice>())
      out.push_back(r.reason);
    return out;
  }
};

INSTANTIATE_TEST_SUITE_P(
  EveryInterleaving, RaceOrderTest,
  ::testing::Combine(::testing::Bool(), ::testing::Range(0, 12)),
  [](const auto& info) {
    return std::string(std::get<0>(info.param) ? "InOrder" : "Reversed")
           + "After" + std::to_string(std::get<1>(info.param));
  });

class ConsentRaceTest : public WorkflowFixture {
protected:
  void SetUp() override {
    start_centre(true);
    id = routed_to_alice();
    auto asked = ask("alice", id, offer_kind::transfer, "billing", {});
    ASSERT_TRUE(asked.ok()) << asked.message;
    transfer = asked.as<placed>().id;
  }

  /// Exactly one outcome: declined and nothing routed, or routed and never
  /// declined.
  void expect_one_outcome(const reply_box& answer) {
    ASSERT_EQ(answer.replies.size(), 1u);
    auto ended = alice->all<engine::transfer_ended>();
    ASSERT_EQ(ended.size(), 1u) << "one outcome";
    bool routed = bob->count<offer_notice>() == 1u;
    if (answer.replies[0].ok()) {
      EXPECT_TRUE(routed);
      EXPECT_EQ(ended[0].result, transfer_result::completed);
      EXPECT_EQ(summary(id)->assignee, "bob");
    } else {
      EXPECT_FALSE(routed);
      EXPECT_EQ(ended[0].result, transfer_result::declined);
      EXPECT_EQ(alice->count<engine::participant_left>(), 0u);
      EXPECT_EQ(summary(id)->assignee, "alice");
    }
    EXPECT_EQ(transfers(offer_kind::transfer, transfer_result::declined)
                + transfers(offer_kind::transfer, transfer_result::completed),
              1);
    expect_consistent({"carol"}, {alice, bob, carl, carol});
  }

  /// Bob takes it when it was routed.
  void settle() {
    if (bob->count<offer_notice>() == 1u) {
      EXPECT_TRUE(accept("bob", bob).ok());
    }
  }

  std::string id, transfer;
};

TEST_P(RaceOrderTest, TwoAgentsAcceptOneTransferOffer) {
  auto id = routed_to_alice();
  ASSERT_TRUE(ask("alice", id, offer_kind::transfer, "billing", {}).ok());
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  ASSERT_EQ(carl->count<offer_notice>(), 1u);
  reply_box by_bob, by_carl;
  race(agent("bob"), accept_offer{bob->last_offer()->offer}, by_bob,
       agent("carl"), accept_offer{carl->last_offer()->offer}, by_carl);
  bool bob_won = by_bob.replies[0].ok();
  ASSERT_NE(bob_won, by_carl.replies[0].ok()) << "exactly one wins";
  const auto& loser = bob_won ? by_carl.replies[0] : by_bob.replies[0];
  EXPECT_EQ(loser.code, errc::conflict);
  auto& loser_sink = bob_won ? *carl : *bob;
  EXPECT_EQ(revocations(loser_sink), std::vector<offer_end>{offer_end::taken});
  auto s = summary(id);
  EXPECT_EQ(s->assignee, bob_won ? "bob" : "carl");
  EXPECT_EQ(s->agents.size(), 1u);
  EXPECT_EQ(alice->count<engine::transfer_ended>(), 1u);
  EXPECT_EQ(transfers(offer_kind::transfer, transfer_result::completed), 1);
  EXPECT_EQ(carol->count<engine::participant_joined>(), 2u);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(ConsentRaceTest, AnswerOneMomentBeforeTheTimeout) {
  advance(9999ms);
  reply_box answer;
  submit(customer("carol"), answer_consent{id, transfer, true}, answer);
  run();
  advance(1ms); // the consent timer finds it answered
  settle();
  expect_one_outcome(answer);
  EXPECT_TRUE(answer.replies[0].ok());
}

/// The answer and the consent timer in flight together: the parameter says
/// which was sent first and how many messages are delivered before the
/// other is.
class ConsentTimeoutRaceTest
  : public ConsentRaceTest,
    public ::testing::WithParamInterface<std::tuple<bool, int>> {};

TEST_P(ConsentTimeoutRaceTest, ExactlyOneOutcome) {
  auto [answer_first, steps] = GetParam();
  advance(9999ms);
  reply_box answer;
  auto send_answer = [&] {
    submit(customer("carol"), answer_consent{id, transfer, true}, answer);
  };
  if (answer_first)
    send_answer();
  else
    tick(1ms);
  for (int i = 0; i < steps && step(); ++i) {
  }
  if (answer_first)
    tick(1ms);
  else
    send_answer();
  run();
  settle();
  expect_one_outcome(answer);
}

INSTANTIATE_TEST_SUITE_P(
  EveryInterleaving, ConsentTimeoutRaceTest,
  ::testing::Combine(::testing::Bool(), ::testing::Range(0, 6)),
  [](const auto& info) {
    return std::string(std::get<0>(info.param) ? "AnswerFirst" : "TimerFirst")
           + "After" + std::to_string(std::get<1>(info.param));
  });

TEST_F(ConsentRaceTest, AnswerAfterTheTimeoutIsRefused) {
  advance(10s);
  reply_box answer;
  submit(customer("carol"), answer_consent{id, transfer, true}, answer);
  run();
  settle();
  expect_one_outcome(answer);
  EXPECT_FALSE(answer.replies[0].ok());
}

TEST_F(ConsentRaceTest, NoAfterTheTimeoutIsNotASecondDecline) {
  advance(10s);
  reply_box answer;
  submit(customer("carol"), answer_consent{id, transfer, false}, answer);
  run();
  EXPECT_FALSE(answer.replies[0].ok());
  EXPECT_EQ(alice->count<engine::transfer_ended>(), 1u);
  EXPECT_EQ(transfers(offer_kind::transfer, transfer_result::declined), 1);
}

TEST_F(WorkflowRaceTest, TakeoverCancelsAPendingTransfer) {
  auto tess = login("tess");
  auto id = routed_to_alice();
  auto asked = ask("alice", id, offer_kind::transfer, {}, "bob",
                   transfer_mode::warm);
  ASSERT_TRUE(asked.ok()) << asked.message;
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  auto offer = bob->last_offer()->offer;
  ASSERT_TRUE(call(agent("tess"), take_over{id, {}}).ok());
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u) << "the requester is told";
  EXPECT_EQ(ended[0].result, transfer_result::cancelled);
  EXPECT_EQ(revocations(*bob), std::vector<offer_end>{offer_end::cancelled});
  EXPECT_EQ(call(agent("bob"), accept_offer{offer}).code, errc::conflict);
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "tess");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"tess"}));
  EXPECT_EQ(transfers(offer_kind::transfer, transfer_result::cancelled), 1);
  expect_consistent({"carol"}, {alice, bob, carl, carol, tess});
}

TEST_P(RaceOrderTest, TakeoverAndAcceptOfATransferLandTogether) {
  auto tess = login("tess");
  auto id = routed_to_alice();
  ASSERT_TRUE(ask("alice", id, offer_kind::transfer, "billing", {}).ok());
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  reply_box by_bob, by_tess;
  race(agent("bob"), accept_offer{bob->last_offer()->offer}, by_bob,
       agent("tess"), take_over{id, {}}, by_tess);
  EXPECT_TRUE(by_tess.replies[0].ok()) << "a takeover wins either way";
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "tess");
  EXPECT_EQ(alice->count<engine::transfer_ended>(), 1u);
  // Carl's offer is over whoever came first.
  EXPECT_EQ(revocations(*carl).size(), 1u);
  if (!by_bob.replies[0].ok()) {
    EXPECT_EQ(by_bob.replies[0].code, errc::conflict);
  }
  expect_consistent({"carol"}, {alice, bob, carl, carol, tess});
}

TEST_P(RaceOrderTest, LeaveWhileAConferenceJoinIsOnItsWay) {
  auto id = routed_to_alice();
  ASSERT_TRUE(ask("alice", id, offer_kind::conference, {}, "bob").ok());
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  reply_box joined, left;
  race(agent("bob"), accept_offer{bob->last_offer()->offer}, joined,
       agent("alice"), leave_conversation{id}, left);
  EXPECT_TRUE(joined.replies[0].ok()) << joined.replies[0].message;
  auto s = summary(id);
  EXPECT_EQ(s->state, engine::conversation_state::assigned);
  if (left.replies[0].ok()) {
    // Bob was in first: the conference goes on with him.
    EXPECT_EQ(s->agents, (std::vector<std::string>{"bob"}));
    EXPECT_EQ(s->assignee, "bob");
  } else {
    // Alice was still the only agent.
    EXPECT_EQ(left.replies[0].code, errc::invalid_state);
    EXPECT_EQ(s->agents.size(), 2u);
  }
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowRaceTest, LeaveBeforeTheConferenceJoinIsRefused) {
  auto id = routed_to_alice();
  ASSERT_TRUE(ask("alice", id, offer_kind::conference, {}, "bob").ok());
  EXPECT_EQ(call(agent("alice"), leave_conversation{id}).code,
            errc::invalid_state);
  ASSERT_TRUE(accept("bob", bob).ok());
  ASSERT_TRUE(call(agent("alice"), leave_conversation{id}).ok());
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "bob");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"bob"}));
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowRaceTest, CustomerClosesWhileATransferOfferIsOut) {
  auto id = routed_to_alice();
  ASSERT_TRUE(ask("alice", id, offer_kind::transfer, "billing", {}).ok());
  ASSERT_EQ(carl->count<offer_notice>(), 1u);
  auto offer = carl->last_offer()->offer;
  ASSERT_TRUE(call(customer("carol"), close_conversation{id, {}}).ok());
  EXPECT_EQ(revocations(*carl), std::vector<offer_end>{offer_end::abandoned});
  EXPECT_EQ(revocations(*bob), std::vector<offer_end>{offer_end::abandoned});
  EXPECT_EQ(call(agent("carl"), accept_offer{offer}).code, errc::conflict);
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].result, transfer_result::cancelled);
  EXPECT_EQ(load_of("carl"), 0);
  // Carl's slot (capacity 1) is free: the next billing conversation is his.
  auto dave = connect(customer("dave"));
  start(customer("dave"), "billing");
  ASSERT_EQ(carl->count<offer_notice>(), 2u);
  EXPECT_TRUE(accept("carl", carl).ok());
  expect_consistent({"carol", "dave"}, {alice, bob, carl, carol, dave});
}

TEST_P(RaceOrderTest, CustomerClosesAsAConferenceOfferIsAccepted) {
  auto id = routed_to_alice();
  ASSERT_TRUE(ask("alice", id, offer_kind::conference, {}, "carl").ok());
  ASSERT_EQ(carl->count<offer_notice>(), 1u);
  reply_box closed, accepted;
  race(customer("carol"), close_conversation{id, {}}, closed, agent("carl"),
       accept_offer{carl->last_offer()->offer}, accepted);
  EXPECT_TRUE(closed.replies[0].ok());
  if (!accepted.replies[0].ok()) {
    EXPECT_EQ(accepted.replies[0].code, errc::conflict);
    EXPECT_EQ(revocations(*carl), std::vector<offer_end>{offer_end::abandoned});
  }
  EXPECT_EQ(summary(id)->state, engine::conversation_state::closed);
  EXPECT_EQ(load_of("carl"), 0);
  EXPECT_EQ(load_of("alice"), 0);
  auto dave = connect(customer("dave"));
  start(customer("dave"), "billing");
  ASSERT_EQ(carl->count<offer_notice>(), 2u) << "carl's slot is free";
  EXPECT_TRUE(accept("carl", carl).ok());
  expect_consistent({"carol", "dave"}, {alice, bob, carl, carol, dave});
}

TEST_F(WorkflowRaceTest, TargetAgentGoesOfflineDuringAWarmTransfer) {
  auto id = routed_to_alice();
  ASSERT_TRUE(
    ask("alice", id, offer_kind::transfer, {}, "bob", transfer_mode::warm)
      .ok());
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  ASSERT_TRUE(
    call(agent("bob"), set_agent_status{agent_status::offline, {}}).ok());
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].result, transfer_result::failed);
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "alice");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"alice"}));
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowRaceTest, OneTargetGoesOfflineAndTheOtherTakesIt) {
  auto id = routed_to_alice();
  ASSERT_TRUE(
    ask("alice", id, offer_kind::transfer, "billing", {}, transfer_mode::warm)
      .ok());
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  ASSERT_EQ(carl->count<offer_notice>(), 1u);
  ASSERT_TRUE(
    call(agent("bob"), set_agent_status{agent_status::offline, {}}).ok());
  EXPECT_EQ(alice->count<engine::transfer_ended>(), 0u) << "carl may still";
  ASSERT_TRUE(accept("carl", carl).ok());
  EXPECT_EQ(alice->all<engine::transfer_ended>().at(0).result,
            transfer_result::completed);
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "carl");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"carl"}));
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowRaceTest, RequesterGoesOfflineDuringAWarmTransfer) {
  auto id = routed_to_alice();
  ASSERT_TRUE(
    ask("alice", id, offer_kind::transfer, {}, "bob", transfer_mode::warm)
      .ok());
  ASSERT_TRUE(
    call(agent("alice"), set_agent_status{agent_status::offline, {}}).ok());
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "alice") << "she keeps it until bob accepts";
  EXPECT_EQ(bob->count<offer_revoked_notice>(), 0u);
  ASSERT_TRUE(accept("bob", bob).ok());
  s = summary(id);
  EXPECT_EQ(s->assignee, "bob");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"bob"}));
  EXPECT_EQ(alice->all<engine::transfer_ended>().at(0).result,
            transfer_result::completed);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_P(RaceOrderTest, TargetGoesOfflineAsItAccepts) {
  auto id = routed_to_alice();
  ASSERT_TRUE(
    ask("alice", id, offer_kind::transfer, {}, "bob", transfer_mode::warm)
      .ok());
  reply_box accepted, offline;
  race(agent("bob"), accept_offer{bob->last_offer()->offer}, accepted,
       agent("bob"), set_agent_status{agent_status::offline, {}}, offline);
  auto s = summary(id);
  ASSERT_EQ(alice->count<engine::transfer_ended>(), 1u);
  auto result = alice->all<engine::transfer_ended>()[0].result;
  if (accepted.replies[0].ok()) {
    EXPECT_EQ(result, transfer_result::completed);
    EXPECT_EQ(s->assignee, "bob");
  } else {
    EXPECT_EQ(result, transfer_result::failed);
    EXPECT_EQ(s->assignee, "alice");
  }
  EXPECT_EQ(s->agents.size(), 1u);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

} // namespace
} // namespace baton::actors::testing

namespace baton::actors::testing {
namespace {

TEST_P(RaceOrderTest, CustomerClosesAsATransferOfferIsAccepted) {
  auto id = routed_to_alice();
  ASSERT_TRUE(ask("alice", id, offer_kind::transfer, "billing", {}).ok());
  ASSERT_EQ(carl->count<offer_notice>(), 1u);
  reply_box closed, accepted;
  race(customer("carol"), close_conversation{id, {}}, closed, agent("carl"),
       accept_offer{carl->last_offer()->offer}, accepted);
  EXPECT_TRUE(closed.replies[0].ok());
  EXPECT_EQ(summary(id)->state, engine::conversation_state::closed);
  ASSERT_EQ(alice->count<engine::transfer_ended>(), 1u) << "one outcome";
  auto result = alice->all<engine::transfer_ended>()[0].result;
  if (accepted.replies[0].ok()) {
    EXPECT_EQ(result, transfer_result::completed);
  } else {
    EXPECT_EQ(accepted.replies[0].code, errc::conflict);
    EXPECT_EQ(result, transfer_result::cancelled);
    EXPECT_EQ(revocations(*carl), std::vector<offer_end>{offer_end::abandoned});
  }
  EXPECT_EQ(revocations(*bob).size(), 1u);
  // Both billing agents have their slots back.
  auto dave = connect(customer("dave"));
  start(customer("dave"), "billing");
  ASSERT_EQ(carl->count<offer_notice>(), 2u);
  ASSERT_EQ(bob->count<offer_notice>(), 2u);
  EXPECT_TRUE(accept("carl", carl).ok());
  expect_consistent({"carol", "dave"}, {alice, bob, carl, carol, dave});
}

TEST_F(WorkflowRaceTest, RequesterDisconnectsDuringAWarmTransfer) {
  auto id = routed_to_alice();
  ASSERT_TRUE(
    ask("alice", id, offer_kind::transfer, {}, "bob", transfer_mode::warm)
      .ok());
  disconnect(agent("alice"), alice);
  advance(5s); // agent_disconnect_grace_ms: alice is offline now
  EXPECT_EQ(bob->count<offer_revoked_notice>(), 0u) << "bob may still take it";
  ASSERT_TRUE(accept("bob", bob).ok());
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "bob");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"bob"}));
  expect_consistent({"carol"}, {bob, carl, carol});
}

TEST_F(WorkflowRaceTest, TargetDisconnectsDuringAWarmTransfer) {
  auto id = routed_to_alice();
  ASSERT_TRUE(
    ask("alice", id, offer_kind::transfer, {}, "bob", transfer_mode::warm)
      .ok());
  disconnect(agent("bob"), bob);
  advance(5s); // agent_disconnect_grace_ms
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].result, transfer_result::failed);
  EXPECT_EQ(summary(id)->assignee, "alice");
  expect_consistent({"carol"}, {alice, carl, carol});
}

} // namespace
} // namespace baton::actors::testing
