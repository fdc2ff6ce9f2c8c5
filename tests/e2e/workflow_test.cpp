// The workflows after routing, through real sockets: transfer with consent,
// warm transfer, conference, whisper, monitor, takeover, supervisor
// assignment, bots, direct conversations with absence, resume.

#include <csignal>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

/// Topics, consent on, short timeouts: the workflows' configuration.
constexpr const char* workflow_toml = R"(
[transfer]
require_reason = true
require_consent = true
consent_timeout_ms = 1800

[absence]
direct_response_timeout_ms = 600

[[topics]]
id = "billing"
name = "Billing"
)";

class WorkflowTest : public server_test {
protected:
  bool start(bool consent = true) {
    server_config c;
    c.extra_toml = workflow_toml;
    if (!consent)
      c.extra_toml.replace(c.extra_toml.find("require_consent = true"),
                           std::string_view("require_consent = true").size(),
                           "require_consent = false");
    return start_server(c);
  }

  std::optional<json::object> ask(ws_client& c, json::object req) {
    req["id"] = next_id();
    return c.request(req, reply_timeout);
  }

  /// A conversation of `customer` assigned to `agent` (which must be the
  /// only ready agent of `general`).
  std::string routed_to(ws_client& customer, ws_client& agent,
                        std::string_view text = "Where is my parcel?") {
    auto c = start_conversation(customer, text);
    if (c.empty() || !accept_offer(agent, c))
      return {};
    return c;
  }

  /// Alice asks for a warm transfer of `conversation` to bob: bob's offer.
  std::optional<json::object>
  warm_transfer_to_bob(ws_client& alice, ws_client& bob, const std::string& c) {
    auto ok = ask(alice, {{"type", "transfer.request"},
                          {"conversation", c},
                          {"to_agent", "bob"},
                          {"topic", "billing"},
                          {"mode", "warm"}});
    if (!is_ok(ok)) {
      ADD_FAILURE() << "transfer.request: " << dump(ok);
      return std::nullopt;
    }
    return event(bob, "offer", c);
  }

  /// The next event of `type` about `conversation`.
  static std::optional<json::object> event(ws_client& c, std::string_view type,
                                           std::string_view conversation) {
    return c.wait_for(type, "conversation", conversation, reply_timeout);
  }

  /// True when nothing of `type` about `conversation` arrives for a while.
  static bool never(ws_client& c, std::string_view type,
                    std::string_view conversation) {
    return !c.wait_for(type, "conversation", conversation, quiet_period);
  }
};

TEST_F(WorkflowTest, ColdTransferToAQueueWithConsent) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto carol = login(role::agent, "carol");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  make_ready(carol);

  auto ok = ask(alice, {{"type", "transfer.request"},
                        {"conversation", c},
                        {"to_queue", "sales"},
                        {"topic", "billing"},
                        {"note", "Wants a refund"}});
  ASSERT_TRUE(is_ok(ok)) << dump(ok);
  auto transfer = str(ok, "transfer");
  ASSERT_FALSE(transfer.empty());

  auto consent = event(customer, "transfer.consent_request", c);
  ASSERT_TRUE(consent);
  EXPECT_EQ(str(consent, "transfer"), transfer);
  EXPECT_EQ(str(consent, "text"), "Do you agree that this conversation be "
                                  "transferred to another member?");
  EXPECT_TRUE(never(carol, "offer", c)) << "offered before the customer agreed";

  ASSERT_TRUE(is_ok(ask(customer, {{"type", "transfer.consent"},
                                   {"conversation", c},
                                   {"transfer", transfer},
                                   {"accept", true}})));
  auto left = event(alice, "participant.left", c);
  ASSERT_TRUE(left);
  EXPECT_EQ(str(left, "reason"), "transferred");
  EXPECT_TRUE(alice.wait_for(
    "notice", "text", "Transfer request placed successfully", reply_timeout));
  EXPECT_TRUE(alice.wait_for("notice", "text",
                             "Conversation is closed due to CHAT TRANSFERRED",
                             reply_timeout));
  EXPECT_TRUE(customer.wait_for(
    "conversation.queued", "text",
    "Your request is being transferred to Sales, please wait!", reply_timeout));

  auto offer = event(carol, "offer", c);
  ASSERT_TRUE(offer);
  EXPECT_EQ(str(offer, "kind"), "transfer");
  EXPECT_EQ(str(offer, "topic"), "billing");
  EXPECT_EQ(str(offer, "from_agent"), "alice");
  EXPECT_EQ(str(offer, "note"), "Wants a refund");
  auto content = str(offer, "content");
  EXPECT_EQ(content.rfind("Conversation transferred by Alice at ", 0), 0u)
    << content;
  EXPECT_NE(content.find("Wants a refund\nConversation history:\n"),
            std::string::npos)
    << content;
  EXPECT_NE(content.find("): Where is my parcel?"), std::string::npos)
    << content;
  ASSERT_TRUE(is_ok(
    ask(carol, {{"type", "offer.accept"}, {"offer", str(offer, "offer")}})));

  auto completed = alice.wait_for("transfer.completed", reply_timeout);
  ASSERT_TRUE(completed);
  EXPECT_EQ(str(completed, "transfer"), transfer);
  EXPECT_TRUE(customer.wait_for("participant.joined", "text",
                                "Carol has joined the conversation",
                                reply_timeout));
  EXPECT_TRUE(never(customer, "transfer.completed", c));
}

