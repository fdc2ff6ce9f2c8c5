// Conversations through real sockets: a customer, an agent and a supervisor
// from routing to close; offer timeouts; anonymous customers coming back;
// one customer probing another's conversation.

#include <algorithm>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

class ConversationTest : public server_test {
protected:
  static std::int64_t unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
      .count();
  }

  /// The `seq` of every frame about `conversation` received so far grows
  /// strictly.
  static void expect_seq_grows(ws_client& c, std::string_view conversation,
                               std::string_view who) {
    std::int64_t last = 0;
    for (const auto& f : c.received()) {
      if (str(f, "conversation") != conversation || !f.contains("seq")
          || str(f, "type") == "ok" || str(f, "type") == "error")
        continue; // replies repeat a seq (client_msg_id)
      auto seq = integer(f, "seq");
      ASSERT_TRUE(seq) << who << ": seq not an integer in " << dump(f);
      EXPECT_GT(*seq, last) << who << ": seq does not grow at " << dump(f);
      last = *seq;
    }
  }

  static std::vector<std::string> conversation_ids(const json::object& reply,
                                                   std::string_view field) {
    std::vector<std::string> ids;
    if (auto* list = reply.if_contains(field); list && list->is_array())
      for (const auto& s : list->as_array())
        if (s.is_object())
          ids.push_back(str(s.as_object(), "conversation"));
    return ids;
  }

  static bool contains(const std::vector<std::string>& v, std::string_view x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  std::optional<json::object>
  send_message(ws_client& c, std::string_view conversation,
               std::string_view text, std::string_view client_msg_id) {
    json::object req{{"type", "message.send"},
                     {"id", next_id()},
                     {"conversation", std::string(conversation)},
                     {"text", std::string(text)}};
    if (!client_msg_id.empty())
      req["client_msg_id"] = std::string(client_msg_id);
    return c.request(req, reply_timeout);
  }
};

