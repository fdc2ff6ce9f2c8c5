// The conversation workflows through the actors, as each party sees them:
// transfer, consent, conference, takeover, supervision, bots, absence and
// resume (docs/workflows.md).
#include "workflow_fixture.hpp"

#include <chrono>

namespace baton::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::agent_status;
using engine::errc;
using engine::offer_end;
using engine::offer_kind;
using engine::transfer_mode;
using engine::transfer_result;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class WorkflowTest : public WorkflowFixture {
protected:
  void SetUp() override {
    start_centre(true);
  }
};

class WorkflowWithoutConsentTest : public WorkflowFixture {
protected:
  void SetUp() override {
    start_centre(false);
  }
};

TEST_F(WorkflowTest, ColdTransferToAQueueWithConsent) {
  auto id = routed_to_alice("I want my money back");
  call(agent("alice"), send_message{id, "Billing will help", {}});
  call(agent("alice"), send_whisper{id, "angry one"});
  auto asked = ask("alice", id, offer_kind::transfer, "billing", {},
                   transfer_mode::cold, "wants a refund");
  ASSERT_TRUE(asked.ok()) << asked.message;
  ASSERT_FALSE(asked.as<placed>().id.empty());

  auto consent = carol->all<engine::consent_requested>();
  ASSERT_EQ(consent.size(), 1u);
  EXPECT_EQ(consent[0].transfer, asked.as<placed>().id);
  EXPECT_EQ(consent[0].text, "Do you agree that this conversation be "
                             "transferred to another member?");
  EXPECT_EQ(bob->count<offer_notice>(), 0u) << "nothing moves before a yes";
  EXPECT_EQ(alice->count<engine::participant_left>(), 0u);

  auto yes = call(customer("carol"),
                  answer_consent{id, asked.as<placed>().id, true});
  ASSERT_TRUE(yes.ok()) << yes.message;
  auto queued = carol->all<engine::conversation_queued>();
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued.back().text,
            "Your request is being transferred to Billing, please wait!");
  auto left = alice->all<engine::participant_left>();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].who.id, "alice");
  EXPECT_EQ(left[0].reason, "transferred");
  EXPECT_EQ(notices(*alice),
            (std::vector<std::string>{
              "Transfer request placed successfully",
              "Conversation is closed due to CHAT TRANSFERRED"}));
  EXPECT_EQ(load_of("alice"), 0);

  // ring_all: both billing agents are offered it, alice is not.
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  ASSERT_EQ(carl->count<offer_notice>(), 1u);
  EXPECT_EQ(alice->count<offer_notice>(), 1u) << "only the first offer";
  auto offer = *bob->last_offer();
  EXPECT_EQ(offer.kind, offer_kind::transfer);
  EXPECT_EQ(offer.from_agent, "alice");
  EXPECT_EQ(offer.note, "wants a refund");
  EXPECT_TRUE(contains(offer.content, "Conversation transferred by Alice at"))
    << offer.content;
  EXPECT_TRUE(contains(offer.content, "wants a refund")) << offer.content;
  EXPECT_TRUE(contains(offer.content, "Conversation history:"))
    << offer.content;
  EXPECT_TRUE(contains(offer.content, "I want my money back")) << offer.content;
  EXPECT_TRUE(contains(offer.content, "Billing will help")) << offer.content;
  EXPECT_FALSE(contains(offer.content, "angry one"))
    << "whispers stay out of the content";
  EXPECT_EQ(alice->count<engine::transfer_ended>(), 0u);

  ASSERT_TRUE(accept("bob", bob).ok());
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].transfer, asked.as<placed>().id);
  EXPECT_EQ(ended[0].result, transfer_result::completed);
  auto revoked = carl->all<offer_revoked_notice>();
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].reason, offer_end::taken);
  auto s = summary(id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->assignee, "bob");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"bob"}));
  EXPECT_EQ(transfers(offer_kind::transfer, transfer_result::completed), 1);
  EXPECT_EQ(carol->count<engine::transfer_ended>(), 0u)
    << "only the requester hears how it went";
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowTest, CustomerSaysNoAndNothingChanges) {
  auto id = routed_to_alice();
  auto asked = ask("alice", id, offer_kind::transfer, "billing", {});
  ASSERT_TRUE(asked.ok()) << asked.message;
  ASSERT_TRUE(
    call(customer("carol"), answer_consent{id, asked.as<placed>().id, false})
      .ok());
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].result, transfer_result::declined);
  EXPECT_EQ(bob->count<offer_notice>(), 0u);
  EXPECT_EQ(summary(id)->assignee, "alice");
  EXPECT_EQ(transfers(offer_kind::transfer, transfer_result::declined), 1);
  // A second answer finds nothing to answer.
  EXPECT_NE(call(customer("carol"),
                 answer_consent{id, asked.as<placed>().id, true})
              .code,
            errc::ok);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowWithoutConsentTest, WarmTransferToAnAgent) {
  auto id = routed_to_alice("hello");
  auto asked = ask("alice", id, offer_kind::transfer, {}, "bob",
                   transfer_mode::warm, "knows the account");
  ASSERT_TRUE(asked.ok()) << asked.message;
  EXPECT_EQ(carol->count<engine::consent_requested>(), 0u);
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  EXPECT_EQ(carl->count<offer_notice>(), 0u) << "only the named agent";
  auto offer = *bob->last_offer();
  EXPECT_EQ(offer.kind, offer_kind::transfer);
  EXPECT_EQ(offer.from_agent, "alice");
  EXPECT_EQ(offer.note, "knows the account");
  EXPECT_TRUE(contains(offer.content, "Conversation transferred by Alice"))
    << offer.content;
  // Warm: alice stays until bob accepts.
  EXPECT_EQ(alice->count<engine::participant_left>(), 0u);
  EXPECT_EQ(summary(id)->assignee, "alice");
  EXPECT_EQ(notices(*alice),
            (std::vector<std::string>{"Transfer request placed successfully"}));
  EXPECT_TRUE(
    call(agent("alice"), send_message{id, "Bob is joining us", {}}).ok());

  ASSERT_TRUE(accept("bob", bob).ok());
  auto left = carol->all<engine::participant_left>();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].who.id, "alice");
  EXPECT_EQ(left[0].reason, "transferred");
  EXPECT_EQ(carol->count<engine::participant_joined>(), 2u);
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].result, transfer_result::completed);
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "bob");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"bob"}));
  EXPECT_EQ(load_of("alice"), 0);
  EXPECT_EQ(load_of("bob"), 1);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowWithoutConsentTest, WarmTransferRefusedByTheTargetFails) {
  auto id = routed_to_alice();
  auto asked = ask("alice", id, offer_kind::transfer, {}, "bob",
                   transfer_mode::warm);
  ASSERT_TRUE(asked.ok()) << asked.message;
  ASSERT_TRUE(
    call(agent("bob"), reject_offer{bob->last_offer()->offer, "busy"}).ok());
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].result, transfer_result::failed);
  EXPECT_EQ(ended[0].transfer, asked.as<placed>().id);
  EXPECT_EQ(alice->count<engine::participant_left>(), 0u);
  EXPECT_EQ(summary(id)->assignee, "alice");
  EXPECT_EQ(transfers(offer_kind::transfer, transfer_result::failed), 1);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
  // Alice carries on, and may ask again.
  EXPECT_TRUE(call(agent("alice"), send_message{id, "still me", {}}).ok());
  EXPECT_TRUE(
    ask("alice", id, offer_kind::transfer, {}, "bob", transfer_mode::warm)
      .ok());
}