TEST_F(WorkflowTest, DeclinedConsentChangesNothing) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  auto ok = ask(alice, {{"type", "transfer.request"},
                        {"conversation", c},
                        {"to_queue", "sales"},
                        {"topic", "billing"}});
  ASSERT_TRUE(is_ok(ok));
  auto transfer = str(ok, "transfer");
  ASSERT_TRUE(event(customer, "transfer.consent_request", c));
  ASSERT_TRUE(is_ok(ask(customer, {{"type", "transfer.consent"},
                                   {"conversation", c},
                                   {"transfer", transfer},
                                   {"accept", false}})));
  auto declined = alice.wait_for("transfer.declined", reply_timeout);
  ASSERT_TRUE(declined);
  EXPECT_EQ(str(declined, "reason"), "customer");
  EXPECT_TRUE(never(alice, "participant.left", c));
  // Still hers: she can write and the customer reads it.
  ASSERT_TRUE(is_ok(ask(alice, {{"type", "message.send"},
                                {"conversation", c},
                                {"text", "I stay with you"}})));
  EXPECT_TRUE(
    customer.wait_for("message", "text", "I stay with you", reply_timeout));
}

TEST_F(WorkflowTest, UnansweredConsentTimesOut) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(is_ok(ask(alice, {{"type", "transfer.request"},
                                {"conversation", c},
                                {"to_agent", "bob"},
                                {"topic", "billing"}})));
  auto declined = alice.wait_for("transfer.declined", reply_timeout);
  ASSERT_TRUE(declined);
  EXPECT_EQ(str(declined, "reason"), "timeout");
}

TEST_F(WorkflowTest, TransferRefusals) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  auto transfer = [&](ws_client& who, json::object extra) {
    json::object req{{"type", "transfer.request"}, {"conversation", c}};
    for (auto& [k, v] : extra)
      req[k] = v;
    return error_code(ask(who, std::move(req)));
  };
  EXPECT_EQ(transfer(alice, {{"to_queue", "sales"}}), "bad_request")
    << "a reason is required";
  EXPECT_EQ(transfer(alice, {{"to_queue", "nowhere"}, {"topic", "billing"}}),
            "not_found");
  EXPECT_EQ(transfer(alice, {{"to_agent", "zed"}, {"topic", "billing"}}),
            "not_found");
  EXPECT_EQ(transfer(alice, {{"to_queue", "sales"}, {"topic", "nope"}}),
            "not_found");
  EXPECT_EQ(transfer(bob, {{"to_queue", "sales"}, {"topic", "billing"}}),
            "forbidden")
    << "not a participant";
  EXPECT_EQ(transfer(customer, {{"to_queue", "sales"}, {"topic", "billing"}}),
            "forbidden");
  EXPECT_EQ(transfer(alice, {{"to_queue", "sales"}, {"topic", "billing"}}), "");
  EXPECT_EQ(transfer(alice, {{"to_queue", "sales"}, {"topic", "billing"}}),
            "invalid_state")
    << "one transfer at a time";
}

