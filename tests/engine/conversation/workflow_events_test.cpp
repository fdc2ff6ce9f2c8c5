#include "tests/engine/conversation/workflow_fixture.hpp"

/// The workflow events: their wire names, which are routing bookkeeping, and
/// which a customer may see.
namespace baton::engine::workflow_testing {
namespace {

transfer_ended ended(offer_kind kind, transfer_result result) {
  return {"t-1", kind, "alice", result, {}, {}};
}

transfer_requested requested(offer_kind kind) {
  transfer_requested t;
  t.kind = kind;
  return t;
}

TEST(WorkflowEventsTest, WireNames) {
  EXPECT_EQ(event_name(requested(offer_kind::transfer)), "transfer.requested");
  EXPECT_EQ(event_name(requested(offer_kind::conference)),
            "conference.requested");
  EXPECT_EQ(event_name(requested(offer_kind::assign)), "assign.requested");
  EXPECT_EQ(event_name(consent_requested{}), "transfer.consent_request");
  EXPECT_EQ(event_name(consent_given{}), "transfer.consent_given");
  using r = transfer_result;
  EXPECT_EQ(event_name(ended(offer_kind::transfer, r::completed)),
            "transfer.completed");
  EXPECT_EQ(event_name(ended(offer_kind::transfer, r::declined)),
            "transfer.declined");
  EXPECT_EQ(event_name(ended(offer_kind::transfer, r::failed)),
            "transfer.failed");
  EXPECT_EQ(event_name(ended(offer_kind::transfer, r::cancelled)),
            "transfer.cancelled");
  EXPECT_EQ(event_name(ended(offer_kind::conference, r::completed)),
            "conference.completed");
  EXPECT_EQ(event_name(ended(offer_kind::conference, r::failed)),
            "conference.failed");
  EXPECT_EQ(event_name(ended(offer_kind::conference, r::cancelled)),
            "conference.cancelled");
  EXPECT_EQ(event_name(ended(offer_kind::assign, r::completed)),
            "assign.completed");
  EXPECT_EQ(event_name(ended(offer_kind::assign, r::failed)), "assign.failed");
  EXPECT_EQ(event_name(ended(offer_kind::assign, r::cancelled)),
            "assign.cancelled");
  EXPECT_EQ(event_name(agent_absent{}), "agent.absent");
  EXPECT_EQ(event_name(handed_off{}), "conversation.handed_off");
  // Back with its bot: to clients, the bot is assigned again.
  EXPECT_EQ(event_name(returned_to_bot{}), "conversation.assigned");
  EXPECT_EQ(event_name(conversation_reopened{}), "conversation.reopened");
}

TEST(WorkflowEventsTest, InternalBookkeeping) {
  EXPECT_TRUE(internal(consent_given{}));
  EXPECT_TRUE(internal(handed_off{}));
  EXPECT_TRUE(internal(conversation_reopened{}));
  EXPECT_FALSE(internal(requested(offer_kind::transfer)));
  EXPECT_FALSE(internal(ended(offer_kind::transfer, transfer_result::failed)));
  EXPECT_FALSE(internal(consent_requested{}));
  EXPECT_FALSE(internal(agent_absent{}));
  EXPECT_FALSE(internal(returned_to_bot{}));
}

TEST(WorkflowEventsTest, WhatTheCustomerSees) {
  auto visible = [](event_body b) {
    return customer_visible(event{1, 0, std::move(b)});
  };
  // Staff business: the request with its note, and how it went.
  EXPECT_FALSE(visible(requested(offer_kind::transfer)));
  EXPECT_FALSE(visible(requested(offer_kind::conference)));
  EXPECT_FALSE(visible(requested(offer_kind::assign)));
  for (auto result : {transfer_result::completed, transfer_result::declined,
                      transfer_result::failed, transfer_result::cancelled})
    EXPECT_FALSE(visible(ended(offer_kind::transfer, result)));
  EXPECT_FALSE(visible(consent_given{}));
  EXPECT_FALSE(visible(handed_off{}));
  EXPECT_FALSE(visible(conversation_reopened{}));
  EXPECT_FALSE(visible(message_posted{alice, "psst", visibility::agents, {}}));
  // Addressed to the customer, or what they see happen.
  EXPECT_TRUE(visible(consent_requested{}));
  EXPECT_TRUE(visible(agent_absent{}));
  EXPECT_TRUE(visible(returned_to_bot{}));
  EXPECT_TRUE(visible(conversation_queued{}));
  EXPECT_TRUE(visible(participant_left{alice, "transferred", {}}));
}

} // namespace
} // namespace baton::engine::workflow_testing