TEST_F(WorkflowWithoutConsentTest,
       ConferenceViaAQueueGoesOnWhenTheFirstLeaves) {
  auto id = routed_to_alice();
  auto asked = ask("alice", id, offer_kind::conference, "billing", {},
                   transfer_mode::cold, "second opinion");
  ASSERT_TRUE(asked.ok()) << asked.message;
  EXPECT_EQ(notices(*alice),
            (std::vector<std::string>{
              "Conference request has been successfully placed"}));
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  EXPECT_EQ(bob->last_offer()->kind, offer_kind::conference);
  EXPECT_EQ(bob->last_offer()->note, "second opinion");
  EXPECT_EQ(carol->count<engine::conversation_queued>(), 1u)
    << "the customer is not told of a conference's queue";
  ASSERT_TRUE(accept("bob", bob).ok());
  EXPECT_EQ(carl->all<offer_revoked_notice>().at(0).reason, offer_end::taken);
  auto s = summary(id);
  EXPECT_EQ(s->agents.size(), 2u);
  EXPECT_EQ(alice->count<engine::participant_joined>(), 2u);
  EXPECT_EQ(alice->all<engine::transfer_ended>().at(0).result,
            transfer_result::completed);
  EXPECT_EQ(transfers(offer_kind::conference, transfer_result::completed), 1);
  // Equal rights: bob speaks and whispers as alice does.
  EXPECT_TRUE(call(agent("bob"), send_message{id, "hi, Bob here", {}}).ok());
  EXPECT_TRUE(call(agent("bob"), send_whisper{id, "got it"}).ok());
  expect_consistent({"carol"}, {alice, bob, carl, carol});

  ASSERT_TRUE(call(agent("alice"), leave_conversation{id}).ok());
  auto left = carol->all<engine::participant_left>();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].who.id, "alice");
  EXPECT_EQ(left[0].reason, "left");
  s = summary(id);
  EXPECT_EQ(s->state, engine::conversation_state::assigned);
  EXPECT_EQ(s->assignee, "bob");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"bob"}));
  EXPECT_EQ(call(agent("bob"), leave_conversation{id}).code,
            errc::invalid_state)
    << "the only agent cannot leave";
  EXPECT_EQ(call(agent("alice"), send_message{id, "me again", {}}).code,
            errc::forbidden);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowWithoutConsentTest, ConferenceWithNobodyFails) {
  call(agent("bob"), set_agent_status{engine::agent_status::not_ready, {}});
  call(agent("carl"), set_agent_status{engine::agent_status::not_ready, {}});
  auto id = routed_to_alice();
  ASSERT_TRUE(ask("alice", id, offer_kind::conference, "billing", {}).ok());
  advance(59s);
  EXPECT_EQ(alice->count<engine::transfer_ended>(), 0u);
  advance(1s); // billing's wait_timeout_ms
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].kind, offer_kind::conference);
  EXPECT_EQ(ended[0].result, transfer_result::failed);
  EXPECT_EQ(ended[0].text,
            "No agents were available to join the conference conversation");
  auto s = summary(id);
  EXPECT_EQ(s->state, engine::conversation_state::assigned);
  EXPECT_EQ(s->assignee, "alice");
  EXPECT_EQ(carol->count<engine::no_agents>(), 0u);
  EXPECT_EQ(transfers(offer_kind::conference, transfer_result::failed), 1);
  // Nothing is left waiting in billing.
  call(agent("carl"), set_agent_status{engine::agent_status::ready, {}});
  EXPECT_EQ(carl->count<offer_notice>(), 0u);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowTest, TakeoverAndSend) {
  auto tess = login("tess");
  auto id = routed_to_alice();
  EXPECT_EQ(call(agent("bob"), take_over{id, "mine"}).code, errc::forbidden);
  auto out = call(agent("tess"), take_over{id, "Hi, Tess here"});
  ASSERT_TRUE(out.ok()) << out.message;
  auto left = alice->all<engine::participant_left>();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].reason, "taken_over");
  auto said = carol->all<engine::message_posted>();
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0].from.id, "tess");
  EXPECT_EQ(said[0].text, "Hi, Tess here");
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "tess");
  EXPECT_EQ(s->agents, (std::vector<std::string>{"tess"}));
  EXPECT_EQ(load_of("alice"), 0);
  EXPECT_EQ(load_of("tess"), 1);
  expect_consistent({"carol"}, {alice, bob, carl, carol, tess});
}