TEST_F(ConversationTest, CustomerAgentAndSupervisorFromRouteToClose) {
  ASSERT_TRUE(start_server());
  json::object alice_hello;
  auto alice = login(role::agent, "alice", &alice_hello);
  auto erin = login(role::supervisor, "erin");
  auto customer = login(role::customer, "cust-1");
  ASSERT_TRUE(alice.is_open() && erin.is_open() && customer.is_open());
  EXPECT_EQ(str(alice_hello, "user"), "alice");
  make_ready(alice);

  // Route.
  auto c = start_conversation(customer, "My order is late");
  ASSERT_FALSE(c.empty());
  auto first = customer.wait_for("message", "conversation", c, reply_timeout);
  ASSERT_TRUE(first) << "the customer did not see its first message";
  EXPECT_EQ(str(first, "text"), "My order is late");
  EXPECT_EQ(str(first, "visibility"), "all");
  auto queued = customer.wait_for("conversation.queued", "conversation", c,
                                  reply_timeout);
  ASSERT_TRUE(queued);
  EXPECT_EQ(str(queued, "queue"), "general") << dump(queued);
  EXPECT_FALSE(str(queued, "text").empty()) << dump(queued);

  // Offer and accept.
  auto offer = alice.wait_for("offer", "conversation", c, reply_timeout);
  ASSERT_TRUE(offer) << "alice got no offer";
  EXPECT_EQ(str(offer, "kind"), "new") << dump(offer);
  EXPECT_EQ(str(offer, "queue"), "general") << dump(offer);
  EXPECT_EQ(str(offer, "channel"), "web") << dump(offer);
  ASSERT_TRUE(offer->contains("customer")) << dump(offer);
  EXPECT_EQ(str(offer->at("customer").as_object(), "id"), "cust-1");
  EXPECT_TRUE(integer(*offer, "expires_at")) << dump(offer);
  EXPECT_FALSE(offer->contains("re")) << dump(offer);

  // The supervisor sees the queue at work.
  auto q = erin.request({{"type", "queue.list"}, {"id", next_id()}});
  ASSERT_TRUE(is_ok(q)) << dump(q);

  auto accepted = alice.request({{"type", "offer.accept"},
                                 {"id", next_id()},
                                 {"offer", str(offer, "offer")}});
  ASSERT_TRUE(is_ok(accepted)) << dump(accepted);
  EXPECT_EQ(str(accepted, "conversation"), c) << dump(accepted);
  auto assigned = customer.wait_for("conversation.assigned", "conversation", c,
                                    reply_timeout);
  ASSERT_TRUE(assigned);
  EXPECT_EQ(str(assigned, "agent"), "alice") << dump(assigned);
  auto joined = customer.wait_for("participant.joined", "conversation", c,
                                  reply_timeout);
  ASSERT_TRUE(joined);
  EXPECT_EQ(str(joined->at("participant").as_object(), "id"), "alice");
  EXPECT_FALSE(str(joined, "text").empty()) << dump(joined);

  // Agent to customer, with a client_msg_id.
  auto m1 = send_message(alice, c, "Let me check.", "a-1");
  ASSERT_TRUE(is_ok(m1)) << dump(m1);
  auto seq1 = integer(*m1, "seq");
  ASSERT_TRUE(seq1) << dump(m1);
  auto seen = customer.wait_for("message", "client_msg_id", "a-1",
                                reply_timeout);
  ASSERT_TRUE(seen) << "the customer did not get alice's message";
  EXPECT_EQ(integer(*seen, "seq"), seq1) << dump(seen);
  EXPECT_EQ(str(seen, "text"), "Let me check.");
  EXPECT_EQ(str(seen->at("from").as_object(), "id"), "alice") << dump(seen);
  EXPECT_EQ(str(seen->at("from").as_object(), "role"), "agent") << dump(seen);
  EXPECT_TRUE(integer(*seen, "ts")) << dump(seen);

  // The same client_msg_id again: the original seq, no new event.
  auto m1_again = send_message(alice, c, "Let me check.", "a-1");
  ASSERT_TRUE(is_ok(m1_again)) << dump(m1_again);
  EXPECT_EQ(integer(*m1_again, "seq"), seq1) << dump(m1_again);

  // Customer to agent.
  auto m2 = send_message(customer, c, "Order A-1009", "c-1");
  ASSERT_TRUE(is_ok(m2)) << dump(m2);
  auto seq2 = integer(*m2, "seq");
  ASSERT_TRUE(seq2);
  EXPECT_GT(*seq2, *seq1);
  auto got = alice.wait_for("message", "client_msg_id", "c-1", reply_timeout);
  ASSERT_TRUE(got) << "alice did not get the customer's message";
  EXPECT_EQ(integer(*got, "seq"), seq2);
  EXPECT_EQ(str(got->at("from").as_object(), "id"), "cust-1") << dump(got);
  auto m2_again = send_message(customer, c, "Order A-1009 (retry)", "c-1");
  ASSERT_TRUE(is_ok(m2_again)) << dump(m2_again);
  EXPECT_EQ(integer(*m2_again, "seq"), seq2) << dump(m2_again);

  // A later message: when the customer sees it, an event made by alice's
  // retry would have come before it (one conversation, one order).
  auto m3 = send_message(alice, c, "Found it.", "");
  ASSERT_TRUE(is_ok(m3)) << dump(m3);
  auto found = customer.wait_for("message", "text", "Found it.", reply_timeout);
  ASSERT_TRUE(found);
  // Typing goes to the other side only.
  auto typing = customer.request(
    {{"type", "typing"}, {"id", next_id()}, {"conversation", c}});
  EXPECT_TRUE(is_ok(typing)) << dump(typing);
  auto typed = alice.wait_for("typing", "conversation", c, reply_timeout);
  ASSERT_TRUE(typed);
  EXPECT_EQ(str(typed->at("from").as_object(), "id"), "cust-1") << dump(typed);

  // "Found it." (customer) and the typing (alice) came after the retries.
  // Each side saw each client_msg_id at most once (the sender may or may not
  // get its own message back), the other side exactly once.
  auto copies = [](const ws_client& side, std::string_view id) {
    int n = 0;
    for (const auto& f : side.received())
      if (str(f, "type") == "message" && str(f, "client_msg_id") == id)
        ++n;
    return n;
  };
  EXPECT_EQ(copies(customer, "a-1"), 1) << "alice's retried a-1";
  EXPECT_LE(copies(alice, "a-1"), 1) << "alice's retried a-1";
  EXPECT_EQ(copies(alice, "c-1"), 1) << "the customer's retried c-1";
  EXPECT_LE(copies(customer, "c-1"), 1) << "the customer's retried c-1";
  for (const auto* side : {&customer, &alice})
    for (const auto& f : side->received())
      EXPECT_NE(str(f, "text"), "Order A-1009 (retry)") << dump(f);

  // History: both messages, in seq order, no duplicates.
  auto history = customer.request(
    {{"type", "conversation.history"}, {"id", next_id()}, {"conversation", c}});
  ASSERT_TRUE(is_ok(history)) << dump(history);
  std::vector<std::string> texts;
  std::int64_t last = 0;
  for (const auto& e : history->at("events").as_array()) {
    auto seq = integer(e.as_object(), "seq");
    ASSERT_TRUE(seq) << dump(e.as_object());
    EXPECT_GT(*seq, last);
    last = *seq;
    if (str(e.as_object(), "type") == "message")
      texts.push_back(str(e.as_object(), "text"));
  }
  EXPECT_EQ(texts,
            (std::vector<std::string>{"My order is late", "Let me check.",
                                      "Order A-1009", "Found it."}))
    << dump(history);

  // The supervisor sees alice busy with it.
  auto agents = erin.request({{"type", "agent.list"}, {"id", next_id()}});
  ASSERT_TRUE(is_ok(agents)) << dump(agents);
  bool saw_alice = false;
  for (const auto& a : agents->at("agents").as_array())
    if (str(a.as_object(), "agent") == "alice") {
      saw_alice = true;
      EXPECT_EQ(integer(a.as_object(), "load"), 1) << dump(agents);
      EXPECT_EQ(str(a.as_object(), "status"), "ready") << dump(agents);
    }
  EXPECT_TRUE(saw_alice) << dump(agents);
  auto queues = erin.request({{"type", "queue.list"}, {"id", next_id()}});
  ASSERT_TRUE(is_ok(queues)) << dump(queues);
  for (const auto& row : queues->at("queues").as_array())
    if (str(row.as_object(), "queue") == "general") {
      EXPECT_EQ(integer(row.as_object(), "agents_busy"), 1) << dump(queues);
      EXPECT_EQ(integer(row.as_object(), "waiting"), 0) << dump(queues);
    }
  // A supervisor is no participant: no data from someone else's conversation.
  auto peek = erin.request(
    {{"type", "conversation.history"}, {"id", next_id()}, {"conversation", c}});
  EXPECT_EQ(error_code(peek), "forbidden") << dump(peek);

  // Both see the conversation listed.
  auto listed
    = alice.request({{"type", "conversation.list"}, {"id", next_id()}});
  ASSERT_TRUE(is_ok(listed)) << dump(listed);
  EXPECT_TRUE(contains(conversation_ids(*listed, "conversations"), c))
    << dump(listed);

  // Close.
  auto closed = alice.request({{"type", "conversation.close"},
                               {"id", next_id()},
                               {"conversation", c},
                               {"wrap_up", "resolved"}});
  ASSERT_TRUE(is_ok(closed)) << dump(closed);
  for (auto* side : {&customer, &alice}) {
    auto ev = side->wait_for("conversation.closed", "conversation", c,
                             reply_timeout);
    ASSERT_TRUE(ev);
    EXPECT_EQ(str(ev, "by"), "alice") << dump(ev);
    EXPECT_EQ(str(ev, "reason"), "resolved") << dump(ev);
  }
  auto late = send_message(customer, c, "Hello?", "");
  EXPECT_EQ(error_code(late), "invalid_state") << dump(late);
  auto open_list
    = customer.request({{"type", "conversation.list"}, {"id", next_id()}});
  ASSERT_TRUE(is_ok(open_list));
  EXPECT_FALSE(contains(conversation_ids(*open_list, "conversations"), c))
    << "a closed conversation is still listed as open: " << dump(open_list);

  expect_seq_grows(customer, c, "customer");
  expect_seq_grows(alice, c, "alice");
  // The customer never saw an offer nor anything without a conversation.
  EXPECT_TRUE(customer.inbox_of("offer").empty());
}