TEST_F(WorkflowTest, WarmTransferKeepsTheRequesterUntilTheNewAgentJoins) {
  ASSERT_TRUE(start(false));
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  make_ready(bob);
  auto offer = warm_transfer_to_bob(alice, bob, c);
  ASSERT_TRUE(offer);
  EXPECT_EQ(str(offer, "kind"), "transfer");
  EXPECT_TRUE(never(alice, "participant.left", c))
    << "a warm transfer's requester stays until someone accepts";
  ASSERT_TRUE(is_ok(
    ask(bob, {{"type", "offer.accept"}, {"offer", str(offer, "offer")}})));
  auto joined = event(customer, "participant.joined", c);
  ASSERT_TRUE(joined);
  auto left = event(customer, "participant.left", c);
  ASSERT_TRUE(left);
  EXPECT_EQ(str(left.value().at("participant").as_object(), "id"), "alice");
  EXPECT_GT(*integer(*left, "seq"), *integer(*joined, "seq"));
  EXPECT_TRUE(alice.wait_for("transfer.completed", reply_timeout));
}

TEST_F(WorkflowTest, AWarmTransfersRequesterHearsHowItEndsAfterARestart) {
  ASSERT_TRUE(start(false));
  std::string c;
  {
    auto alice = login(role::agent, "alice");
    auto customer = login(role::customer, "cust-1");
    make_ready(alice);
    c = routed_to(customer, alice);
    ASSERT_FALSE(c.empty());
    auto placed = ask(alice, {{"type", "transfer.request"},
                              {"conversation", c},
                              {"to_queue", "general"},
                              {"topic", "billing"},
                              {"mode", "warm"}});
    ASSERT_TRUE(is_ok(placed)) << dump(placed);
    ASSERT_TRUE(event(alice, "notice", c)) << "placed";
  }
  // Killed with the transfer waiting in its queue: only the store has it.
  ASSERT_TRUE(server().signal(SIGKILL));
  ASSERT_TRUE(restart_after_exit());
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  make_ready(bob);
  auto offer = event(bob, "offer", c);
  ASSERT_TRUE(offer);
  ASSERT_TRUE(is_ok(
    ask(bob, {{"type", "offer.accept"}, {"offer", str(offer, "offer")}})));
  EXPECT_TRUE(alice.wait_for("transfer.completed", reply_timeout))
    << "the requester, still in it, hears how it ended";
  EXPECT_TRUE(never(alice, "notice", c))
    << "told it was placed once, before the restart";
}

TEST_F(WorkflowTest, WarmTransferRejectedLeavesTheRequesterAssigned) {
  ASSERT_TRUE(start(false));
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  make_ready(bob);
  auto offer = warm_transfer_to_bob(alice, bob, c);
  ASSERT_TRUE(offer);
  ASSERT_TRUE(is_ok(
    ask(bob, {{"type", "offer.reject"}, {"offer", str(offer, "offer")}})));
  auto failed = alice.wait_for("transfer.failed", reply_timeout);
  ASSERT_TRUE(failed);
  EXPECT_EQ(str(failed, "reason"), "rejected");
  auto list = ask(alice, {{"type", "conversation.list"}});
  ASSERT_TRUE(is_ok(list));
  const auto& convs = list->at("conversations").as_array();
  ASSERT_EQ(convs.size(), 1u);
  EXPECT_EQ(str(convs[0].as_object(), "assignee"), "alice");
}