TEST_F(WorkflowWithoutConsentTest, SupervisorAssignsAndUnassigns) {
  // Returns is a pull queue: the conversation waits there for a pick.
  auto id = start(customer("carol"), "returns");
  EXPECT_EQ(bob->count<offer_notice>(), 0u);
  EXPECT_EQ(call(agent("alice"), assign_conversation{id, "bob"}).code,
            errc::forbidden);
  auto assigned = call(supervisor(), assign_conversation{id, "bob"});
  ASSERT_TRUE(assigned.ok()) << assigned.message;
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  EXPECT_EQ(bob->last_offer()->kind, offer_kind::assign);
  ASSERT_TRUE(accept("bob", bob).ok());
  EXPECT_EQ(summary(id)->assignee, "bob");
  EXPECT_EQ(load_of("bob"), 1);

  unassign_conversation un;
  un.conversation = id;
  un.to_queue = "billing";
  un.topic = "refund";
  un.note = "billing matter";
  auto out = call(supervisor(), un);
  ASSERT_TRUE(out.ok()) << out.message;
  auto left = carol->all<engine::participant_left>();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].who.id, "bob");
  EXPECT_EQ(load_of("bob"), 0);
  ASSERT_EQ(carl->count<offer_notice>(), 1u);
  EXPECT_EQ(bob->count<offer_notice>(), 1u) << "bob handed it over";
  EXPECT_EQ(carl->last_offer()->note, "billing matter");
  ASSERT_TRUE(accept("carl", carl).ok());
  EXPECT_EQ(summary(id)->assignee, "carl");
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowTest, MonitorSeesWhispersAndNobodyIsTold) {
  auto sam = connect(supervisor());
  auto id = routed_to_alice();
  EXPECT_EQ(call(agent("bob"), monitor_conversation{id}).code, errc::forbidden);
  ASSERT_TRUE(call(supervisor(), monitor_conversation{id}).ok());
  call(customer("carol"), send_message{id, "hello?", {}});
  call(agent("alice"), send_whisper{id, "checking the order"});
  auto seen = sam->all<engine::message_posted>();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].visibility, engine::visibility::agents);
  EXPECT_EQ(carol->count<engine::participant_joined>(), 1u)
    << "only alice joined";
  for (const auto& m : carol->all<engine::message_posted>())
    EXPECT_EQ(m.visibility, engine::visibility::all);
  EXPECT_EQ(summary(id)->agents, (std::vector<std::string>{"alice"}));
}