TEST_F(ConversationTest, OfferTimeoutMovesToTheNextAgent) {
  ASSERT_TRUE(start_server()); // offer_timeout_ms = 1500
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  auto customer = login(role::customer, "cust-1");
  ASSERT_TRUE(alice.is_open() && bob.is_open() && customer.is_open());
  make_ready(alice); // only alice can be offered first

  auto c = start_conversation(customer, "Anyone there?");
  ASSERT_FALSE(c.empty());
  auto offer = alice.wait_for("offer", "conversation", c, reply_timeout);
  ASSERT_TRUE(offer);
  auto expires_at = integer(*offer, "expires_at");
  ASSERT_TRUE(expires_at) << dump(offer);
  // offer_timeout_ms = 1500 from now, give or take the trip here.
  EXPECT_NEAR(double(*expires_at), double(unix_ms() + 1500), 1000.0)
    << dump(offer);
  make_ready(bob);

  auto revoked = alice.wait_for("offer.revoked", "offer", str(offer, "offer"),
                                milliseconds(4000));
  ASSERT_TRUE(revoked) << "alice's offer was not revoked";
  auto revoked_at = unix_ms();
  EXPECT_EQ(str(revoked, "reason"), "timeout") << dump(revoked);
  EXPECT_EQ(str(revoked, "conversation"), c) << dump(revoked);
  EXPECT_GE(revoked_at, *expires_at - 50) << "revoked before expires_at";
  EXPECT_LE(revoked_at, *expires_at + 2000) << "revoked long after expires_at";

  auto next = bob.wait_for("offer", "conversation", c, reply_timeout);
  ASSERT_TRUE(next) << "bob got no offer after alice's timed out";
  EXPECT_NE(str(next, "offer"), str(offer, "offer"));

  // Too late for alice.
  auto late = alice.request({{"type", "offer.accept"},
                             {"id", next_id()},
                             {"offer", str(offer, "offer")}});
  EXPECT_EQ(error_code(late), "conflict") << dump(late);

  auto accepted = bob.request({{"type", "offer.accept"},
                               {"id", next_id()},
                               {"offer", str(next, "offer")}});
  ASSERT_TRUE(is_ok(accepted)) << dump(accepted);
  auto assigned = customer.wait_for("conversation.assigned", "conversation", c,
                                    reply_timeout);
  ASSERT_TRUE(assigned);
  EXPECT_EQ(str(assigned, "agent"), "bob") << dump(assigned);
  EXPECT_GE(metric("baton_offers_total{result=\"timeout\"}").value_or(0), 1.0);
  EXPECT_GE(metric("baton_offers_total{result=\"accepted\"}").value_or(0), 1.0);
  // The timed-out offer was not offered to alice a second time.
  EXPECT_TRUE(alice.inbox_of("offer").empty())
    << dump(alice.inbox_of("offer").front());
}