TEST_F(WorkflowTest, ConferenceGoesOnWhenTheFirstAgentLeaves) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  make_ready(bob);
  auto ok = ask(alice, {{"type", "conference.request"},
                        {"conversation", c},
                        {"to_queue", "general"}});
  ASSERT_TRUE(is_ok(ok)) << dump(ok);
  EXPECT_FALSE(str(ok, "conference").empty());
  EXPECT_TRUE(alice.wait_for("notice", "text",
                             "Conference request has been successfully placed",
                             reply_timeout));
  EXPECT_FALSE(customer.wait_for("transfer.consent_request", quiet_period))
    << "a conference asks no consent";
  auto offer = event(bob, "offer", c);
  ASSERT_TRUE(offer);
  EXPECT_EQ(str(offer, "kind"), "conference");
  ASSERT_TRUE(is_ok(
    ask(bob, {{"type", "offer.accept"}, {"offer", str(offer, "offer")}})));
  ASSERT_TRUE(
    customer.wait_for("participant.joined", "conversation", c, reply_timeout));
  // Equal rights: both write, the customer reads both.
  ASSERT_TRUE(is_ok(ask(bob, {{"type", "message.send"},
                              {"conversation", c},
                              {"text", "Bob here too"}})));
  EXPECT_TRUE(
    customer.wait_for("message", "text", "Bob here too", reply_timeout));
  ASSERT_TRUE(
    is_ok(ask(alice, {{"type", "conversation.leave"}, {"conversation", c}})));
  ASSERT_TRUE(is_ok(ask(bob, {{"type", "message.send"},
                              {"conversation", c},
                              {"text", "Still here"}})));
  EXPECT_TRUE(
    customer.wait_for("message", "text", "Still here", reply_timeout));
  EXPECT_EQ(
    error_code(ask(bob, {{"type", "conversation.leave"}, {"conversation", c}})),
    "invalid_state")
    << "the only agent may not leave";
}

TEST_F(WorkflowTest, ConferenceWithNobodyAvailableFails) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(is_ok(ask(alice, {{"type", "conference.request"},
                                {"conversation", c},
                                {"to_agent", "bob"}})));
  auto failed = alice.wait_for("conference.failed", reply_timeout);
  ASSERT_TRUE(failed);
  EXPECT_EQ(str(failed, "reason"), "unavailable");
  EXPECT_EQ(str(failed, "text"),
            "Bob is offline: nobody was offered the conversation");
}

TEST_F(WorkflowTest,
       AClosedConversationAnswersThoseWhoWereInItAsTheContractSays) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  auto erin = login(role::supervisor, "erin");
  ASSERT_TRUE(
    is_ok(ask(erin, {{"type", "conversation.monitor"}, {"conversation", c}})));
  ASSERT_TRUE(is_ok(
    ask(customer, {{"type", "conversation.close"}, {"conversation", c}})));
  // A monitor is no participant, closed or open.
  for (const char* verb : {"typing", "conversation.close"})
    EXPECT_EQ(error_code(ask(erin, {{"type", verb}, {"conversation", c}})),
              "forbidden")
      << verb;
  EXPECT_EQ(
    error_code(ask(
      erin, {{"type", "message.send"}, {"conversation", c}, {"text", "hi"}})),
    "forbidden");
  // Alice left it as it closed; she took part, so she hears it is closed.
  EXPECT_EQ(error_code(ask(alice, {{"type", "conversation.close"},
                                   {"conversation", c}})),
            "invalid_state");
  EXPECT_EQ(error_code(ask(alice, {{"type", "typing"}, {"conversation", c}})),
            "invalid_state");
  EXPECT_EQ(
    error_code(ask(customer, {{"type", "typing"}, {"conversation", c}})),
    "invalid_state");
  // A whisper is never the customer's, closed or not.
  EXPECT_EQ(error_code(ask(customer, {{"type", "whisper.send"},
                                      {"conversation", c},
                                      {"text", "psst"}})),
            "forbidden");
  // Bob never was in it.
  auto bob = login(role::agent, "bob");
  EXPECT_EQ(
    error_code(ask(bob, {{"type", "conversation.close"}, {"conversation", c}})),
    "forbidden");
}

