#include "gateway/codec/decode.hpp"

#include <gtest/gtest.h>

#include <string>

namespace baton::gateway {
namespace {

using engine::agent_status;
using engine::channel;
using engine::conversation_state;
using engine::role;

class DecodeTest : public ::testing::Test {
protected:
  frame_decoder decoder;

  client_frame frame(std::string_view text) {
    auto r = decoder.decode(text);
    if (auto* e = std::get_if<decode_error>(&r))
      ADD_FAILURE() << "decode error: " << e->message << "\n  in " << text;
    if (std::holds_alternative<unsupported_verb>(r))
      ADD_FAILURE() << "unsupported: " << text;
    auto* f = std::get_if<client_frame>(&r);
    return f != nullptr ? std::move(*f) : client_frame{};
  }

  template <class T>
  T request(std::string_view text) {
    auto f = frame(text);
    auto* req = std::get_if<actors::request>(&f.body);
    if (req == nullptr || !std::holds_alternative<T>(*req)) {
      ADD_FAILURE() << "not the expected request: " << text;
      return T{};
    }
    return std::get<T>(*req);
  }

  decode_error error(std::string_view text) {
    auto r = decoder.decode(text);
    auto* e = std::get_if<decode_error>(&r);
    if (e == nullptr) {
      ADD_FAILURE() << "decoded, but should not have: " << text;
      return {};
    }
    return std::move(*e);
  }

  unsupported_verb unsupported(std::string_view text) {
    auto r = decoder.decode(text);
    auto* u = std::get_if<unsupported_verb>(&r);
    if (u == nullptr) {
      if (auto* e = std::get_if<decode_error>(&r))
        ADD_FAILURE() << "decode error: " << e->message;
      ADD_FAILURE() << "not reported unsupported: " << text;
      return {};
    }
    return std::move(*u);
  }

