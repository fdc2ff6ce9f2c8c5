// On the requesting socket, the reply to a request comes before any event
// that request caused (docs/protocol.md, "Order"), for every verb: each case
// sends a request that makes an event for its own sender and checks that the
// reply was read first. Verbs that make no event for their sender are checked
// to be answered by the very next frame.

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

/// A pull queue (`returns`, dave its agent), a topic, short absence.
constexpr const char* extra_toml = R"(
[absence]
direct_response_timeout_ms = 300

[[topics]]
id = "billing"
name = "Billing"

[[queues]]
id = "returns"
name = "Returns"
mode = "pull"

[[agents]]
id = "dave"
name = "Dave"
queues = ["returns"]
capacity = 2
)";

/// Whether `frame` is an event (no `re`) of `type` about `conversation`.
ws_client::predicate event_of(std::string type, std::string conversation) {
  return [type = std::move(type),
          conversation = std::move(conversation)](const json::object& f) {
    return !f.contains("re") && str(f, "type") == type
           && (conversation.empty() || str(f, "conversation") == conversation);
  };
}

class ReplyOrderTest : public server_test {
protected:
  void SetUp() override {
    server_config c;
    c.extra_toml = extra_toml;
    ASSERT_TRUE(start_server(c));
  }

  /// Sends `req` and waits for its reply and for the event `caused` it makes
  /// on the same socket: the reply must have been received first. The
  /// client's earlier frames must all have been read (taken) already.
  std::optional<json::object> reply_before(ws_client& c, json::object req,
                                           const ws_client::predicate& caused,
                                           std::string_view what) {
    EXPECT_TRUE(c.inbox().empty())
      << what
      << ": frames left unread before the request: " << dump(c.inbox().front());
    auto id = next_id();
    req["id"] = id;
    auto before = c.received().size();
    if (!c.send(req)) {
      ADD_FAILURE() << what << ": send failed: " << c.error();
      return std::nullopt;
    }
    auto reply = c.reply_to(id, reply_timeout);
    if (!reply) {
      ADD_FAILURE() << what << ": no reply";
      return std::nullopt;
    }
    EXPECT_TRUE(is_ok(reply)) << what << ": " << dump(reply);
    auto event = c.wait_for(caused, reply_timeout);
    EXPECT_TRUE(event) << what << ": the event it causes never came";
    const auto& all = c.received();
    if (all.size() > before) {
      EXPECT_EQ(str(all[before], "re"), id)
        << what << ": the first frame after the request was "
        << dump(all[before]);
    }
    c.inbox().clear();
    return reply;
  }

  /// Sends `req`, which makes no event for its sender: the very next frame
  /// is its reply.
  std::optional<json::object> reply_next(ws_client& c, json::object req,
                                         std::string_view what) {
    EXPECT_TRUE(c.inbox().empty()) << what << ": frames left unread";
    auto id = next_id();
    req["id"] = id;
    if (!c.send(req))
      return std::nullopt;
    auto next = c.next(reply_timeout);
    EXPECT_EQ(str(next, "re"), id) << what << ": got " << dump(next);
    return next;
  }

  /// Reads and drops frames until one matches.
  static void skip_to(ws_client& c, const ws_client::predicate& match) {
    ASSERT_TRUE(c.wait_for(match, reply_timeout));
    c.inbox().clear();
  }

  /// Like skip_to, but a matching frame received since frame `from` and
  /// read already counts: for an event that comes by another path than the
  /// one waited for before it (supervision's), in either order.
  static void skip_past(ws_client& c, std::size_t from,
                        const ws_client::predicate& match) {
    const auto& all = c.received();
    for (auto i = from; i < all.size(); ++i)
      if (match(all[i])) {
        c.inbox().clear();
        return;
      }
    skip_to(c, match);
  }
};