TEST_F(WorkflowTest, WhispersReachAgentsAndMonitorsNeverTheCustomer) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto erin = login(role::supervisor, "erin");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(event(customer, "participant.joined", c)); // Alice's
  ASSERT_TRUE(
    is_ok(ask(erin, {{"type", "conversation.monitor"}, {"conversation", c}})));
  EXPECT_FALSE(
    customer.wait_for("participant.joined", "conversation", c, quiet_period))
    << "monitoring is silent";
  ASSERT_TRUE(is_ok(ask(alice, {{"type", "whisper.send"},
                                {"conversation", c},
                                {"text", "VIP customer"}})));
  auto seen = erin.wait_for("message", "text", "VIP customer", reply_timeout);
  ASSERT_TRUE(seen) << "a monitor sees whispers";
  EXPECT_EQ(str(seen, "visibility"), "agents");
  ASSERT_TRUE(is_ok(
    ask(customer,
        {{"type", "message.send"}, {"conversation", c}, {"text", "Hello?"}})));
  EXPECT_TRUE(erin.wait_for("message", "text", "Hello?", reply_timeout));
  EXPECT_FALSE(
    customer.wait_for("message", "text", "VIP customer", quiet_period));
  auto history = ask(customer,
                     {{"type", "conversation.history"}, {"conversation", c}});
  ASSERT_TRUE(is_ok(history));
  EXPECT_EQ(dump(*history).find("VIP customer"), std::string::npos);
  auto staff = ask(alice,
                   {{"type", "conversation.history"}, {"conversation", c}});
  EXPECT_NE(dump(*staff).find("VIP customer"), std::string::npos);
  EXPECT_EQ(error_code(ask(alice, {{"type", "conversation.monitor"},
                                   {"conversation", c}})),
            "forbidden")
    << "monitoring needs the supervise permission";
}

TEST_F(WorkflowTest, TakeoverAndSendNeedsThePermission) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  auto erin = login(role::supervisor, "erin");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(error_code(ask(bob, {{"type", "conversation.takeover"},
                                 {"conversation", c}})),
            "forbidden");
  ASSERT_TRUE(is_ok(ask(erin, {{"type", "conversation.takeover"},
                               {"conversation", c},
                               {"text", "I'll take it from here"}})));
  auto left = event(alice, "participant.left", c);
  ASSERT_TRUE(left);
  EXPECT_EQ(str(left, "reason"), "taken_over");
  auto said = customer.wait_for("message", "text", "I'll take it from here",
                                reply_timeout);
  ASSERT_TRUE(said);
  EXPECT_EQ(str(said.value().at("from").as_object(), "id"), "erin");
  EXPECT_EQ(error_code(ask(alice, {{"type", "message.send"},
                                   {"conversation", c},
                                   {"text", "still mine?"}})),
            "forbidden");
}

TEST_F(WorkflowTest,
       ATakeoverBySomeoneAlsoAnAgentTakesNoSlotOfHisAfterARestart) {
  server_config with_max;
  with_max.extra_toml = std::string{workflow_toml} + R"(
[[agents]]
id = "max"
name = "Max"
roles = ["agent", "supervisor"]
permissions = ["takeover"]
queues = ["general"]
capacity = 1
)";
  ASSERT_TRUE(start_server(with_max));
  std::string c;
  {
    auto alice = login(role::agent, "alice");
    auto max = login(role::supervisor, "max");
    auto customer = login(role::customer, "cust-1");
    make_ready(alice);
    c = routed_to(customer, alice);
    ASSERT_FALSE(c.empty());
    ASSERT_TRUE(is_ok(
      ask(max, {{"type", "conversation.takeover"}, {"conversation", c}})));
  }
  ASSERT_TRUE(server().signal(SIGKILL));
  ASSERT_TRUE(restart_after_exit());
  auto max = login(role::agent, "max");
  make_ready(max);
  auto customer = login(role::customer, "cust-2");
  auto other = start_conversation(customer, "Anyone there?");
  ASSERT_FALSE(other.empty());
  EXPECT_TRUE(event(max, "offer", other))
    << "his one slot is free: he holds the first as a supervisor";
}