  /// The error message, checked to contain `part`, with `re` as expected.
  void expect_error(std::string_view text, std::string_view part,
                    std::optional<std::string> re = std::nullopt) {
    auto e = error(text);
    EXPECT_NE(e.message.find(part), std::string::npos)
      << "message '" << e.message << "' lacks '" << part << "'\n  for " << text;
    EXPECT_EQ(e.id, re) << "for " << text;
  }
};

// -- every verb
// ----------------------------------------------------------------

TEST_F(DecodeTest, HelloOfAnAgentCarriesAllFields) {
  auto f = frame(R"({"type":"hello","id":"1","role":"agent","user":"alice",)"
                 R"("token":"1767225600.9f86d0","name":"Alice"})");
  EXPECT_EQ(f.type, "hello");
  EXPECT_EQ(f.id, "1");
  auto h = std::get<hello_request>(f.body);
  EXPECT_EQ(h.role, role::agent);
  EXPECT_EQ(h.user, "alice");
  EXPECT_EQ(h.token, "1767225600.9f86d0");
  EXPECT_EQ(h.name, "Alice");
}

TEST_F(DecodeTest, HelloOfAnAnonymousCustomerNeedsNoCredentials) {
  auto f = frame(R"({"type":"hello","role":"customer"})");
  EXPECT_FALSE(f.id);
  auto h = std::get<hello_request>(f.body);
  EXPECT_EQ(h.role, role::customer);
  EXPECT_TRUE(h.user.empty());
  EXPECT_TRUE(h.token.empty());
}

TEST_F(DecodeTest, HelloCredentialsComeTogether) {
  expect_error(R"({"type":"hello","id":"h","role":"agent"})",
               "missing field 'user'", "h");
  expect_error(R"({"type":"hello","role":"customer","user":"v-1"})",
               "missing field 'token'");
  expect_error(R"({"type":"hello","role":"customer","token":"1.ab"})",
               "'token' is given without 'user'");
  expect_error(R"({"type":"hello","role":"admin","user":"a","token":"t"})",
               "'role' must be one of customer, agent, supervisor, bot, "
               "service, not 'admin'");
  expect_error(R"({"type":"hello","user":"a","token":"t"})",
               "missing field 'role'");
  expect_error(R"({"type":"hello","role":"agent","user":"a b","token":"t"})",
               "'user' must be an identifier");
}

TEST_F(DecodeTest, AuthRefreshCarriesItsToken) {
  auto f = frame(R"({"type":"auth.refresh","id":"r","token":"1767225600.9f"})");
  EXPECT_EQ(f.type, "auth.refresh");
  EXPECT_EQ(std::get<refresh_request>(f.body).token, "1767225600.9f");
  expect_error(R"({"type":"auth.refresh","id":"r"})", "missing field 'token'",
               "r");
}

TEST_F(DecodeTest, ConversationStartMapsEveryField) {
  auto f = frame(
    R"({"type":"conversation.start","id":"r1","channel":"whatsapp",)"
    R"("queue":"billing","topic":"refund","text":"Hi there",)"
    R"("attributes":{"name":"Carol","plan":"gold"}})");
  EXPECT_EQ(f.type, "conversation.start");
  EXPECT_EQ(f.display_name, "Carol");
  auto s
    = std::get<actors::start_conversation>(std::get<actors::request>(f.body));
  EXPECT_EQ(s.channel, channel::whatsapp);
  EXPECT_EQ(s.queue, "billing");
  EXPECT_EQ(s.topic, "refund");
  EXPECT_EQ(s.text, "Hi there");
}

TEST_F(DecodeTest, ConversationStartDefaultsToWebAndNoRoute) {
  auto f = frame(R"({"type":"conversation.start"})");
  auto s
    = std::get<actors::start_conversation>(std::get<actors::request>(f.body));
  EXPECT_EQ(s.channel, channel::web);
  EXPECT_TRUE(s.queue.empty());
  EXPECT_TRUE(s.topic.empty());
  EXPECT_TRUE(s.text.empty());
  EXPECT_TRUE(f.display_name.empty());
  EXPECT_TRUE(s.customer.empty());
  EXPECT_TRUE(s.agent.empty());
}

TEST_F(DecodeTest, ConversationStartOfABotNamesTheCustomer) {
  auto f = frame(
    R"({"type":"conversation.start","customer":"v-42","attributes":{"name":"Ann"}})");
  auto s
    = std::get<actors::start_conversation>(std::get<actors::request>(f.body));
  EXPECT_EQ(s.customer, "v-42");
  EXPECT_EQ(s.customer_name, "Ann");
}

TEST_F(DecodeTest, ConversationStartWithAnAgentIsDirect) {
  auto f = frame(R"({"type":"conversation.start","agent":"alice"})");
  auto s
    = std::get<actors::start_conversation>(std::get<actors::request>(f.body));
  EXPECT_EQ(s.agent, "alice");
}

TEST_F(DecodeTest, ConversationStartChecksItsFields) {
  expect_error(R"({"type":"conversation.start","id":"a","channel":"fax"})",
               "'channel' must be one of web, whatsapp, facebook, sms, "
               "email, other, not 'fax'",
               "a");
  expect_error(R"({"type":"conversation.start","queue":"no queue"})",
               "'queue' must be an identifier");
  expect_error(R"({"type":"conversation.start","text":""})",
               "'text' must not be empty");
  expect_error(R"({"type":"conversation.start","attributes":["x"]})",
               "'attributes' must be an object of strings, not an array");
  expect_error(R"({"type":"conversation.start","attributes":{"age":42}})",
               "'attributes' must be an object of strings: 'age' is not a "
               "string");
  expect_error(R"({"type":"conversation.start","attributes":{"name":")"
                 + std::string(257, 'n') + R"("}})",
               "'attributes.name' is longer than 256 bytes");
  expect_error(R"({"type":"conversation.start","attributes":{"name":""}})",
               "'attributes.name' must not be empty");
}

TEST_F(DecodeTest, MessageSendMapsFields) {
  auto m = request<actors::send_message>(
    R"({"type":"message.send","id":"r17","conversation":"c-01H",)"
    R"("text":"Hi \"you\"\n\u00e9","client_msg_id":"m-1"})");
  EXPECT_EQ(m.conversation, "c-01H");
  EXPECT_EQ(m.text, "Hi \"you\"\n\xc3\xa9");
  EXPECT_EQ(m.client_msg_id, "m-1");
}