TEST_F(WorkflowTest, BotHandsOffAndGetsTheConversationBack) {
  caller helper{"helper", engine::role::bot, "Helper"};
  auto bot = connect(helper);
  start_conversation r;
  r.customer = "carol";
  r.customer_name = "Carol";
  auto started = call(helper, r);
  ASSERT_TRUE(started.ok()) << started.message;
  auto id = started.as<opened>().conversation;
  EXPECT_EQ(summary(id)->state, engine::conversation_state::bot);
  EXPECT_EQ(alice->count<offer_notice>(), 0u) << "the bot holds it";
  call(customer("carol"), send_message{id, "my parcel is late", {}});
  ASSERT_TRUE(call(helper, send_message{id, "Let me find someone", {}}).ok());
  EXPECT_EQ(bot->count<engine::message_posted>(), 2u);

  EXPECT_EQ(call(customer("carol"), hand_off{id, {}, {}, "x"}).code,
            errc::forbidden);
  auto handed = call(helper, hand_off{id, "sales", {}, "Parcel 123 is late"});
  ASSERT_TRUE(handed.ok()) << handed.message;
  ASSERT_EQ(alice->count<offer_notice>(), 1u);
  auto content = alice->last_offer()->content;
  EXPECT_TRUE(contains(content, "Parcel 123 is late")) << content;
  EXPECT_TRUE(contains(content, "my parcel is late")) << content;
  ASSERT_TRUE(accept("alice", alice).ok());
  EXPECT_EQ(summary(id)->assignee, "alice");
  EXPECT_EQ(load_of("alice"), 1);

  ASSERT_TRUE(call(agent("alice"), close_conversation{id, {}}).ok());
  auto s = summary(id);
  EXPECT_EQ(s->state, engine::conversation_state::bot);
  EXPECT_EQ(bot->count<engine::returned_to_bot>(), 1u);
  EXPECT_EQ(carol->count<engine::conversation_closed>(), 0u);
  EXPECT_EQ(load_of("alice"), 0);
  EXPECT_TRUE(call(helper, send_message{id, "Anything else?", {}}).ok());
  expect_consistent({"carol"}, {alice, bob, carl, carol, bot});
}