TEST_F(WorkflowTest, SupervisorAssignsAWaitingConversationAndUnassignsIt) {
  ASSERT_TRUE(start());
  auto bob = login(role::agent, "bob");
  auto carol = login(role::agent, "carol");
  auto erin = login(role::supervisor, "erin");
  auto customer = login(role::customer, "cust-1");
  // Nobody is ready in general: the conversation waits.
  auto c = start_conversation(customer, "Anyone?");
  ASSERT_FALSE(c.empty());
  make_ready(bob);
  make_ready(carol);
  // Bob is ready now and general would offer it to him anyway; the
  // assignment makes it his by name.
  auto offer = event(bob, "offer", c);
  ASSERT_TRUE(offer);
  ASSERT_TRUE(is_ok(
    ask(bob, {{"type", "offer.reject"}, {"offer", str(offer, "offer")}})));
  auto ok = ask(erin, {{"type", "conversation.assign"},
                       {"conversation", c},
                       {"agent", "carol"}});
  ASSERT_TRUE(is_ok(ok)) << dump(ok);
  auto assigned = event(carol, "offer", c);
  ASSERT_TRUE(assigned);
  EXPECT_EQ(str(assigned, "kind"), "assign");
  ASSERT_TRUE(is_ok(
    ask(carol, {{"type", "offer.accept"}, {"offer", str(assigned, "offer")}})));
  ASSERT_TRUE(
    customer.wait_for("participant.joined", "conversation", c, reply_timeout));

  EXPECT_EQ(error_code(ask(carol, {{"type", "conversation.unassign"},
                                   {"conversation", c},
                                   {"to_queue", "general"},
                                   {"topic", "billing"}})),
            "forbidden");
  ASSERT_TRUE(is_ok(ask(erin, {{"type", "conversation.unassign"},
                               {"conversation", c},
                               {"to_queue", "general"},
                               {"topic", "billing"},
                               {"note", "Rebalancing"}})));
  auto left = event(carol, "participant.left", c);
  ASSERT_TRUE(left);
  EXPECT_EQ(str(left, "reason"), "transferred");
  auto again = event(bob, "offer", c);
  ASSERT_TRUE(again);
  EXPECT_EQ(str(again, "kind"), "transfer");
  EXPECT_EQ(str(again, "from_agent"), "erin");
}

TEST_F(WorkflowTest, BotHandsOffAndGetsItBackWhenTheAgentCloses) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto bot = login(role::bot, "helper-bot");
  make_ready(alice);
  auto c = start_for(bot, "cust-9", "Dana", "Hi Dana, how can I help?");
  ASSERT_FALSE(c.empty());
  json::object hello;
  auto customer = login(role::customer, "cust-9", &hello);
  const auto& mine = hello.at("conversations").as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(str(mine[0].as_object(), "state"), "bot");
  EXPECT_FALSE(alice.wait_for("offer", "conversation", c, quiet_period))
    << "a bot's conversation is not routed until handed off";

  ASSERT_TRUE(is_ok(ask(customer, {{"type", "message.send"},
                                   {"conversation", c},
                                   {"text", "I need a person"}})));
  ASSERT_TRUE(
    bot.wait_for("message", "text", "I need a person", reply_timeout));
  ASSERT_TRUE(is_ok(ask(bot, {{"type", "conversation.handoff"},
                              {"conversation", c},
                              {"summary", "Asks for a person"}})));
  auto offer = event(alice, "offer", c);
  ASSERT_TRUE(offer);
  EXPECT_EQ(str(offer.value().at("customer").as_object(), "name"), "Dana");
  EXPECT_EQ(str(offer, "content").rfind("Asks for a person", 0), 0u)
    << str(offer, "content");
  ASSERT_TRUE(is_ok(
    ask(alice, {{"type", "offer.accept"}, {"offer", str(offer, "offer")}})));
  ASSERT_TRUE(
    is_ok(ask(alice, {{"type", "conversation.close"}, {"conversation", c}})));
  auto back = bot.wait_for("conversation.assigned", "conversation", c,
                           reply_timeout);
  ASSERT_TRUE(back) << "the bot gets its conversation back";
  EXPECT_EQ(str(back, "agent"), "helper-bot");
  auto list = ask(customer, {{"type", "conversation.list"}});
  ASSERT_TRUE(is_ok(list));
  ASSERT_EQ(list->at("conversations").as_array().size(), 1u);
  EXPECT_EQ(str(list->at("conversations").as_array()[0].as_object(), "state"),
            "bot");
  EXPECT_TRUE(is_ok(ask(bot, {{"type", "message.send"},
                              {"conversation", c},
                              {"text", "Anything else?"}})));
}