TEST_F(ReplyOrderTest, CustomerAndAgentVerbs) {
  json::object hello;
  auto alice = login(role::agent, "alice", &hello);
  reply_before(alice, {{"type", "agent.status"}, {"status", "ready"}},
               event_of("agent.status", ""), "agent.status");
  reply_next(alice,
             {{"type", "auth.refresh"}, {"token", token(role::agent, "alice")}},
             "auth.refresh");

  auto customer = login(role::customer, "cust-1");
  auto started = reply_before(
    customer, {{"type", "conversation.start"}, {"text", "My order is late"}},
    event_of("conversation.queued", ""), "conversation.start");
  auto c = str(started, "conversation");
  ASSERT_FALSE(c.empty());

  auto offer = alice.wait_for(event_of("offer", c), reply_timeout);
  ASSERT_TRUE(offer);
  alice.inbox().clear();
  reply_before(alice,
               {{"type", "offer.accept"}, {"offer", str(offer, "offer")}},
               event_of("participant.joined", c), "offer.accept");
  skip_to(customer, event_of("participant.joined", c));

  reply_next(alice, {{"type", "typing"}, {"conversation", c}}, "typing");
  skip_to(customer, event_of("typing", c));
  reply_before(customer,
               {{"type", "message.send"}, {"conversation", c}, {"text", "Hi"}},
               event_of("message", c), "message.send");
  skip_to(alice, event_of("message", c));
  reply_before(
    alice, {{"type", "whisper.send"}, {"conversation", c}, {"text", "psst"}},
    event_of("message", c), "whisper.send");
  reply_next(customer, {{"type", "conversation.list"}}, "conversation.list");
  reply_next(customer, {{"type", "conversation.history"}, {"conversation", c}},
             "conversation.history");
  reply_next(alice, {{"type", "queue.list"}}, "queue.list");
  reply_next(alice, {{"type", "waitlist.list"}}, "waitlist.list");

  reply_before(alice, {{"type", "conversation.close"}, {"conversation", c}},
               event_of("conversation.closed", c), "conversation.close");
  skip_to(customer, event_of("conversation.closed", c));
  reply_before(customer, {{"type", "conversation.resume"}, {"conversation", c}},
               event_of("conversation.queued", c), "conversation.resume");
}

TEST_F(ReplyOrderTest, OfferRejectAndWaitlistPick) {
  auto alice = login(role::agent, "alice");
  reply_before(alice, {{"type", "agent.status"}, {"status", "ready"}},
               event_of("agent.status", ""), "agent.status");
  auto customer = login(role::customer, "cust-2");
  auto c = start_conversation(customer, "Hello");
  ASSERT_FALSE(c.empty());
  auto offer = alice.wait_for(event_of("offer", c), reply_timeout);
  ASSERT_TRUE(offer);
  alice.inbox().clear();
  reply_next(alice, {{"type", "offer.reject"}, {"offer", str(offer, "offer")}},
             "offer.reject");

  auto dave = login(role::agent, "dave");
  make_ready(dave);
  skip_to(dave, event_of("agent.status", ""));
  auto waiting = start_conversation(customer, "Return this", "returns");
  ASSERT_FALSE(waiting.empty());
  auto picked
    = reply_before(dave, {{"type", "waitlist.pick"}, {"conversation", waiting}},
                   event_of("participant.joined", waiting), "waitlist.pick");
  EXPECT_EQ(str(picked, "conversation"), waiting) << "it names what was picked";
}

TEST_F(ReplyOrderTest, TransferConsentConferenceAndLeave) {
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  make_ready(alice);
  auto customer = login(role::customer, "cust-3");
  auto c = start_conversation(customer, "Refund please");
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(accept_offer(alice, c));
  make_ready(bob);
  skip_to(alice, event_of("participant.joined", c));
  skip_to(customer, event_of("participant.joined", c));

  auto conference = reply_before(
    alice,
    {{"type", "conference.request"}, {"conversation", c}, {"to_agent", "bob"}},
    event_of("notice", c), "conference.request");
  auto offer = bob.wait_for(event_of("offer", c), reply_timeout);
  ASSERT_TRUE(offer);
  bob.inbox().clear();
  reply_before(bob, {{"type", "offer.accept"}, {"offer", str(offer, "offer")}},
               event_of("participant.joined", c), "offer.accept (conference)");
  skip_to(alice, event_of("participant.joined", c));
  reply_before(bob, {{"type", "conversation.leave"}, {"conversation", c}},
               event_of("participant.left", c), "conversation.leave");
  skip_to(alice, event_of("participant.left", c));

  auto transfer = reply_before(alice,
                               {{"type", "transfer.request"},
                                {"conversation", c},
                                {"to_queue", "sales"},
                                {"topic", "billing"}},
                               event_of("transfer.requested", c),
                               "transfer.request");
  skip_to(customer, event_of("transfer.consent_request", c));
  reply_before(customer,
               {{"type", "transfer.consent"},
                {"conversation", c},
                {"transfer", str(transfer, "transfer")},
                {"accept", true}},
               event_of("conversation.queued", c), "transfer.consent");
}