TEST_F(DecodeTest, MessageSendNeedsConversationAndText) {
  expect_error(R"({"type":"message.send","id":"r","text":"x"})",
               "missing field 'conversation'", "r");
  expect_error(R"({"type":"message.send","conversation":"c-1"})",
               "missing field 'text'");
  expect_error(R"({"type":"message.send","conversation":"c-1","text":""})",
               "'text' must not be empty");
  expect_error(R"({"type":"message.send","conversation":"c-1","text":7})",
               "'text' must be a string, not a number");
  expect_error(R"({"type":"message.send","conversation":12,"text":"x"})",
               "'conversation' must be a string, not a number");
  expect_error(R"({"type":"message.send","conversation":null,"text":"x"})",
               "'conversation' must be a string, not null");
  expect_error(R"({"type":"message.send","conversation":"c/1","text":"x"})",
               "'conversation' must be an identifier: 1-64 characters");
  expect_error(R"({"type":"message.send","conversation":"","text":"x"})",
               "'conversation' must be an identifier");
  expect_error(R"({"type":"message.send","conversation":")"
                 + std::string(65, 'c') + R"(","text":"x"})",
               "'conversation' must be an identifier");
  expect_error(
    R"({"type":"message.send","conversation":"c","text":"x","client_msg_id":"a b"})",
    "'client_msg_id' must be an identifier");
}

TEST_F(DecodeTest, ConversationCloseMapsWrapUp) {
  auto c = request<actors::close_conversation>(
    R"({"type":"conversation.close","conversation":"c-1","wrap_up":"resolved"})");
  EXPECT_EQ(c.conversation, "c-1");
  EXPECT_EQ(c.wrap_up, "resolved");
  auto plain = request<actors::close_conversation>(
    R"({"type":"conversation.close","conversation":"c-1"})");
  EXPECT_TRUE(plain.wrap_up.empty());
}

TEST_F(DecodeTest, AgentStatusParsesEveryStatus) {
  EXPECT_EQ(request<actors::set_agent_status>(
              R"({"type":"agent.status","status":"ready"})")
              .status,
            agent_status::ready);
  auto s = request<actors::set_agent_status>(
    R"({"type":"agent.status","status":"not_ready","reason":"lunch"})");
  EXPECT_EQ(s.status, agent_status::not_ready);
  EXPECT_EQ(s.reason, "lunch");
  EXPECT_EQ(request<actors::set_agent_status>(
              R"({"type":"agent.status","status":"offline"})")
              .status,
            agent_status::offline);
  expect_error(R"({"type":"agent.status","status":"busy"})",
               "'status' must be one of ready, not_ready, offline, not "
               "'busy'");
  expect_error(R"({"type":"agent.status"})", "missing field 'status'");
  expect_error(R"({"type":"agent.status","status":"ready","reason":")"
                 + std::string(257, 'r') + R"("})",
               "'reason' is longer than 256 bytes");
}

TEST_F(DecodeTest, OfferVerbsMapTheOffer) {
  EXPECT_EQ(
    request<actors::accept_offer>(R"({"type":"offer.accept","offer":"o-1"})")
      .offer,
    "o-1");
  auto r = request<actors::reject_offer>(
    R"({"type":"offer.reject","offer":"o-2","reason":"busy"})");
  EXPECT_EQ(r.offer, "o-2");
  EXPECT_EQ(r.reason, "busy");
  expect_error(R"({"type":"offer.accept"})", "missing field 'offer'");
}

