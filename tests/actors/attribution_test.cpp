#include "routing_fixture.hpp"

#include <chrono>

namespace baton::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::errc;

constexpr auto centre = R"(
[attribution]
window_ms = 60000
prefer_non_manager = true

[[queues]]
id = "general"

[[agents]]
id = "alice"
name = "Alice"

[[agents]]
id = "max"
name = "Max"
roles = ["agent", "manager"]
)";

caller service_user() {
  return {"shop", engine::role::service, "shop"};
}

class AttributionTest : public RoutingFixture {
protected:
  void SetUp() override {
    boot(centre);
  }

  /// `agent_id` (the only one ready) takes a new conversation of `customer`.
  std::string routed_to(const std::string& agent_id, recorder_ptr& sink,
                        const std::string& customer_id) {
    sink = login(agent_id);
    auto id = start(customer(customer_id));
    auto offer = sink->last_offer();
    EXPECT_TRUE(offer);
    EXPECT_TRUE(call(agent(agent_id), accept_offer{offer->offer}).ok());
    return id;
  }

  reply ask(const std::string& customer_id, engine::time_ms at,
            const caller& who = service_user()) {
    return call(who, attribution_query{customer_id, at});
  }

  /// The time of the last message the customer saw.
  engine::time_ms sent(const caller& who, const std::string& conversation,
                       const std::string& text) {
    auto out = call(who, send_message{conversation, text, {}});
    EXPECT_TRUE(out.ok()) << out.message;
    auto history = call(customer("cust"),
                        conversation_history{conversation, {}, {}, 500});
    last_ts_ = history.as<history_page>().events.back().ts;
    return last_ts_;
  }

  engine::time_ms last_ts_ = 0;
};

TEST_F(AttributionTest, CreditsTheLastAgentButNotAManagerWhenPreferred) {
  recorder_ptr alice, max;
  auto first = routed_to("alice", alice, "cust");
  auto alice_at = sent(agent("alice"), first, "This one fits you");
  ASSERT_TRUE(
    call(agent("alice"), set_agent_status{engine::agent_status::not_ready, {}})
      .ok());
  advance(1000ms);
  auto second = routed_to("max", max, "cust");
  auto max_at = sent(agent("max"), second, "Shall I add the warranty?");
  ASSERT_GT(max_at, alice_at);

  EXPECT_EQ(ask("cust", max_at).as<credited>().agent, "alice")
    << "max is a manager and alice spoke earlier in the window";
  EXPECT_EQ(ask("cust", alice_at).as<credited>().agent, "alice");
  EXPECT_EQ(ask("cust", alice_at - 1).as<credited>().agent, "")
    << "nobody spoke before";
  EXPECT_EQ(ask("cust", alice_at + 60001).as<credited>().agent, "max")
    << "alice is out of the window: the manager is all there is";
  EXPECT_EQ(ask("cust", max_at + 60001).as<credited>().agent, "");
  EXPECT_EQ(ask("nobody", max_at).as<credited>().agent, "");
}

TEST_F(AttributionTest, CustomerMessagesAndWhispersDoNotCount) {
  recorder_ptr alice;
  auto id = routed_to("alice", alice, "cust");
  ASSERT_TRUE(call(agent("alice"), send_whisper{id, "VIP"}).ok());
  auto at = sent(customer("cust"), id, "I will buy it");
  EXPECT_EQ(ask("cust", at).as<credited>().agent, "");
}

TEST_F(AttributionTest, OnlySupervisorsAndServicesMayAsk) {
  login("alice");
  EXPECT_EQ(ask("cust", 0, agent("alice")).code, errc::forbidden);
  EXPECT_EQ(ask("cust", 0, customer("cust")).code, errc::forbidden);
  EXPECT_TRUE(ask("cust", 0, {"sam", engine::role::supervisor, "Sam"}).ok());
  EXPECT_TRUE(ask("cust", 0).ok());
}

} // namespace
} // namespace baton::actors::testing