TEST_F(ReplyOrderTest, AbsentMemberAndBots) {
  auto customer = login(role::customer, "cust-5");
  auto started = reply_before(
    customer,
    {{"type", "conversation.start"}, {"agent", "bob"}, {"text", "Bob?"}},
    event_of("message", ""), "conversation.start (direct)");
  auto c = str(started, "conversation");
  skip_to(customer, event_of("agent.absent", c));
  reply_before(customer,
               {{"type", "conversation.request_other"}, {"conversation", c}},
               event_of("conversation.queued", c),
               "conversation.request_other");

  auto bot = login(role::bot, "helper-bot");
  auto by_bot = reply_before(bot,
                             {{"type", "conversation.start"},
                              {"customer", "cust-6"},
                              {"text", "Hi, I am a bot"}},
                             event_of("message", ""),
                             "conversation.start (bot)");
  auto b = str(by_bot, "conversation");
  reply_before(
    bot, {{"type", "message.send"}, {"conversation", b}, {"text", "More?"}},
    event_of("message", b), "message.send (bot)");
  reply_next(bot, {{"type", "conversation.handoff"}, {"conversation", b}},
             "conversation.handoff");
}

TEST_F(ReplyOrderTest, SupervisorVerbs) {
  auto erin = login(role::supervisor, "erin");
  reply_before(erin, {{"type", "supervise.subscribe"}},
               event_of("queue.stats", ""), "supervise.subscribe");
  reply_next(erin, {{"type", "agent.list"}}, "agent.list");
  auto dave = login(role::agent, "dave");
  make_ready(dave);
  skip_to(erin, [](const json::object& f) {
    return str(f, "type") == "agent.updated" && str(f, "status") == "ready";
  });
  auto customer = login(role::customer, "cust-4");
  auto c = start_conversation(customer, "Anyone?", "returns");
  ASSERT_FALSE(c.empty());
  skip_to(erin, event_of("conversation.updated", c));

  auto from = erin.received().size();
  reply_before(
    erin,
    {{"type", "conversation.assign"}, {"conversation", c}, {"agent", "dave"}},
    event_of("conversation.updated", c), "conversation.assign");
  auto offer = dave.wait_for(event_of("offer", c), reply_timeout);
  ASSERT_TRUE(offer);
  ASSERT_TRUE(is_ok(dave.request({{"type", "offer.accept"},
                                  {"id", next_id()},
                                  {"offer", str(offer, "offer")}})));
  skip_to(erin, [&](const json::object& f) {
    return str(f, "type") == "assign.completed";
  });
  // Supervision's row of the assigned conversation comes by its own path,
  // before or after the requester hears the assignment completed.
  skip_past(erin, from, [&](const json::object& f) {
    return str(f, "type") == "conversation.updated"
           && str(f, "conversation") == c && str(f, "assignee") == "dave";
  });
  reply_next(erin, {{"type", "conversation.monitor"}, {"conversation", c}},
             "conversation.monitor");
  reply_before(erin,
               {{"type", "conversation.unassign"},
                {"conversation", c},
                {"to_queue", "general"},
                {"topic", "billing"}},
               event_of("conversation.updated", c), "conversation.unassign");
}

TEST_F(ReplyOrderTest, SupervisorTakesOver) {
  // Not subscribed and monitoring nothing: erin hears only of the takeover.
  auto erin = login(role::supervisor, "erin");
  auto customer = login(role::customer, "cust-7");
  auto c = start_conversation(customer, "Hello?", "returns");
  ASSERT_FALSE(c.empty());
  reply_before(erin, {{"type", "conversation.takeover"}, {"conversation", c}},
               event_of("participant.joined", c), "conversation.takeover");
}

} // namespace
} // namespace baton::e2e