TEST_F(ConversationTest, AnonymousCustomerComesBackWithItsResumeToken) {
  ASSERT_TRUE(start_server());
  std::string user, resume, c;
  {
    auto first = connect();
    ASSERT_TRUE(first.is_open());
    auto hello = first.request(
      {{"type", "hello"}, {"id", "h"}, {"role", "customer"}, {"name", "Dana"}});
    ASSERT_TRUE(is_ok(hello)) << dump(hello);
    user = str(hello, "user");
    resume = str(hello, "resume_token");
    EXPECT_EQ(user.substr(0, 2), "v-") << dump(hello);
    EXPECT_FALSE(resume.empty()) << dump(hello);
    c = start_conversation(first, "Do you ship to Norway?");
    ASSERT_FALSE(c.empty());
    first.close();
  }

  auto again = connect();
  ASSERT_TRUE(again.is_open());
  auto hello = again.request({{"type", "hello"},
                              {"id", "h2"},
                              {"role", "customer"},
                              {"user", user},
                              {"token", resume}});
  ASSERT_TRUE(is_ok(hello)) << dump(hello);
  EXPECT_EQ(str(hello, "user"), user);
  EXPECT_FALSE(hello->contains("resume_token"))
    << "a customer with a token needs no new one: " << dump(hello);
  auto in_hello = conversation_ids(*hello, "conversations");
  EXPECT_TRUE(contains(in_hello, c)) << dump(hello);
  for (const auto& s : hello->at("conversations").as_array()) {
    const auto& o = s.as_object();
    if (str(o, "conversation") != c)
      continue;
    EXPECT_EQ(str(o, "state"), "queued") << dump(o);
    EXPECT_EQ(str(o, "queue"), "general") << dump(o);
    EXPECT_EQ(str(o.at("customer").as_object(), "id"), user) << dump(o);
    for (const char* field :
         {"channel", "topic", "agents", "assignee", "last_seq", "created_at"})
      EXPECT_TRUE(o.contains(field))
        << "summary without " << field << ": " << dump(o);
  }
  auto listed = again.request({{"type", "conversation.list"}, {"id", "l"}});
  ASSERT_TRUE(is_ok(listed)) << dump(listed);
  EXPECT_TRUE(contains(conversation_ids(*listed, "conversations"), c))
    << dump(listed);
  auto history = again.request(
    {{"type", "conversation.history"}, {"id", "hi"}, {"conversation", c}});
  ASSERT_TRUE(is_ok(history)) << dump(history);
  EXPECT_NE(dump(history).find("Do you ship to Norway?"), std::string::npos)
    << dump(history);
  auto more = again.request({{"type", "message.send"},
                             {"id", "m"},
                             {"conversation", c},
                             {"text", "Still there?"}});
  EXPECT_TRUE(is_ok(more)) << dump(more);

  // The resume token is this visitor's only: another id with it is refused.
  auto thief = connect();
  auto stolen = thief.request({{"type", "hello"},
                               {"id", "h3"},
                               {"role", "customer"},
                               {"user", "v-someone-else"},
                               {"token", resume}});
  EXPECT_EQ(error_code(stolen), "unauthorized") << dump(stolen);
}