TEST_F(WorkflowTest, DirectConversationAbsentThenAnyoneElse) {
  start_conversation r;
  r.agent = "alice";
  r.topic = "refund";
  r.text = "Alice helped me before";
  auto started = call(customer("carol"), r);
  ASSERT_TRUE(started.ok()) << started.message;
  auto id = started.as<opened>().conversation;
  ASSERT_EQ(alice->count<offer_notice>(), 1u);
  EXPECT_EQ(alice->last_offer()->kind, offer_kind::direct);
  EXPECT_EQ(bob->count<offer_notice>(), 0u) << "only the member";
  EXPECT_EQ(call(customer("carol"), request_other{id}).code,
            errc::invalid_state)
    << "not before the member was absent";
  advance(4999ms);
  EXPECT_EQ(carol->count<engine::agent_absent>(), 0u);
  advance(1ms);
  auto absent = carol->all<engine::agent_absent>();
  ASSERT_EQ(absent.size(), 1u);
  EXPECT_EQ(absent[0].agent.id, "alice");
  EXPECT_EQ(absent[0].text, "Alice is not available right now. You may keep "
                            "waiting or ask for another member.");
  EXPECT_EQ(alice->count<offer_revoked_notice>(), 1u);

  ASSERT_TRUE(call(customer("carol"), request_other{id}).ok());
  auto queued = carol->all<engine::conversation_queued>();
  ASSERT_FALSE(queued.empty());
  EXPECT_TRUE(contains(queued.back().content,
                       "New request created by the visitor because Alice was "
                       "not available to handle the conversation quickly."))
    << queued.back().content;
  // Someone of sales is offered it, with the content and the topic kept.
  auto offered = bob->count<offer_notice>() == 1u ? bob : alice;
  auto who = offered == bob ? "bob" : "alice";
  auto offer = *offered->last_offer();
  EXPECT_EQ(offer.kind, offer_kind::new_);
  EXPECT_EQ(offer.topic, "refund");
  EXPECT_TRUE(contains(offer.content, "was not available")) << offer.content;
  ASSERT_TRUE(accept(who, offered).ok());
  EXPECT_EQ(summary(id)->assignee, who);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowTest,
       ACustomerWhoDoesNotChooseAfterAbsenceKeepsWaitingInTheQueue) {
  auto id = absent_alice();
  advance(59999ms);
  EXPECT_EQ(carol->count<engine::conversation_queued>(), 0u)
    << "her choice waits absence.choice_timeout_ms";
  EXPECT_EQ(bob->count<offer_notice>(), 0u);

  advance(1ms);
  auto queued = carol->all<engine::conversation_queued>();
  ASSERT_EQ(queued.size(), 1u) << "she kept waiting: anyone of sales is asked";
  EXPECT_TRUE(contains(queued[0].content, "Alice was not available"))
    << queued[0].content;
  EXPECT_EQ(bob->count<offer_notice>(), 1u);
  EXPECT_EQ(alice->count<offer_notice>(), 1u) << "only the direct offer";
  EXPECT_EQ(call(customer("carol"), request_other{id}).code,
            errc::invalid_state)
    << "nothing left to choose";
}

