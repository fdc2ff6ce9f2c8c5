#include "gateway/codec/encode.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace baton::gateway {
namespace {

namespace json = boost::json;
using engine::errc;
using engine::role;

const engine::participant carol{"v-1", role::customer, "Carol"};
const engine::participant alice{"alice", role::agent, "Alice"};

json::object parse(const std::string& text) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  EXPECT_TRUE(v.is_object()) << text;
  return v.is_object() ? v.as_object() : json::object{};
}

engine::event at(std::uint64_t seq, engine::event_body body) {
  return engine::event{seq, 1'700'000'000'000 + std::int64_t(seq),
                       std::move(body)};
}

actors::notification note(std::string conversation,
                          decltype(actors::notification::body) body) {
  actors::notification n;
  n.conversation = std::move(conversation);
  n.body = std::move(body);
  return n;
}

actors::notification in_conversation(engine::event e) {
  return note("c-1", std::move(e));
}

json::object event_for(const actors::notification& n, audience who) {
  auto text = encode_event(n, who);
  EXPECT_TRUE(text) << "not rendered";
  return text ? parse(*text) : json::object{};
}

// -- replies
// -------------------------------------------------------------------

TEST(EncodeReplyTest, ErrorEchoesIdAsRe) {
  auto o = parse(encode_error(std::string("r17"), errc::invalid_state,
                              "the conversation is closed"));
  EXPECT_EQ(o.size(), 4u);
  EXPECT_EQ(o.at("type"), "error");
  EXPECT_EQ(o.at("re"), "r17");
  EXPECT_EQ(o.at("code"), "invalid_state");
  EXPECT_EQ(o.at("message"), "the conversation is closed");
}

TEST(EncodeReplyTest, ErrorWithoutIdHasNoRe) {
  auto o = parse(encode_error(std::nullopt, errc::bad_request, "x"));
  EXPECT_FALSE(o.contains("re"));
  EXPECT_EQ(o.at("code"), "bad_request");
}