TEST_F(ConversationTest, CustomerCannotProbeAnotherCustomersConversation) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  auto owner = login(role::customer, "cust-owner");
  auto prober = login(role::customer, "cust-prober");
  auto bob = login(role::agent, "bob");
  ASSERT_TRUE(alice.is_open() && owner.is_open() && prober.is_open()
              && bob.is_open());
  make_ready(alice);
  auto c = start_conversation(owner, "my card number is 4111");
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(accept_offer(alice, c));
  auto m = owner.request({{"type", "message.send"},
                          {"id", "o1"},
                          {"conversation", c},
                          {"text", "and my address"}});
  ASSERT_TRUE(is_ok(m)) << dump(m);

  auto refused = [](const std::optional<json::object>& r) {
    auto code = error_code(r);
    return code == "forbidden" || code == "not_found";
  };
  const std::vector<json::object> probes{
    {{"type", "message.send"},
     {"id", "p1"},
     {"conversation", c},
     {"text", "hi, it's me"}},
    {{"type", "message.send"},
     {"id", "p2"},
     {"conversation", c},
     {"text", "again"},
     {"client_msg_id", "x"}},
    {{"type", "conversation.history"}, {"id", "p3"}, {"conversation", c}},
    {{"type", "conversation.history"},
     {"id", "p4"},
     {"conversation", c},
     {"after_seq", 0},
     {"limit", 500}},
    {{"type", "typing"}, {"id", "p5"}, {"conversation", c}},
    {{"type", "conversation.close"}, {"id", "p6"}, {"conversation", c}},
  };
  for (const auto& p : probes) {
    auto r = prober.request(p, reply_timeout);
    EXPECT_TRUE(refused(r)) << "sent " << dump(p) << "\ngot " << dump(r);
    EXPECT_FALSE(r && (r->contains("events") || r->contains("seq")))
      << "data in " << dump(r);
  }
  // An agent who is not in it gets nothing either.
  auto peek = bob.request(
    {{"type", "conversation.history"}, {"id", "b1"}, {"conversation", c}});
  EXPECT_TRUE(refused(peek)) << dump(peek);

  // A conversation that does not exist.
  auto none = prober.request({{"type", "conversation.history"},
                              {"id", "p7"},
                              {"conversation", "c-does-not-exist"}});
  EXPECT_EQ(error_code(none), "not_found") << dump(none);

  auto listed = prober.request({{"type", "conversation.list"}, {"id", "p8"}});
  ASSERT_TRUE(is_ok(listed)) << dump(listed);
  EXPECT_FALSE(contains(conversation_ids(*listed, "conversations"), c))
    << dump(listed);

  // Nothing of it reached the prober, and the conversation is untouched.
  auto after = owner.request({{"type", "message.send"},
                              {"id", "o2"},
                              {"conversation", c},
                              {"text", "still open?"}});
  EXPECT_TRUE(is_ok(after)) << "the probe closed it: " << dump(after);
  ASSERT_TRUE(alice.wait_for("message", "text", "still open?", reply_timeout));
  EXPECT_FALSE(prober.next(quiet_period).has_value());
  for (const auto& f : prober.inbox())
    ADD_FAILURE() << "the prober received " << dump(f);
  for (const auto& f : alice.inbox_of("typing"))
    EXPECT_NE(str(f.at("from").as_object(), "id"), "cust-prober") << dump(f);
  for (const auto& f : alice.inbox_of("message"))
    EXPECT_NE(str(f.at("from").as_object(), "id"), "cust-prober") << dump(f);
  auto history = owner.request(
    {{"type", "conversation.history"}, {"id", "o3"}, {"conversation", c}});
  ASSERT_TRUE(is_ok(history));
  EXPECT_EQ(dump(history).find("cust-prober"), std::string::npos)
    << dump(history);
}

} // namespace
} // namespace baton::e2e