TEST_F(WorkflowTest, AnAbsentMembersConversationAssignedIsNotQueuedByTheTimer) {
  auto id = absent_alice();
  ASSERT_TRUE(call(supervisor(), assign_conversation{id, "bob"}).ok());
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  ASSERT_TRUE(accept("bob", bob).ok());
  advance(60s);
  EXPECT_EQ(carol->count<engine::conversation_queued>(), 0u)
    << "a supervisor chose for her: the queue is not asked";
  EXPECT_EQ(summary(id)->assignee, "bob");
  EXPECT_EQ(call(customer("carol"), request_other{id}).code,
            errc::invalid_state);
}

TEST_F(WorkflowTest, AChoiceMadeInTimeLeavesTheTimerNothingToDo) {
  auto id = absent_alice();
  ASSERT_TRUE(call(customer("carol"), request_other{id}).ok());
  ASSERT_EQ(carol->count<engine::conversation_queued>(), 1u);
  advance(60s);
  EXPECT_EQ(carol->count<engine::conversation_queued>(), 1u)
    << "queued once, by her own choice";
}

TEST_F(WorkflowTest, RequestOtherDoesNotAskTheAbsentMemberFirst) {
  auto id = absent_alice();
  ASSERT_TRUE(call(customer("carol"), request_other{id}).ok());
  ASSERT_EQ(bob->count<offer_notice>(), 1u)
    << "another member, not the one who was just absent, is asked";
  EXPECT_EQ(alice->count<offer_notice>(), 1u) << "only the direct offer";
}

TEST_F(WorkflowTest, ADirectOfferRunningOutIsNotAMissedOffer) {
  start_conversation r;
  r.agent = "alice";
  for (int round = 1; round <= 3; ++round) {
    ASSERT_TRUE(call(customer("carol"), r).ok());
    advance(std::chrono::seconds(5));
    ASSERT_EQ(carol->count<engine::agent_absent>(), std::size_t(round));
  }
  for (const auto& status : alice->all<agent_status_notice>())
    EXPECT_NE(status.status, agent_status::not_ready)
      << "three direct offers ran out (routing.max_missed_offers is 3): "
      << status.reason;
}

TEST_F(WorkflowTest, ASecondDirectConversationFindsTheMemberAbsentAtOnce) {
  start_conversation r;
  r.agent = "alice";
  ASSERT_TRUE(call(customer("carol"), r).ok());
  ASSERT_EQ(alice->count<offer_notice>(), 1u);
  auto dora = connect(customer("dora"));
  ASSERT_TRUE(call(customer("dora"), r).ok());
  EXPECT_EQ(dora->count<engine::agent_absent>(), 1u)
    << "alice (capacity 2) holds one direct offer at a time";
  EXPECT_EQ(alice->count<offer_notice>(), 1u);
  EXPECT_EQ(carol->count<engine::agent_absent>(), 0u);
}