TEST_F(DecodeTest, WaitlistVerbs) {
  EXPECT_EQ(
    request<actors::list_waiting>(R"({"type":"waitlist.list","queue":"sales"})")
      .queue,
    "sales");
  auto all = request<actors::list_waiting>(R"({"type":"waitlist.list"})");
  EXPECT_TRUE(all.queue.empty());
  EXPECT_EQ(all.limit, 500u);
  EXPECT_EQ(
    request<actors::list_waiting>(R"({"type":"waitlist.list","limit":20})")
      .limit,
    20u);
  expect_error(R"({"type":"waitlist.list","id":"w","limit":0})",
               "'limit' must be an integer from 1 to 500", "w");
  EXPECT_EQ(request<actors::pick_waiting>(
              R"({"type":"waitlist.pick","conversation":"c-9"})")
              .conversation,
            "c-9");
  expect_error(R"({"type":"waitlist.pick"})", "missing field 'conversation'");
}

TEST_F(DecodeTest, Typing) {
  EXPECT_EQ(
    request<actors::send_typing>(R"({"type":"typing","conversation":"c-1"})")
      .conversation,
    "c-1");
}

TEST_F(DecodeTest, ConversationListFiltersByState) {
  EXPECT_FALSE(
    request<actors::list_conversations>(R"({"type":"conversation.list"})")
      .state);
  EXPECT_EQ(request<actors::list_conversations>(
              R"({"type":"conversation.list","state":"closed"})")
              .state,
            conversation_state::closed);
  expect_error(R"({"type":"conversation.list","state":"open"})",
               "'state' must be one of bot, queued, offered, assigned, "
               "closed, not 'open'");
}

TEST_F(DecodeTest, HistoryPagesEitherWay) {
  auto h = request<actors::conversation_history>(
    R"({"type":"conversation.history","conversation":"c-1"})");
  EXPECT_EQ(h.conversation, "c-1");
  EXPECT_FALSE(h.after_seq);
  EXPECT_FALSE(h.before_seq);
  EXPECT_EQ(h.limit, 50u);
  h = request<actors::conversation_history>(
    R"({"type":"conversation.history","conversation":"c-1","after_seq":0,"limit":500})");
  EXPECT_EQ(h.after_seq, 0u);
  EXPECT_EQ(h.limit, 500u);
  h = request<actors::conversation_history>(
    R"({"type":"conversation.history","conversation":"c-1",)"
    R"("before_seq":18446744073709551615,"limit":1})");
  EXPECT_EQ(h.before_seq, 18446744073709551615u);
  EXPECT_EQ(h.limit, 1u);
}

TEST_F(DecodeTest, HistoryRejectsBadBounds) {
  const std::string head
    = R"({"type":"conversation.history","id":"h","conversation":"c-1",)";
  expect_error(head + R"("limit":0})",
               "'limit' must be an integer from 1 to 500", "h");
  expect_error(head + R"("limit":501})",
               "'limit' must be an integer from 1 to 500", "h");
  expect_error(head + R"("limit":-1})",
               "'limit' must be an integer from 1 to 500", "h");
  expect_error(head + R"("limit":2.5})",
               "'limit' must be an integer from 1 to 500", "h");
  expect_error(head + R"("limit":"50"})", "'limit' must be an integer", "h");
  expect_error(head + R"("after_seq":-1})",
               "'after_seq' must be a non-negative integer", "h");
  expect_error(head + R"("before_seq":true})",
               "'before_seq' must be a non-negative integer", "h");
  expect_error(head + R"("after_seq":1,"before_seq":9})",
               "'after_seq' and 'before_seq' cannot be used together", "h");
}

TEST_F(DecodeTest, QueueAndAgentLists) {
  request<actors::list_queues>(R"({"type":"queue.list"})");
  EXPECT_EQ(
    request<actors::list_agents>(R"({"type":"agent.list","queue":"q1"})").queue,
    "q1");
  auto all = request<actors::list_agents>(R"({"type":"agent.list"})");
  EXPECT_TRUE(all.queue.empty());
  EXPECT_TRUE(all.after_agent.empty());
  EXPECT_EQ(all.limit, 500u);
  auto page = request<actors::list_agents>(
    R"({"type":"agent.list","after_agent":"bob","limit":2})");
  EXPECT_EQ(page.after_agent, "bob");
  EXPECT_EQ(page.limit, 2u);
  expect_error(R"({"type":"agent.list","id":"a","limit":501})",
               "'limit' must be an integer from 1 to 500", "a");
  expect_error(R"({"type":"agent.list","id":"a","after_agent":""})",
               "'after_agent' must be an identifier: 1-64 characters from "
               "A-Z a-z 0-9 _ . : @ -",
               "a");
}