TEST(EncodeReplyTest, ErrorTypeIsFirstAndEscapesMessage) {
  auto text = encode_error(std::string("a\"b"), errc::not_found,
                           "no \"c-1\"\n\x01");
  EXPECT_EQ(text.rfind(R"({"type":"error","re":"a\"b",)", 0), 0u) << text;
  EXPECT_EQ(parse(text).at("message"), "no \"c-1\"\n\x01");
}

TEST(EncodeReplyTest, OkCodeInAnErrorBecomesInternal) {
  EXPECT_EQ(parse(encode_error(std::nullopt, errc::ok, "?")).at("code"),
            "internal");
}

TEST(EncodeReplyTest, DecodeErrorsAndUnsupportedVerbsAreBadRequests) {
  auto o = parse(encode_error(decode_error{"r1", "missing field 'type'"}));
  EXPECT_EQ(o.at("code"), "bad_request");
  EXPECT_EQ(o.at("re"), "r1");
  EXPECT_EQ(o.at("message"), "missing field 'type'");
  o = parse(encode_unsupported(
    unsupported_verb{"r2", "transfer.request", "transfer.request"}));
  EXPECT_EQ(o.at("code"), "bad_request");
  EXPECT_EQ(o.at("re"), "r2");
  EXPECT_EQ(o.at("message"), "not supported yet: transfer.request");
}

TEST(EncodeReplyTest, AnOpenedConversationIsNamed) {
  auto o = parse(
    encode_ok(std::string("1"), actors::opened{"c-9"}, audience::customer));
  EXPECT_EQ(
    o, (json::object{{"type", "ok"}, {"re", "1"}, {"conversation", "c-9"}}));
  o = parse(encode_ok(std::nullopt, actors::opened{"c-9"}, audience::agent));
  EXPECT_FALSE(o.contains("re"));
  EXPECT_EQ(o.at("conversation"), "c-9");
}

TEST(EncodeReplyTest, AnAppendedEventCarriesItsSeq) {
  auto o = parse(encode_ok(std::string("r17"), actors::appended{"c-1", 12},
                           audience::customer));
  EXPECT_EQ(
    o, (json::object{
         {"type", "ok"}, {"re", "r17"}, {"seq", 12}, {"conversation", "c-1"}}));
}

TEST(EncodeReplyTest, AnAcknowledgementIsABareOk) {
  auto o = parse(
    encode_ok(std::string("x"), actors::acknowledged{}, audience::agent));
  EXPECT_EQ(o, (json::object{{"type", "ok"}, {"re", "x"}}));
}

TEST(EncodeReplyTest, APlacementNamesItsIdByWhatWasPlaced) {
  auto field_of = [](actors::placement kind) {
    auto o = parse(encode_ok(
      std::string("t"), actors::placed{"c-1", kind, "t-1"}, audience::agent));
    EXPECT_EQ(o.at("conversation"), "c-1");
    EXPECT_EQ(o.size(), 4u) << json::serialize(o);
    for (const char* field : {"transfer", "conference", "assign"})
      if (o.contains(field) && o.at(field) == "t-1")
        return std::string(field);
    return std::string("none");
  };
  EXPECT_EQ(field_of(actors::placement::transfer), "transfer");
  EXPECT_EQ(field_of(actors::placement::conference), "conference");
  EXPECT_EQ(field_of(actors::placement::assign), "assign");
}

TEST(EncodeReplyTest, WaitlistEntries) {
  actors::waiting_list r;
  r.entries.push_back({"c-1", "sales", "", engine::channel::sms, carol, 4200});
  auto o = parse(encode_ok(std::nullopt, r, audience::agent));
  const auto& e = o.at("entries").as_array().at(0).as_object();
  EXPECT_EQ(e.at("conversation"), "c-1");
  EXPECT_EQ(e.at("queue"), "sales");
  EXPECT_TRUE(e.at("topic").is_null());
  EXPECT_EQ(e.at("channel"), "sms");
  EXPECT_EQ(e.at("customer").at("id"), "v-1");
  EXPECT_EQ(e.at("customer").at("name"), "Carol");
  EXPECT_EQ(e.at("waited_ms"), 4200);
  EXPECT_EQ(e.at("content"), "");
}

actors::conversation_summary summary() {
  actors::conversation_summary s;
  s.conversation = "c-1";
  s.state = engine::conversation_state::assigned;
  s.channel = engine::channel::web;
  s.queue = "general";
  s.customer = carol;
  s.agents = {"alice", "bob"};
  s.assignee = "alice";
  s.last_seq = 7;
  s.created_at = 1'700'000'000'000;
  return s;
}

void expect_summary(const json::object& s) {
  EXPECT_EQ(s.at("conversation"), "c-1");
  EXPECT_EQ(s.at("state"), "assigned");
  EXPECT_EQ(s.at("channel"), "web");
  EXPECT_EQ(s.at("queue"), "general");
  EXPECT_TRUE(s.at("topic").is_null());
  EXPECT_EQ(s.at("customer"), (json::object{{"id", "v-1"}, {"name", "Carol"}}));
  EXPECT_EQ(s.at("agents"), (json::array{"alice", "bob"}));
  EXPECT_EQ(s.at("assignee"), "alice");
  EXPECT_EQ(s.at("last_seq"), 7);
  EXPECT_EQ(s.at("created_at"), 1'700'000'000'000);
}

TEST(EncodeReplyTest, ConversationListSummaries) {
  actors::conversation_list r;
  r.conversations.push_back(summary());
  auto o = parse(encode_ok(std::nullopt, r, audience::customer));
  expect_summary(o.at("conversations").as_array().at(0).as_object());
}

TEST(EncodeReplyTest, QueueAndAgentRows) {
  actors::queue_list queues;
  queues.queues.push_back({"sales", "Sales", 2, 3, 1, 5, 61'000});
  actors::agent_list agents;
  agents.agents.push_back({"alice",
                           "Alice",
                           engine::agent_status::not_ready,
                           1,
                           3,
                           {"sales", "support"}});
  auto q = parse(encode_ok(std::nullopt, queues, audience::agent))
             .at("queues")
             .at(0)
             .as_object();
  EXPECT_EQ(q, (json::object{{"queue", "sales"},
                             {"name", "Sales"},
                             {"agents_available", 2},
                             {"agents_ready", 3},
                             {"agents_busy", 1},
                             {"waiting", 5},
                             {"longest_wait_ms", 61'000}}));
  auto a = parse(encode_ok(std::nullopt, agents, audience::agent))
             .at("agents")
             .at(0)
             .as_object();
  EXPECT_EQ(a, (json::object{{"agent", "alice"},
                             {"name", "Alice"},
                             {"status", "not_ready"},
                             {"load", 1},
                             {"capacity", 3},
                             {"queues", json::array{"sales", "support"}}}));
}

std::vector<engine::event> mixed_history() {
  return {
    at(1, engine::conversation_created{engine::channel::web, "general", "",
                                       carol, "", 0}),
    at(2, engine::conversation_queued{"general", 0, 1, "Please wait"}),
    at(3, engine::offer_made{{{"o-1", "alice"}}, engine::offer_kind::new_, 9}),
    at(4, engine::offer_ended{"o-1", "alice", engine::offer_end::timeout}),
    at(5, engine::message_posted{alice, "whisper", engine::visibility::agents,
                                 ""}),
    at(6,
       engine::message_posted{carol, "hello", engine::visibility::all, "m-1"}),
  };
}

TEST(EncodeReplyTest, HistoryRendersLiveEventsAndHidesWhispersFromCustomers) {
  actors::history_page r;
  r.conversation = "c-1";
  r.events = mixed_history();
  r.more = true;
  auto seqs = [&](audience who) {
    auto o = parse(encode_ok(std::string("h"), r, who));
    EXPECT_EQ(o.at("more"), true);
    std::vector<std::int64_t> out;
    for (const auto& e : o.at("events").as_array())
      out.push_back(e.at("seq").to_number<std::int64_t>());
    return out;
  };
  EXPECT_EQ(seqs(audience::customer), (std::vector<std::int64_t>{2, 6}));
  EXPECT_EQ(seqs(audience::agent), (std::vector<std::int64_t>{2, 5, 6}));

  // Each one exactly as the live event.
  auto o = parse(encode_ok(std::nullopt, r, audience::agent));
  auto live = encode_event(in_conversation(r.events[5]), audience::agent);
  EXPECT_EQ(json::serialize(o.at("events").at(2)), *live);
}

TEST(EncodeReplyTest, ReplyPicksOkOrError) {
  auto o = parse(encode_reply(std::string("1"),
                              actors::reply::error(errc::forbidden, "no"),
                              audience::agent));
  EXPECT_EQ(o.at("type"), "error");
  EXPECT_EQ(o.at("code"), "forbidden");
  EXPECT_EQ(o.at("message"), "no");
  o = parse(encode_reply(std::string("1"), actors::reply{actors::queue_list{}},
                         audience::agent));
  EXPECT_EQ(o.at("type"), "ok");
  EXPECT_TRUE(o.at("queues").as_array().empty());
}

actors::offer_notice offer() {
  actors::offer_notice n;
  n.offer = "o-7";
  n.kind = engine::offer_kind::transfer;
  n.queue = "sales";
  n.topic = "refund";
  n.channel = engine::channel::email;
  n.customer = carol;
  n.content = "Conversation transferred by Bob";
  n.expires_at = 1'700'000'020'000;
  return n;
}

void expect_offer(const json::object& o) {
  EXPECT_EQ(o.at("type"), "offer");
  EXPECT_EQ(o.at("offer"), "o-7");
  EXPECT_EQ(o.at("conversation"), "c-1");
  EXPECT_EQ(o.at("kind"), "transfer");
  EXPECT_EQ(o.at("queue"), "sales");
  EXPECT_EQ(o.at("topic"), "refund");
  EXPECT_EQ(o.at("channel"), "email");
  EXPECT_EQ(o.at("customer"), (json::object{{"id", "v-1"}, {"name", "Carol"}}));
  EXPECT_EQ(o.at("content"), "Conversation transferred by Bob");
  EXPECT_EQ(o.at("expires_at"), 1'700'000'020'000);
}

TEST(EncodeHelloTest, AgentGetsConversationsAndOffers) {
  actors::welcome r;
  r.conversations.push_back(summary());
  r.offers.emplace_back("c-1", offer());
  auto o = parse(encode_hello_ok(std::string("1"), "s-abc", role::agent,
                                 "alice", r, std::nullopt));
  EXPECT_EQ(o.at("type"), "ok");
  EXPECT_EQ(o.at("re"), "1");
  EXPECT_EQ(o.at("session"), "s-abc");
  EXPECT_EQ(o.at("role"), "agent");
  EXPECT_EQ(o.at("user"), "alice");
  expect_summary(o.at("conversations").at(0).as_object());
  expect_offer(o.at("offers").at(0).as_object());
  EXPECT_FALSE(o.contains("resume_token"));
  // The same object as the live event.
  auto live = encode_event(note("c-1", offer()), audience::agent);
  EXPECT_EQ(json::serialize(o.at("offers").at(0)), *live);
}

TEST(EncodeHelloTest, AnonymousCustomerGetsResumeTokenAndNoOffers) {
  actors::welcome r;
  r.offers.emplace_back("c-1", offer()); // never shown to a customer
  auto o = parse(encode_hello_ok(std::nullopt, "s-1", role::customer, "v-9", r,
                                 std::string("1767225600.ab12")));
  EXPECT_FALSE(o.contains("re"));
  EXPECT_EQ(o.at("user"), "v-9");
  EXPECT_EQ(o.at("role"), "customer");
  EXPECT_TRUE(o.at("conversations").as_array().empty());
  EXPECT_TRUE(o.at("offers").as_array().empty());
  EXPECT_EQ(o.at("resume_token"), "1767225600.ab12");
}

// -- events
// --------------------------------------------------------------------

TEST(EncodeEventTest, Message) {
  auto n = in_conversation(
    at(6, engine::message_posted{carol, "Hi \"there\"", engine::visibility::all,
                                 "m-1"}));
  auto o = event_for(n, audience::customer);
  EXPECT_EQ(
    o, (json::object{
         {"type", "message"},
         {"conversation", "c-1"},
         {"seq", 6},
         {"ts", 1'700'000'000'006},
         {"from", {{"id", "v-1"}, {"role", "customer"}, {"name", "Carol"}}},
         {"text", "Hi \"there\""},
         {"visibility", "all"},
         {"client_msg_id", "m-1"},
       }));
  auto plain = in_conversation(
    at(7, engine::message_posted{alice, "ok", engine::visibility::all, ""}));
  EXPECT_FALSE(event_for(plain, audience::customer).contains("client_msg_id"));
}

TEST(EncodeEventTest, ParticipantsJoinAndLeave) {
  auto o = event_for(
    in_conversation(
      at(3, engine::participant_joined{alice,
                                       "Alice has joined the conversation"})),
    audience::customer);
  EXPECT_EQ(o.at("type"), "participant.joined");
  EXPECT_EQ(o.at("seq"), 3);
  EXPECT_EQ(
    o.at("participant"),
    (json::object{{"id", "alice"}, {"role", "agent"}, {"name", "Alice"}}));
  EXPECT_EQ(o.at("text"), "Alice has joined the conversation");
  o = event_for(
    in_conversation(
      at(9, engine::participant_left{alice, "transferred", "Alice has left"})),
    audience::agent);
  EXPECT_EQ(o.at("type"), "participant.left");
  EXPECT_EQ(o.at("reason"), "transferred");
  EXPECT_EQ(o.at("text"), "Alice has left");
  EXPECT_EQ(o.at("participant").at("id"), "alice");
}

TEST(EncodeEventTest, ConversationLifecycle) {
  auto o = event_for(
    in_conversation(at(2, engine::conversation_queued{"sales", 0, 1, "Wait"})),
    audience::customer);
  EXPECT_EQ(o, (json::object{{"type", "conversation.queued"},
                             {"conversation", "c-1"},
                             {"seq", 2},
                             {"ts", 1'700'000'000'002},
                             {"queue", "sales"},
                             {"text", "Wait"}}));
  o = event_for(
    in_conversation(at(4, engine::conversation_assigned{"alice", "o-1"})),
    audience::customer);
  EXPECT_EQ(o.at("type"), "conversation.assigned");
  EXPECT_EQ(o.at("agent"), "alice");
  EXPECT_FALSE(o.contains("offer"));
  o = event_for(
    in_conversation(at(5, engine::no_agents{"No agents were available"})),
    audience::customer);
  EXPECT_EQ(o.at("type"), "conversation.no_agents");
  EXPECT_EQ(o.at("text"), "No agents were available");
  o = event_for(
    in_conversation(at(8, engine::conversation_closed{"alice", "resolved"})),
    audience::customer);
  EXPECT_EQ(o.at("type"), "conversation.closed");
  EXPECT_EQ(o.at("by"), "alice");
  EXPECT_EQ(o.at("reason"), "resolved");
  EXPECT_EQ(o.at("seq"), 8);
}

TEST(EncodeEventTest, OffersGoToAgentsOnly) {
  auto n = note("c-1", offer());
  expect_offer(event_for(n, audience::agent));
  EXPECT_FALSE(encode_event(n, audience::customer));
}

TEST(EncodeEventTest, OfferRevokedMapsReasonsToTheFourOfTheProtocol) {
  auto reason = [](engine::offer_end e) {
    auto n = note("c-1", actors::offer_revoked_notice{"o-1", e});
    EXPECT_FALSE(encode_event(n, audience::customer));
    auto o = event_for(n, audience::agent);
    EXPECT_EQ(o.at("type"), "offer.revoked");
    EXPECT_EQ(o.at("offer"), "o-1");
    EXPECT_EQ(o.at("conversation"), "c-1");
    return std::string(o.at("reason").as_string());
  };
  EXPECT_EQ(reason(engine::offer_end::timeout), "timeout");
  EXPECT_EQ(reason(engine::offer_end::taken), "taken");
  EXPECT_EQ(reason(engine::offer_end::abandoned), "abandoned");
  EXPECT_EQ(reason(engine::offer_end::cancelled), "cancelled");
  EXPECT_EQ(reason(engine::offer_end::agent_offline), "cancelled");
  EXPECT_EQ(reason(engine::offer_end::agent_full), "cancelled");
  EXPECT_EQ(reason(engine::offer_end::rejected), "cancelled");
}

TEST(EncodeEventTest, TypingShowsWho) {
  auto n = note("c-1", actors::typing_notice{alice});
  auto o = event_for(n, audience::customer);
  EXPECT_EQ(o,
            (json::object{
              {"type", "typing"},
              {"conversation", "c-1"},
              {"from", {{"id", "alice"}, {"role", "agent"}, {"name", "Alice"}}},
            }));
}

TEST(EncodeEventTest, AgentStatusIsAnAgentOnlyExtension) {
  auto n = note("", actors::agent_status_notice{engine::agent_status::not_ready,
                                                "missed"});
  EXPECT_EQ(event_for(n, audience::agent),
            (json::object{{"type", "agent.status"},
                          {"status", "not_ready"},
                          {"reason", "missed"}}));
  EXPECT_FALSE(encode_event(n, audience::customer));
}

TEST(EncodeEventTest, CustomersNeverSeeAgentOnlyEvents) {
  std::vector<actors::notification> hidden{
    in_conversation(
      at(1, engine::message_posted{alice, "psst", engine::visibility::agents,
                                   ""})),
    in_conversation(at(
      2, engine::offer_made{{{"o-1", "alice"}}, engine::offer_kind::new_, 9})),
    in_conversation(
      at(3, engine::offer_ended{"o-1", "alice", engine::offer_end::taken})),
    in_conversation(at(4, engine::conversation_created{})),
    note("c-1", offer()),
    note("c-1", actors::offer_revoked_notice{"o-1", {}}),
    note("", actors::agent_status_notice{}),
  };
  for (const auto& n : hidden) {
    EXPECT_FALSE(visible_to(n, audience::customer));
    EXPECT_FALSE(encode_event(n, audience::customer));
  }
  // The agent sees the whisper, never the routing internals.
  EXPECT_TRUE(encode_event(hidden[0], audience::agent));
  EXPECT_FALSE(encode_event(hidden[1], audience::agent));
  EXPECT_FALSE(encode_event(hidden[2], audience::agent));
  EXPECT_FALSE(encode_event(hidden[3], audience::agent));
}

TEST(EncodeEventTest, OneTextForEveryAudienceThatMaySeeIt) {
  std::vector<actors::notification> all;
  for (auto& e : mixed_history())
    all.push_back(in_conversation(e));
  all.push_back(note("c-1", actors::typing_notice{carol}));
  all.push_back(note("c-1", offer()));
  for (const auto& n : all) {
    auto agent = encode_event(n, audience::agent);
    auto customer = encode_event(n, audience::customer);
    EXPECT_EQ(customer.has_value(), visible_to(n, audience::customer));
    EXPECT_EQ(agent.has_value(), visible_to(n, audience::agent));
    if (customer) {
      EXPECT_EQ(*customer, *agent);
    }
  }
}

TEST(EncodeEventTest, SharedFramesAreMadeOncePerNotification) {
  auto n = note("c-1", actors::typing_notice{carol});
  const auto& agent = shared_event(n, audience::agent);
  ASSERT_TRUE(agent);
  EXPECT_EQ(*agent, *encode_event(n, audience::agent));
  EXPECT_EQ(&shared_event(n, audience::agent), &agent);
  // The customer shares the very same string.
  EXPECT_EQ(shared_event(n, audience::customer).get(), agent.get());

  auto whisper = in_conversation(at(
    5, engine::message_posted{alice, "psst", engine::visibility::agents, ""}));
  EXPECT_FALSE(shared_event(whisper, audience::customer));
  EXPECT_TRUE(shared_event(whisper, audience::agent));
  auto created = in_conversation(at(1, engine::conversation_created{}));
  EXPECT_FALSE(shared_event(created, audience::agent));
  EXPECT_FALSE(shared_event(created, audience::customer));
}

TEST(EncodeEventTest, ANotificationAssignedAnotherRendersTheOther) {
  auto n = note("c-1", actors::typing_notice{carol});
  auto typing = *shared_event(n, audience::agent);
  n = in_conversation(
    at(5, engine::message_posted{alice, "hello", engine::visibility::all, ""}));
  ASSERT_TRUE(shared_event(n, audience::agent));
  EXPECT_EQ(*shared_event(n, audience::agent),
            *encode_event(n, audience::agent));
  EXPECT_NE(*shared_event(n, audience::agent), typing)
    << "not the frame of the notification it was before";
}

TEST(AudienceTest, OnlyCustomersAreCustomers) {
  EXPECT_EQ(audience_of(role::customer), audience::customer);
  for (auto r : {role::agent, role::supervisor, role::bot, role::service})
    EXPECT_EQ(audience_of(r), audience::agent);
}

} // namespace
} // namespace baton::gateway