TEST_F(WorkflowTest, ADirectOfferTakesASlotOnlyOnceAccepted) {
  // Carl (capacity 1) is the only one billing may ask.
  ASSERT_TRUE(
    call(agent("bob"), set_agent_status{agent_status::not_ready, {}}).ok());
  start_conversation direct;
  direct.agent = "carl";
  ASSERT_TRUE(call(customer("carol"), direct).ok());
  ASSERT_EQ(carl->count<offer_notice>(), 1u);
  auto named = *carl->last_offer();
  EXPECT_EQ(load_of("carl"), 0) << "a customer naming him takes no slot";

  auto dora = connect(customer("dora"));
  start_conversation queued;
  queued.queue = "billing";
  auto billing = call(customer("dora"), queued);
  ASSERT_TRUE(billing.ok()) << billing.message;
  EXPECT_EQ(dora->count<engine::conversation_queued>(), 1u);
  ASSERT_EQ(carl->count<offer_notice>(), 2u)
    << "billing routes to him: his one slot is free";
  ASSERT_TRUE(accept("carl", carl).ok());
  auto full = call(agent("carl"), accept_offer{named.offer});
  EXPECT_EQ(full.code, errc::invalid_state) << full.message;

  ASSERT_TRUE(call(agent("carl"),
                   close_conversation{billing.as<opened>().conversation, {}})
                .ok());
  EXPECT_TRUE(call(agent("carl"), accept_offer{named.offer}).ok())
    << "a slot is free again, and the offer still open";
  EXPECT_EQ(load_of("carl"), 1);
}

TEST_F(WorkflowTest, TransferOfferCarriesTheReasonAsItsTopic) {
  auto id = routed_to_alice();
  auto asked = ask("alice", id, offer_kind::transfer, "billing", {});
  ASSERT_TRUE(asked.ok()) << asked.message;
  ASSERT_TRUE(
    call(customer("carol"), answer_consent{id, asked.as<placed>().id, true})
      .ok());
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  EXPECT_EQ(bob->last_offer()->topic, "refund");
  EXPECT_EQ(carl->last_offer()->topic, "refund");
}

TEST_F(WorkflowTest, ResumeKeepsTheWholeHistory) {
  auto id = routed_to_alice("first visit");
  call(agent("alice"), send_message{id, "done, bye", {}});
  ASSERT_TRUE(call(customer("carol"), close_conversation{id, {}}).ok());
  EXPECT_EQ(load_of("alice"), 0);
  EXPECT_EQ(call(customer("dave"), resume_conversation{id}).code,
            errc::not_found);
  ASSERT_TRUE(call(customer("carol"), resume_conversation{id}).ok());
  EXPECT_EQ(summary(id)->state, engine::conversation_state::offered);
  ASSERT_EQ(alice->count<offer_notice>(), 2u);
  ASSERT_TRUE(accept("alice", alice).ok());
  call(customer("carol"), send_message{id, "one more thing", {}});
  conversation_history all;
  all.conversation = id;
  all.limit = 500;
  std::vector<std::string> texts;
  for (const auto& e : call(customer("carol"), all).as<history_page>().events)
    if (const auto* m = std::get_if<engine::message_posted>(&e.body))
      texts.push_back(m->text);
  EXPECT_EQ(texts, (std::vector<std::string>{"first visit", "done, bye",
                                             "one more thing"}));
  EXPECT_EQ(call(customer("carol"), resume_conversation{id}).code,
            errc::invalid_state)
    << "only a closed conversation";
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

} // namespace
} // namespace baton::actors::testing