TEST_F(DecodeTest, Whisper) {
  auto w = request<actors::send_whisper>(
    R"({"type":"whisper.send","conversation":"c-1","text":"psst"})");
  EXPECT_EQ(w.conversation, "c-1");
  EXPECT_EQ(w.text, "psst");
  expect_error(R"({"type":"whisper.send","conversation":"c-1"})",
               "missing field 'text'");
}

TEST_F(DecodeTest, TransferRequestMapsFieldsAndDefaultsToCold) {
  auto t = request<actors::request_transfer>(
    R"({"type":"transfer.request","conversation":"c-1","to_queue":"sales",)"
    R"("topic":"billing","note":"VIP"})");
  EXPECT_EQ(t.kind, engine::offer_kind::transfer);
  EXPECT_EQ(t.conversation, "c-1");
  EXPECT_EQ(t.to_queue, "sales");
  EXPECT_TRUE(t.to_agent.empty());
  EXPECT_EQ(t.topic, "billing");
  EXPECT_EQ(t.note, "VIP");
  EXPECT_EQ(t.mode, engine::transfer_mode::cold);
  auto warm = request<actors::request_transfer>(
    R"({"type":"transfer.request","conversation":"c-1","to_agent":"bob",)"
    R"("mode":"warm"})");
  EXPECT_EQ(warm.to_agent, "bob");
  EXPECT_EQ(warm.mode, engine::transfer_mode::warm);
}

TEST_F(DecodeTest, TransferNeedsExactlyOneTarget) {
  expect_error(R"({"type":"transfer.request","conversation":"c-1"})",
               "exactly one of 'to_queue' and 'to_agent' is needed");
  expect_error(R"({"type":"conference.request","conversation":"c-1",)"
               R"("to_queue":"a","to_agent":"b"})",
               "exactly one of 'to_queue' and 'to_agent' is needed");
  expect_error(R"({"type":"transfer.request","conversation":"c-1",)"
               R"("to_queue":"a","mode":"hot"})",
               "'mode' must be one of cold, warm, not 'hot'");
}

TEST_F(DecodeTest, ConferenceRequestIsATransferOfKindConference) {
  auto t = request<actors::request_transfer>(
    R"({"type":"conference.request","conversation":"c-1","to_agent":"bob"})");
  EXPECT_EQ(t.kind, engine::offer_kind::conference);
  EXPECT_EQ(t.to_agent, "bob");
}

TEST_F(DecodeTest, ConsentNeedsABooleanAccept) {
  auto c = request<actors::answer_consent>(
    R"({"type":"transfer.consent","conversation":"c-1","transfer":"t-1",)"
    R"("accept":true})");
  EXPECT_EQ(c.transfer, "t-1");
  EXPECT_TRUE(c.accept);
  expect_error(R"({"type":"transfer.consent","conversation":"c-1",)"
               R"("transfer":"t-1","accept":"yes"})",
               "'accept' must be a boolean, not a string");
  expect_error(R"({"type":"transfer.consent","conversation":"c-1",)"
               R"("transfer":"t-1"})",
               "missing field 'accept'");
}

