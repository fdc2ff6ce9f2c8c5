// Who may start a conversation and where it waits, before any actor is
// spawned for it.
#include "engine/routing/admission.hpp"

#include <gtest/gtest.h>

#include "tests/engine/config/fixtures.hpp"

namespace baton::engine {
namespace {

constexpr std::string_view centre = R"(
[auth]
secret = "admission-tests-0123456789abcdef01"

[routing]
default_queue = "general"

[limits]
open_conversations_per_customer = 2

[[topics]]
id = "refund"
name = "Refund"
queue = "billing"

[[topics]]
id = "hello"
name = "Hello"

[[queues]]
id = "general"

[[queues]]
id = "billing"

[[agents]]
id = "alice"
queues = ["general"]
)";

class AdmissionTest : public ::testing::Test {
protected:
  config::config cfg = [] {
    auto r = config::testing::load(centre);
    EXPECT_TRUE(r.ok());
    return r.value.value_or(config::config{});
  }();

  admission admit(start_ask ask, std::int64_t open_now = 0) {
    return admit_start(cfg, ask, open_now);
  }
};

TEST_F(AdmissionTest,
       ACustomerWaitsInTheQueueAskedForElseTheTopicsElseTheDefault) {
  EXPECT_EQ(admit({role::customer, {}, {}, "billing", {}}).queue, "billing");
  EXPECT_EQ(admit({role::customer, {}, {}, {}, "refund"}).queue, "billing");
  EXPECT_EQ(admit({role::customer, {}, {}, "general", "refund"}).queue,
            "general")
    << "the queue named wins over the topic's";
  EXPECT_EQ(admit({role::customer, {}, {}, {}, "hello"}).queue, "general")
    << "a topic with no queue of its own: the default";
  EXPECT_EQ(admit({role::customer, {}, {}, {}, {}}).queue, "general");
}

TEST_F(AdmissionTest, OnlyCustomersAndBotsStartConversations) {
  for (auto r : {role::agent, role::supervisor, role::service}) {
    auto a = admit({r, {}, {}, {}, {}});
    EXPECT_EQ(a.error, errc::forbidden) << to_string(r);
    EXPECT_EQ(a.why, "only customers and bots start conversations");
  }
  EXPECT_TRUE(admit({role::bot, "v-1", {}, {}, {}}).ok());
}

TEST_F(AdmissionTest, ABotNamesItsCustomerAndACustomerNamesNone) {
  EXPECT_EQ(admit({role::bot, {}, {}, {}, {}}).error, errc::bad_request);
  EXPECT_EQ(admit({role::customer, "v-2", {}, {}, {}}).error,
            errc::bad_request);
  EXPECT_EQ(admit({role::bot, "v-1", "alice", {}, {}}).why,
            "a bot hands off to a queue, not to one member");
}

TEST_F(AdmissionTest, WhatIsNamedMustExist) {
  auto queue = admit({role::customer, {}, {}, "nope", {}});
  EXPECT_EQ(queue.error, errc::not_found);
  EXPECT_EQ(queue.why, "no such queue: nope");
  EXPECT_EQ(admit({role::customer, {}, {}, {}, "nope"}).why,
            "no such topic: nope");
  EXPECT_EQ(admit({role::customer, {}, "bob", {}, {}}).why,
            "no such member: bob");
  EXPECT_TRUE(admit({role::customer, {}, "alice", {}, {}}).ok());
}

TEST_F(AdmissionTest, ACustomerAtTheOpenLimitIsRefusedAfterEverythingElse) {
  EXPECT_TRUE(admit({role::customer, {}, {}, {}, {}}, 1).ok());
  auto full = admit({role::customer, {}, {}, {}, {}}, 2);
  EXPECT_EQ(full.error, errc::limit_reached);
  EXPECT_EQ(full.why, "too many open conversations: at most 2 per customer "
                      "(limits.open_conversations_per_customer)");
  EXPECT_EQ(admit({role::customer, {}, {}, "nope", {}}, 2).error,
            errc::not_found)
    << "a start that could never succeed says why first";
  EXPECT_FALSE(open_limit_refusal(cfg, 1).has_value());
  EXPECT_TRUE(open_limit_refusal(cfg, 2).has_value());
}

} // namespace
} // namespace baton::engine