TEST_F(WorkflowTest, ABotGetsItBackFromAnAgentAfterARestart) {
  ASSERT_TRUE(start());
  std::string c;
  {
    auto alice = login(role::agent, "alice");
    auto bot = login(role::bot, "helper-bot");
    make_ready(alice);
    c = start_for(bot, "cust-9", "Dana", "Hi Dana, how can I help?");
    ASSERT_FALSE(c.empty());
    ASSERT_TRUE(is_ok(ask(bot, {{"type", "conversation.handoff"},
                                {"conversation", c},
                                {"summary", "Asks for a person"}})));
    auto offer = event(alice, "offer", c);
    ASSERT_TRUE(offer);
    ASSERT_TRUE(is_ok(
      ask(alice, {{"type", "offer.accept"}, {"offer", str(offer, "offer")}})));
  }
  // Killed while the agent holds it: it comes back from the store.
  ASSERT_TRUE(server().signal(SIGKILL));
  ASSERT_TRUE(restart_after_exit());
  auto alice = login(role::agent, "alice");
  auto bot = login(role::bot, "helper-bot");
  auto customer = login(role::customer, "cust-9");
  ASSERT_TRUE(
    is_ok(ask(alice, {{"type", "conversation.close"}, {"conversation", c}})));
  auto back = bot.wait_for("conversation.assigned", "conversation", c,
                           reply_timeout);
  ASSERT_TRUE(back) << "the bot hears it has its conversation back";
  EXPECT_EQ(str(back, "agent"), "helper-bot");
  ASSERT_TRUE(is_ok(ask(customer, {{"type", "message.send"},
                                   {"conversation", c},
                                   {"text", "One more thing"}})));
  EXPECT_TRUE(bot.wait_for("message", "text", "One more thing", reply_timeout))
    << "and what its customer says from then on";
}

TEST_F(WorkflowTest, AbsentMemberThenSomeoneElse) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto started = ask(customer, {{"type", "conversation.start"},
                                {"agent", "bob"},
                                {"topic", "billing"},
                                {"text", "Bob, are you there?"}});
  ASSERT_TRUE(is_ok(started)) << dump(started);
  auto c = str(started, "conversation");
  EXPECT_FALSE(alice.wait_for("offer", "conversation", c, quiet_period))
    << "a direct conversation goes to its member only";
  auto absent = event(customer, "agent.absent", c);
  ASSERT_TRUE(absent);
  EXPECT_EQ(str(absent, "agent"), "bob");
  EXPECT_EQ(str(absent, "action"), "conversation.request_other");
  ASSERT_TRUE(is_ok(ask(customer, {{"type", "conversation.request_other"},
                                   {"conversation", c}})));
  auto offer = event(alice, "offer", c);
  ASSERT_TRUE(offer);
  EXPECT_EQ(str(offer, "topic"), "billing");
  EXPECT_EQ(str(offer, "content"),
            "New request created by the visitor because Bob was not "
            "available to handle the conversation quickly.");
  EXPECT_EQ(error_code(ask(customer, {{"type", "conversation.start"},
                                      {"agent", "nobody"}})),
            "not_found");
}