TEST_F(DecodeTest, SupervisorAndBotVerbsMapFields) {
  auto a = request<actors::assign_conversation>(
    R"({"type":"conversation.assign","conversation":"c-1","agent":"bob"})");
  EXPECT_EQ(a.agent, "bob");
  auto u = request<actors::unassign_conversation>(
    R"({"type":"conversation.unassign","conversation":"c-1",)"
    R"("to_queue":"sales","topic":"billing"})");
  EXPECT_EQ(u.to_queue, "sales");
  EXPECT_EQ(u.topic, "billing");
  expect_error(R"({"type":"conversation.unassign","conversation":"c-1",)"
               R"("to_queue":"sales"})",
               "missing field 'topic'");
  auto t = request<actors::take_over>(
    R"({"type":"conversation.takeover","conversation":"c-1","text":"Hi"})");
  EXPECT_EQ(t.text, "Hi");
  auto h = request<actors::hand_off>(
    R"({"type":"conversation.handoff","conversation":"c-1",)"
    R"("topic":"billing","summary":"wants a refund"})");
  EXPECT_EQ(h.topic, "billing");
  EXPECT_EQ(h.summary, "wants a refund");
  EXPECT_EQ(request<actors::monitor_conversation>(
              R"({"type":"conversation.monitor","conversation":"c-1"})")
              .conversation,
            "c-1");
  EXPECT_EQ(request<actors::leave_conversation>(
              R"({"type":"conversation.leave","conversation":"c-1"})")
              .conversation,
            "c-1");
  EXPECT_EQ(request<actors::resume_conversation>(
              R"({"type":"conversation.resume","conversation":"c-1"})")
              .conversation,
            "c-1");
  EXPECT_EQ(request<actors::request_other>(
              R"({"type":"conversation.request_other","conversation":"c-1"})")
              .conversation,
            "c-1");
}

// -- envelope
// ------------------------------------------------------------------

TEST_F(DecodeTest, FieldOrderEscapedKeysAndExtraFieldsDoNotMatter) {
  auto m = request<actors::send_message>(
    R"({"extra":{"deep":[1,2.5,{"x":null}],"b":false},"text":"hi",)"
    R"("conversation":"c-1","t\u0079pe":"message.send","limit":"any"})");
  EXPECT_EQ(m.conversation, "c-1");
  EXPECT_EQ(m.text, "hi");
}

TEST_F(DecodeTest, NullOptionalFieldsAreAbsent) {
  auto f = frame(R"({"type":"conversation.start","id":null,"queue":null,)"
                 R"("topic":null,"text":null,"attributes":null,"agent":null})");
  EXPECT_FALSE(f.id);
  auto s
    = std::get<actors::start_conversation>(std::get<actors::request>(f.body));
  EXPECT_TRUE(s.queue.empty());
}

TEST_F(DecodeTest, RequestIdIsAStringOfAtMost64Characters) {
  std::string id64(64, 'i');
  EXPECT_EQ(frame(R"({"type":"queue.list","id":")" + id64 + R"("})").id, id64);
  // 64 characters of two bytes each.
  std::string wide;
  for (int i = 0; i < 64; ++i)
    wide += "\xc3\xa9";
  EXPECT_EQ(frame(R"({"type":"queue.list","id":")" + wide + R"("})").id, wide);
  EXPECT_EQ(frame(R"({"type":"queue.list","id":"has space & \"quotes\""})").id,
            "has space & \"quotes\"");
  // An id that breaks the rule is not echoed.
  expect_error(R"({"type":"queue.list","id":")" + id64 + R"(x"})",
               "'id' must be a string of at most 64 characters");
  expect_error(R"({"type":"queue.list","id":17})",
               "'id' must be a string of at most 64 characters");
  expect_error(R"({"type":"queue.list","id":["r1"]})",
               "'id' must be a string of at most 64 characters");
}

TEST_F(DecodeTest, TypeIsRequiredAndKnown) {
  expect_error(R"({"id":"r1"})", "missing field 'type'", "r1");
  expect_error(R"({"id":"r1","type":42})",
               "'type' must be a string, not a number", "r1");
  expect_error(R"({"id":"r1","type":null})",
               "'type' must be a string, not null", "r1");
  expect_error(R"({"id":"r1","type":"message.sendd"})",
               "unknown type 'message.sendd'", "r1");
  expect_error(R"({"type":""})", "unknown type ''");
  // A long unknown type is cut in the message.
  auto e = error(R"({"type":")" + std::string(1000, 'x') + R"("})");
  EXPECT_LT(e.message.size(), 100u);
}