namespace baton::actors::testing {
namespace {

TEST_F(WorkflowWithoutConsentTest,
       ATransferGoesAheadOfThoseWaitingWithItsBoost) {
  call(agent("bob"), set_agent_status{engine::agent_status::not_ready, {}});
  call(agent("carl"), set_agent_status{engine::agent_status::not_ready, {}});
  // Dave has waited in billing longer than carol's conversation exists.
  auto dave = connect(customer("dave"));
  auto waiting = start(customer("dave"), "billing");
  advance(std::chrono::seconds(5));
  auto id = routed_to_alice();
  advance(std::chrono::seconds(5));
  ASSERT_TRUE(ask("alice", id, offer_kind::transfer, "billing", {}).ok());
  // A waiting list cut to its top lists by age, not by place in line.
  list_waiting top;
  top.limit = 1;
  auto listed = call(agent("carl"), top).as<waiting_list>();
  ASSERT_EQ(listed.entries.size(), 1u);
  EXPECT_EQ(listed.entries[0].conversation, waiting);
  EXPECT_TRUE(listed.more);
  call(agent("carl"), set_agent_status{engine::agent_status::ready, {}});
  ASSERT_EQ(carl->count<offer_notice>(), 1u);
  EXPECT_EQ(carl->got.back()->conversation, id)
    << "the transfer's priority_boost puts it before " << waiting;
  ASSERT_TRUE(accept("carl", carl).ok());
  expect_consistent({"carol", "dave"}, {alice, bob, carl, carol, dave});
}

TEST_F(WorkflowWithoutConsentTest, AssignmentsAreCounted) {
  auto id = start(customer("carol"), "returns");
  ASSERT_TRUE(call(supervisor(), assign_conversation{id, "bob"}).ok());
  ASSERT_TRUE(
    call(agent("bob"), reject_offer{bob->last_offer()->offer, {}}).ok());
  EXPECT_EQ(transfers(offer_kind::assign, transfer_result::failed), 1);
  EXPECT_EQ(summary(id)->state, engine::conversation_state::queued)
    << "back in its waiting list";
  ASSERT_TRUE(call(supervisor(), assign_conversation{id, "bob"}).ok());
  ASSERT_TRUE(accept("bob", bob).ok());
  EXPECT_EQ(transfers(offer_kind::assign, transfer_result::completed), 1);
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

} // namespace
} // namespace baton::actors::testing

namespace baton::actors::testing {
namespace {

TEST_F(WorkflowWithoutConsentTest, WarmTransferToAQueueWithNobodyFails) {
  call(agent("bob"), set_agent_status{engine::agent_status::not_ready, {}});
  call(agent("carl"), set_agent_status{engine::agent_status::not_ready, {}});
  auto id = routed_to_alice();
  ASSERT_TRUE(
    ask("alice", id, offer_kind::transfer, "billing", {}, transfer_mode::warm)
      .ok());
  advance(std::chrono::seconds(60)); // billing's wait_timeout_ms
  auto ended = alice->all<engine::transfer_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].result, transfer_result::failed);
  EXPECT_EQ(carol->count<engine::no_agents>(), 0u);
  auto s = summary(id);
  EXPECT_EQ(s->state, engine::conversation_state::assigned);
  EXPECT_EQ(s->assignee, "alice");
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowWithoutConsentTest, ColdTransferRefusedByTheAgentGoesBack) {
  auto id = routed_to_alice();
  ASSERT_TRUE(ask("alice", id, offer_kind::transfer, {}, "carl").ok());
  EXPECT_EQ(load_of("alice"), 0) << "cold: alice left at once";
  ASSERT_TRUE(
    call(agent("carl"), reject_offer{carl->last_offer()->offer, {}}).ok());
  EXPECT_EQ(alice->all<engine::transfer_ended>().at(0).result,
            transfer_result::failed);
  // Back in sales, where bob (alice handed it over) is offered it.
  ASSERT_EQ(bob->count<offer_notice>(), 1u);
  EXPECT_EQ(bob->last_offer()->queue, "sales");
  ASSERT_TRUE(accept("bob", bob).ok());
  EXPECT_EQ(summary(id)->assignee, "bob");
  expect_consistent({"carol"}, {alice, bob, carl, carol});
}

TEST_F(WorkflowTest, SupervisorTakesOverWithoutAnAgentSlot) {
  auto sam = connect(supervisor());
  auto id = routed_to_alice();
  ASSERT_TRUE(call(supervisor(), take_over{id, "Sam here"}).ok());
  auto s = summary(id);
  EXPECT_EQ(s->assignee, "sam");
  EXPECT_EQ(load_of("alice"), 0);
  EXPECT_EQ(sam->count<engine::message_posted>(), 1u);
  ASSERT_TRUE(call(supervisor(), close_conversation{id, {}}).ok());
  EXPECT_EQ(summary(id)->state, engine::conversation_state::closed);
  expect_consistent({"carol"}, {alice, bob, carl, carol, sam});
}

} // namespace
} // namespace baton::actors::testing