TEST_F(WorkflowTest, ResumeReopensWithTheWholeHistory) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  auto other = login(role::customer, "cust-2");
  make_ready(alice);
  auto c = routed_to(customer, alice, "First visit");
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(is_ok(
    ask(customer, {{"type", "conversation.close"}, {"conversation", c}})));
  // Another customer hears what it would of an id that does not exist.
  EXPECT_EQ(error_code(ask(other, {{"type", "conversation.resume"},
                                   {"conversation", c}})),
            "not_found");
  ASSERT_TRUE(is_ok(
    ask(customer, {{"type", "conversation.resume"}, {"conversation", c}})));
  EXPECT_TRUE(event(customer, "conversation.queued", c));
  ASSERT_TRUE(accept_offer(alice, c));
  auto history = ask(customer,
                     {{"type", "conversation.history"}, {"conversation", c}});
  ASSERT_TRUE(is_ok(history));
  EXPECT_NE(dump(*history).find("First visit"), std::string::npos);
  EXPECT_EQ(error_code(ask(customer, {{"type", "conversation.resume"},
                                      {"conversation", c}})),
            "invalid_state")
    << "only a closed conversation resumes";
}

TEST_F(WorkflowTest, ResumeAfterARestartBringsTheConversationBack) {
  ASSERT_TRUE(start());
  std::string c;
  {
    auto alice = login(role::agent, "alice");
    auto customer = login(role::customer, "cust-1");
    make_ready(alice);
    c = routed_to(customer, alice, "Before the restart");
    ASSERT_FALSE(c.empty());
    ASSERT_TRUE(is_ok(
      ask(customer, {{"type", "conversation.close"}, {"conversation", c}})));
  }
  // Killed: the closed conversation lives on in the store only.
  ASSERT_TRUE(server().signal(SIGKILL));
  ASSERT_TRUE(restart_after_exit());
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto resumed = ask(customer,
                     {{"type", "conversation.resume"}, {"conversation", c}});
  ASSERT_TRUE(is_ok(resumed)) << dump(resumed);
  ASSERT_TRUE(accept_offer(alice, c));
  auto history = ask(customer,
                     {{"type", "conversation.history"}, {"conversation", c}});
  ASSERT_TRUE(is_ok(history));
  EXPECT_NE(dump(*history).find("Before the restart"), std::string::npos);
  EXPECT_EQ(error_code(ask(customer, {{"type", "conversation.resume"},
                                      {"conversation", "c-unknown"}})),
            "not_found");
}

TEST_F(WorkflowTest, AClosedConversationLeavesMemoryAndStaysReadable) {
  ASSERT_TRUE(start());
  auto alice = login(role::agent, "alice");
  auto customer = login(role::customer, "cust-1");
  make_ready(alice);
  auto c = routed_to(customer, alice, "Short question");
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(is_ok(
    ask(customer, {{"type", "conversation.close"}, {"conversation", c}})));
  // Its actor goes once late answers to its offers cannot come any more.
  ASSERT_TRUE(wait_metric(
    "baton_conversation_actors", [](double n) { return n == 0; }, 10s));
  auto list = ask(customer,
                  {{"type", "conversation.list"}, {"state", "closed"}});
  ASSERT_TRUE(is_ok(list));
  ASSERT_EQ(list->at("conversations").as_array().size(), 1u) << dump(*list);
  auto history = ask(alice,
                     {{"type", "conversation.history"}, {"conversation", c}});
  ASSERT_TRUE(is_ok(history)) << dump(history);
  EXPECT_NE(dump(*history).find("Short question"), std::string::npos);
  EXPECT_EQ(error_code(ask(alice, {{"type", "message.send"},
                                   {"conversation", c},
                                   {"text", "one more thing"}})),
            "not_found")
    << "nothing is written to a conversation that has gone";
  ASSERT_TRUE(is_ok(
    ask(customer, {{"type", "conversation.resume"}, {"conversation", c}})));
  EXPECT_EQ(metric("baton_conversation_actors"), 1.0);
  ASSERT_TRUE(accept_offer(alice, c));
}

} // namespace
} // namespace baton::e2e