TEST_F(DecodeTest, NotJson) {
  expect_error("hello", "not valid JSON");
  expect_error("{", "not valid JSON");
  expect_error(R"({"type":})", "not valid JSON");
  expect_error(R"({'type':'typing'})", "not valid JSON");
  expect_error(R"({"type":"queue.list",})", "not valid JSON");
  expect_error(R"({"type" "queue.list"})", "not valid JSON");
  expect_error(R"({"type":"queue.list","x":tru})", "not valid JSON in 'x'");
  expect_error(R"({"type":"queue.list","x":nul})", "not valid JSON in 'x'");
  expect_error(std::string(R"({"type":"queue.list"})") + '\0',
               "not valid JSON");
  expect_error("", "empty frame");
  expect_error("  \n ", "empty frame");
}

TEST_F(DecodeTest, IdReadBeforeAFaultIsEchoed) {
  expect_error(R"({"id":"r9","type":"queue.list","x":[1,}})", "not valid JSON",
               "r9");
  expect_error(R"({"type":"queue.list","x":[1,},"id":"r9"})", "not valid JSON");
  expect_error(R"({"id":"x3","type":"queue.list",})", "frame is not valid JSON",
               "x3");
}

TEST_F(DecodeTest, NotAnObject) {
  expect_error("[]", "frame must be a JSON object");
  expect_error(R"([{"type":"queue.list"}])", "frame must be a JSON object");
  expect_error("42", "frame must be a JSON object");
  expect_error(R"("queue.list")", "frame must be a JSON object");
  expect_error("null", "frame must be a JSON object");
  expect_error("true", "frame must be a JSON object");
}

TEST_F(DecodeTest, TrailingGarbage) {
  expect_error(R"({"type":"queue.list"} x)", "not valid JSON");
  expect_error(R"({"type":"queue.list","id":"t"}})",
               "unexpected data after the JSON object", "t");
  expect_error(R"({"type":"queue.list","id":"t"}{"type":"queue.list"})",
               "unexpected data after the JSON object", "t");
  expect_error(R"({"type":"queue.list"} 1)", "");
  // Whitespace after the object is fine.
  frame("{\"type\":\"queue.list\"} \n\t ");
}

TEST_F(DecodeTest, DuplicateKnownFieldsAreRefused) {
  expect_error(R"({"type":"queue.list","type":"typing"})",
               "duplicate field 'type'");
  expect_error(
    R"({"type":"typing","id":"d","conversation":"a","conversation":"b"})",
    "duplicate field 'conversation'", "d");
  // So are names other verbs read, even where this verb ignores them.
  expect_error(R"({"type":"typing","conversation":"c","limit":1,"limit":2})",
               "duplicate field 'limit'");
  // Unknown ones are ignored, duplicates included.
  frame(R"({"type":"queue.list","x":1,"x":2})");
}

TEST_F(DecodeTest, HugeNumbers) {
  const std::string head
    = R"({"type":"conversation.history","id":"n","conversation":"c-1",)";
  expect_error(head + R"("after_seq":18446744073709551616})",
               "invalid or out-of-range number in 'after_seq'", "n");
  expect_error(head + R"("limit":123456789012345678901234567890})",
               "invalid or out-of-range number in 'limit'", "n");
  expect_error(head + R"("limit":1e400})",
               "invalid or out-of-range number in 'limit'", "n");
  expect_error(head + R"("limit":9223372036854775807})",
               "'limit' must be an integer from 1 to 500", "n");
  // Anywhere in the frame, not only in fields a verb reads.
  expect_error(R"({"type":"queue.list","x":[1e999]})",
               "invalid or out-of-range number in 'x'");
  expect_error(R"({"type":"queue.list","x":-})",
               "invalid or out-of-range number in 'x'");
  expect_error(R"({"type":"queue.list","x":{"y":18446744073709551616}})",
               "invalid or out-of-range number in 'x'");
  frame(R"({"type":"queue.list","x":[-9223372036854775808,1.5e300,-0.0]})");
}

