// Passivation over real sockets: a waiting conversation with nothing
// happening leaves memory (baton_conversations_asleep) and clients never
// notice: its customer writes to it, comes back to find it listed, an
// agent takes it, and a crash of the server loses nothing of it.

#include <csignal>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class PassivationTest : public server_test {
protected:
  bool start(int passivate_after_ms = 300) {
    server_config c;
    c.passivate_after_ms = passivate_after_ms;
    return start_server(c);
  }

  bool asleep(double n) {
    return wait_metric(
      "baton_conversations_asleep", [n](double v) { return v == n; },
      reply_timeout);
  }

  std::optional<json::object> ask(ws_client& c, json::object req) {
    req["id"] = next_id();
    return c.request(req, reply_timeout);
  }
};

TEST_F(PassivationTest, ASleepingConversationAnswersItsCustomerAndAnAgent) {
  ASSERT_TRUE(start());
  auto pat = login(role::customer, "pat");
  auto c = start_conversation(pat, "My order never came");
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(asleep(1));
  EXPECT_EQ(metric("baton_conversation_actors"), 0);

  // Its customer writes: it wakes, answers, and goes back to sleep.
  auto sent = ask(pat, {{"type", "message.send"},
                        {"conversation", c},
                        {"text", "Still waiting"}});
  ASSERT_TRUE(is_ok(sent)) << dump(sent);
  ASSERT_TRUE(asleep(1));

  // Away and back: `hello` lists it, waiting, first in line.
  pat = ws_client{};
  json::object hello;
  pat = login(role::customer, "pat", &hello);
  const auto& listed = hello.at("conversations").as_array();
  ASSERT_EQ(listed.size(), 1u) << dump(hello);
  EXPECT_EQ(str(listed[0].as_object(), "conversation"), c);
  EXPECT_EQ(str(listed[0].as_object(), "state"), "queued");

  // An agent becomes ready: offered, accepted, and the customer hears it.
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  ASSERT_TRUE(accept_offer(alice, c));
  EXPECT_TRUE(
    pat.wait_for("participant.joined", "conversation", c, reply_timeout));
  EXPECT_EQ(message_texts(alice, c),
            (std::vector<std::string>{"My order never came", "Still waiting"}));
  EXPECT_EQ(metric("baton_conversations_asleep"), 0);
}

TEST_F(PassivationTest, AKilledServerBringsASleepingConversationBack) {
  ASSERT_TRUE(start());
  auto pat = login(role::customer, "pat");
  auto c = start_conversation(pat, "Hello?");
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(is_ok(ask(pat, {{"type", "message.send"},
                              {"conversation", c},
                              {"text", "Anyone there?"}})));
  ASSERT_TRUE(asleep(1));
  kill(server().pid(), SIGKILL);
  pat = ws_client{};
  ASSERT_TRUE(restart_after_exit());

  auto alice = login(role::agent, "alice");
  make_ready(alice);
  ASSERT_TRUE(accept_offer(alice, c));
  EXPECT_EQ(message_texts(alice, c),
            (std::vector<std::string>{"Hello?", "Anyone there?"}));
}

TEST_F(PassivationTest, AConversationThatOnlyWaitsComesBackAsleep) {
  // Too long a quiet time to sleep before the kill: it is an actor then.
  ASSERT_TRUE(start(600000));
  auto pat = login(role::customer, "pat");
  auto first = start_conversation(pat, "First");
  auto second = start_conversation(pat, "Second");
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(metric("baton_conversations_asleep"), 0);
  kill(server().pid(), SIGKILL);
  pat = ws_client{};
  ASSERT_TRUE(restart_after_exit());

  // Back as records, not actors, in their order.
  EXPECT_EQ(metric("baton_conversations_asleep"), 2);
  EXPECT_EQ(metric("baton_conversation_actors"), 0);
  json::object hello;
  pat = login(role::customer, "pat", &hello);
  EXPECT_EQ(hello.at("conversations").as_array().size(), 2u) << dump(hello);
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  ASSERT_TRUE(accept_offer(alice, first));
  EXPECT_EQ(message_texts(alice, first), (std::vector<std::string>{"First"}));
  EXPECT_TRUE(
    pat.wait_for("participant.joined", "conversation", first, reply_timeout));
}

TEST_F(PassivationTest, OneBackAsleepIsListedBesideOneBackAsAnActor) {
  ASSERT_TRUE(start(600000));
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  auto pat = login(role::customer, "pat");
  auto taken = start_conversation(pat, "Taken");
  ASSERT_FALSE(taken.empty());
  ASSERT_TRUE(accept_offer(alice, taken));
  ASSERT_TRUE(
    is_ok(ask(alice, {{"type", "agent.status"}, {"status", "not_ready"}})));
  auto waiting = start_conversation(pat, "Waiting");
  ASSERT_FALSE(waiting.empty());
  kill(server().pid(), SIGKILL);
  pat = ws_client{};
  alice = ws_client{};
  ASSERT_TRUE(restart_after_exit());

  // The assigned one comes back first, as an actor, and makes pat's inbox;
  // the waiting one, asleep, is listed in it all the same.
  EXPECT_EQ(metric("baton_conversations_asleep"), 1);
  json::object hello;
  pat = login(role::customer, "pat", &hello);
  std::vector<std::string> listed;
  for (const auto& c : hello.at("conversations").as_array())
    listed.push_back(str(c.as_object(), "conversation"));
  EXPECT_EQ(listed, (std::vector<std::string>{taken, waiting})) << dump(hello);
}

// A conversation a bot started and handed off sleeps too, before a kill
// and after it, and its bot lists it all along.
TEST_F(PassivationTest, ABotsHandedOffConversationSleepsAndComesBackAsleep) {
  ASSERT_TRUE(start());
  auto bot = login(role::bot, "helper-bot");
  auto c = start_for(bot, "cust-9", "Dana", "Hi Dana, how can I help?");
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(is_ok(ask(bot, {{"type", "conversation.handoff"},
                              {"conversation", c},
                              {"summary", "Asks for a person"}})));
  ASSERT_TRUE(asleep(1));
  auto listed = [&] {
    auto list = ask(bot, {{"type", "conversation.list"}});
    EXPECT_TRUE(is_ok(list)) << dump(list);
    std::vector<std::string> states;
    for (const auto& row : list->at("conversations").as_array())
      states.push_back(str(row.as_object(), "conversation") + " "
                       + str(row.as_object(), "state"));
    return states;
  };
  EXPECT_EQ(listed(), (std::vector<std::string>{c + " queued"}));

  kill(server().pid(), SIGKILL);
  bot = ws_client{};
  ASSERT_TRUE(restart_after_exit());
  EXPECT_EQ(metric("baton_conversations_asleep"), 1);
  EXPECT_EQ(metric("baton_conversation_actors"), 0);
  bot = login(role::bot, "helper-bot");
  EXPECT_EQ(listed(), (std::vector<std::string>{c + " queued"}));
  auto alice = login(role::agent, "alice");
  make_ready(alice);
  ASSERT_TRUE(accept_offer(alice, c));
  ASSERT_TRUE(
    is_ok(ask(alice, {{"type", "conversation.close"}, {"conversation", c}})));
  EXPECT_TRUE(
    bot.wait_for("conversation.assigned", "conversation", c, reply_timeout))
    << "the bot gets its conversation back";
}

} // namespace
} // namespace baton::e2e