TEST_F(DecodeTest, InvalidUtf8AnywhereIsRefused) {
  expect_error("{\"type\":\"queue.list\",\"x\":\"\xff\"}",
               "frame is not valid UTF-8");
  expect_error("{\"type\":\"message.send\",\"conversation\":\"c\","
               "\"text\":\"\xc0\xaf\"}",
               "frame is not valid UTF-8");
  expect_error("{\"type\":\"queue.list\",\"x\":\"\xe2\x82\"}",
               "frame is not valid UTF-8");
  expect_error("{\"type\":\"queue.list\"}\xed\xa0\x80",
               "frame is not valid UTF-8");
  expect_error(R"({"type":"queue.list","x":"\ud800"})",
               "invalid escape sequence in a string in 'x'");
  expect_error(R"({"type":"queue.list","x":"\q"})",
               "invalid escape sequence in a string in 'x'");
  expect_error("{\"type\":\"queue.list\",\"x\":\"a\nb\"}",
               "unescaped control character");
}

std::string nested(int levels, std::string_view inner = "1") {
  return std::string(levels, '[') + std::string(inner)
         + std::string(levels, ']');
}

TEST_F(DecodeTest, NestingIsLimited) {
  // The frame object is level 1: 31 more levels are allowed.
  frame(R"({"type":"queue.list","x":)" + nested(31) + "}");
  expect_error(R"({"type":"queue.list","id":"z","x":)" + nested(32) + "}",
               "frame nests deeper than 32 levels", "z");
  // Far deeper than any stack would bear, recursing: still a plain error.
  expect_error(R"({"type":"queue.list","x":)" + nested(200000) + "}",
               "frame nests deeper than 32 levels");
  expect_error(R"({"type":"queue.list","x":)" + std::string(200000, '[') + "}",
               "");
  expect_error(std::string(200000, '{'), "not valid JSON");
}

TEST_F(DecodeTest, SessionStaysUsableAfterErrors) {
  error("{");
  error(R"({"type":"nope"})");
  error(std::string(100, '['));
  EXPECT_EQ(
    request<actors::send_typing>(R"({"type":"typing","conversation":"c-1"})")
      .conversation,
    "c-1");
}

TEST_F(DecodeTest, ResultsOwnTheirStrings) {
  auto first = request<actors::send_message>(
    R"({"type":"message.send","conversation":"c-1","text":"first"})");
  auto f = frame(R"({"type":"typing","id":"x","conversation":"c-2"})");
  request<actors::send_message>(
    R"({"type":"message.send","conversation":"c-3","text":"second"})");
  EXPECT_EQ(first.text, "first");
  EXPECT_EQ(f.type, "typing");
  EXPECT_EQ(f.id, "x");
}

TEST_F(DecodeTest, BufferGrowsOnly) {
  EXPECT_EQ(decoder.buffer_capacity(), 0u);
  frame(R"({"type":"queue.list"})");
  auto small = decoder.buffer_capacity();
  EXPECT_GE(small, 1024u);
  std::string big = R"({"type":"message.send","conversation":"c","text":")"
                    + std::string(5000, 'a') + R"("})";
  frame(big);
  auto grown = decoder.buffer_capacity();
  EXPECT_GE(grown, big.size() + frame_decoder::padding);
  frame(R"({"type":"queue.list"})");
  EXPECT_EQ(decoder.buffer_capacity(), grown);
}

TEST_F(DecodeTest, PaddedBufferIsDecodedInPlace) {
  std::string text = R"({"type":"typing","conversation":"c-1"})";
  std::string buffer = text + std::string(frame_decoder::padding, '\0');
  auto r = decoder.decode(std::string_view(buffer.data(), text.size()),
                          buffer.size());
  ASSERT_TRUE(std::holds_alternative<client_frame>(r));
  EXPECT_EQ(decoder.buffer_capacity(), 0u);
  // Not enough room after the text: copied, same result.
  r = decoder.decode(std::string_view(buffer.data(), text.size()),
                     text.size() + 8);
  ASSERT_TRUE(std::holds_alternative<client_frame>(r));
  EXPECT_GT(decoder.buffer_capacity(), 0u);
}

} // namespace
} // namespace baton::gateway
