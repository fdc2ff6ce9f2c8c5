// The envelope over real sockets (docs/protocol.md, "Connecting", "The
// envelope", "Authentication"): malformed frames, the frame limit, hello first,
// and one reply per request in request order.

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using clock = std::chrono::steady_clock;
using engine::role;

class EnvelopeTest : public server_test {
protected:
  /// The session answers a well-formed request after whatever came before.
  void expect_still_usable(ws_client& c) {
    auto id = next_id();
    auto reply = c.request({{"type", "conversation.list"}, {"id", id}},
                           reply_timeout);
    EXPECT_TRUE(is_ok(reply)) << "after a bad frame, conversation.list got "
                              << dump(reply) << " (" << c.error() << ")";
  }
};

struct bad_frame {
  const char* what;
  std::string text;
  /// The `re` expected on the error; "" for none.
  const char* re;
};

TEST_F(EnvelopeTest, MalformedFramesGetBadRequestAndTheSessionGoesOn) {
  ASSERT_TRUE(start_server());
  auto c = login(role::customer, "cust-1");
  ASSERT_TRUE(c.is_open());
  const std::vector<bad_frame> frames{
    {"not JSON at all", "hello there", ""},
    {"JSON with a trailing comma, id first",
     R"({"id":"x1","type":"conversation.list",})", "x1"},
    {"truncated JSON", R"({"type":"conversation.list","id":"x2")", ""},
    {"an array", R"(["type","conversation.list"])", ""},
    {"a string", R"("conversation.list")", ""},
    {"a number", "42", ""},
    {"null", "null", ""},
    {"an empty frame", "", ""},
    {"no type", R"({"id":"x3","conversation":"c-1"})", "x3"},
    {"type not a string", R"({"id":"x4","type":17})", "x4"},
    {"type null", R"({"id":"x5","type":null})", "x5"},
    {"unknown type", R"({"type":"conversation.explode","id":"x6"})", "x6"},
    {"unknown type, near miss", R"({"type":"message.sen","id":"x7"})", "x7"},
    {"conversation not a string",
     R"({"type":"message.send","id":"x8","conversation":42,"text":"hi"})",
     "x8"},
    {"text not a string",
     R"({"type":"message.send","id":"x9","conversation":"c-1","text":["hi"]})",
     "x9"},
    {"missing required field",
     R"({"type":"message.send","id":"x10","conversation":"c-1"})", "x10"},
    {"limit not an integer",
     R"({"type":"conversation.history","id":"x11","conversation":"c-1","limit":"ten"})",
     "x11"},
    {"channel not one of the values",
     R"({"type":"conversation.start","id":"x12","channel":"pigeon"})", "x12"},
    {"attributes not an object",
     R"({"type":"conversation.start","id":"x13","attributes":"vip"})", "x13"},
    {"id not a string", R"({"type":"conversation.list","id":7})", ""},
    {"id longer than 64 characters",
     R"({"type":"conversation.list","id":")" + std::string(65, 'a') + R"("})",
     ""},
  };
  for (const auto& f : frames) {
    SCOPED_TRACE(f.what);
    ASSERT_TRUE(c.send(f.text)) << c.error();
    auto reply = c.wait_for(
      [](const json::object& o) {
        return str(o, "type") == "ok" || str(o, "type") == "error";
      },
      reply_timeout);
    EXPECT_EQ(error_code(reply), "bad_request")
      << "sent " << f.text << "\ngot " << dump(reply);
    if (reply) {
      EXPECT_EQ(str(*reply, "re"), f.re) << dump(reply);
      EXPECT_EQ(reply->contains("re"), *f.re != '\0') << dump(reply);
      EXPECT_FALSE(str(*reply, "message").empty()) << dump(reply);
    }
    expect_still_usable(c);
  }
  // An id of 64 characters (not bytes) is echoed.
  std::string id64;
  for (int i = 0; i < 64; ++i)
    id64 += "\xc3\xa9"; // é
  auto echoed = c.request({{"type", "conversation.list"}, {"id", id64}});
  EXPECT_TRUE(is_ok(echoed)) << dump(echoed);
  // Unknown extra fields are ignored.
  auto reply = c.request({{"type", "conversation.list"},
                          {"id", "extra"},
                          {"colour", "blue"},
                          {"nested", json::object{{"a", 1}}}});
  EXPECT_TRUE(is_ok(reply)) << dump(reply);
  EXPECT_TRUE(c.is_open());
}

TEST_F(EnvelopeTest, BinaryFrameGetsBadRequestAndTheSessionGoesOn) {
  ASSERT_TRUE(start_server());
  auto c = login(role::customer, "cust-1");
  ASSERT_TRUE(c.is_open());
  ASSERT_TRUE(c.send_binary(R"({"type":"conversation.list","id":"b1"})"));
  auto reply = c.next(reply_timeout);
  EXPECT_EQ(error_code(reply), "bad_request") << dump(reply);
  expect_still_usable(c);
  // Raw bytes that are not UTF-8 at all.
  ASSERT_TRUE(c.send_binary(std::string("\x00\xff\xfe\x01", 4)));
  reply = c.next(reply_timeout);
  EXPECT_EQ(error_code(reply), "bad_request") << dump(reply);
  expect_still_usable(c);
}

TEST_F(EnvelopeTest, FrameOverTheLimitClosesWith1009) {
  server_config cfg;
  cfg.max_frame_bytes = 1024; // the smallest allowed
  ASSERT_TRUE(start_server(cfg));
  auto c = login(role::customer, "cust-1");
  ASSERT_TRUE(c.is_open());
  // Just under the limit is served.
  std::string small = R"({"type":"conversation.list","id":"fits","pad":")"
                      + std::string(900, 'p') + R"("})";
  ASSERT_LE(small.size(), 1024u);
  ASSERT_TRUE(c.send(small));
  auto reply = c.reply_to("fits", reply_timeout);
  EXPECT_TRUE(is_ok(reply)) << dump(reply);

  // Exactly at the limit is served too.
  std::string exact = R"({"type":"conversation.list","id":"exact","pad":")";
  exact += std::string(1024 - exact.size() - 2, 'p') + R"("})";
  ASSERT_EQ(exact.size(), 1024u);
  ASSERT_TRUE(c.send(exact));
  reply = c.reply_to("exact", reply_timeout);
  EXPECT_TRUE(is_ok(reply))
    << "a frame of exactly max_frame_bytes: " << dump(reply) << " ("
    << c.error() << ")";

  std::string big = R"({"type":"conversation.list","id":"big","pad":")"
                    + std::string(2000, 'p') + R"("})";
  ASSERT_TRUE(c.send(big));
  ASSERT_TRUE(c.wait_closed(reply_timeout))
    << "still open after " << big.size() << " bytes";
  EXPECT_EQ(c.close_code(), 1009) << c.error();
  EXPECT_TRUE(c.inbox_of("ok").empty()) << dump(c.inbox().front());

  // Other sessions are not affected.
  auto other = login(role::customer, "cust-2");
  EXPECT_TRUE(other.is_open());
  expect_still_usable(other);
}

TEST_F(EnvelopeTest, RequestsBeforeHelloAreUnauthorized) {
  ASSERT_TRUE(start_server());
  auto c = connect();
  ASSERT_TRUE(c.is_open());
  const std::vector<json::object> before{
    {{"type", "conversation.list"}, {"id", "u1"}},
    {{"type", "conversation.start"}, {"id", "u2"}, {"text", "hi"}},
    {{"type", "message.send"},
     {"id", "u3"},
     {"conversation", "c-1"},
     {"text", "hi"}},
    {{"type", "agent.status"}, {"id", "u4"}, {"status", "ready"}},
    {{"type", "queue.list"}, {"id", "u5"}},
  };
  for (const auto& req : before) {
    auto reply = c.request(req, reply_timeout);
    EXPECT_EQ(error_code(reply), "unauthorized")
      << "sent " << dump(req) << "\ngot " << dump(reply);
  }
  // Without `id`: still exactly one reply, without `re`.
  ASSERT_TRUE(c.send(R"({"type":"conversation.list"})"));
  auto reply = c.next(reply_timeout);
  EXPECT_EQ(error_code(reply), "unauthorized") << dump(reply);
  EXPECT_FALSE(reply && reply->contains("re")) << dump(reply);

  // The session is still there and hello works.
  auto hello = c.request({{"type", "hello"},
                          {"id", "h"},
                          {"role", "customer"},
                          {"user", "cust-1"},
                          {"token", token(role::customer, "cust-1")}});
  EXPECT_TRUE(is_ok(hello)) << dump(hello);
  expect_still_usable(c);
}

TEST_F(EnvelopeTest, NoHelloInTimeClosesWith1008) {
  ASSERT_TRUE(start_server()); // hello_timeout_ms = 1000
  auto started = clock::now();
  auto silent = connect();
  auto chatty = connect(); // requests other than hello do not count
  ASSERT_TRUE(silent.is_open() && chatty.is_open());
  auto reply = chatty.request({{"type", "conversation.list"}, {"id", "q"}});
  EXPECT_EQ(error_code(reply), "unauthorized") << dump(reply);

  ASSERT_TRUE(silent.wait_closed(milliseconds(4000)));
  auto waited = clock::now() - started;
  EXPECT_EQ(silent.close_code(), 1008) << silent.error();
  EXPECT_GE(waited, milliseconds(900));
  ASSERT_TRUE(chatty.wait_closed(milliseconds(2000)));
  EXPECT_EQ(chatty.close_code(), 1008) << chatty.error();
  EXPECT_TRUE(wait_metric(
    "baton_ws_sessions", [](double v) { return v == 0; }, reply_timeout));
}

/// 20 requests of mixed verbs, sent back to back before reading anything:
/// some answered by the gateway at once (malformed, unsupported), others by
/// different actors. Exactly one reply each, in the order sent.
TEST_F(EnvelopeTest, PipelinedRequestsGetOneReplyEachInOrder) {
  ASSERT_TRUE(start_server());
  auto alice = login(role::agent, "alice");
  ASSERT_TRUE(alice.is_open());
  const std::vector<std::pair<std::string, std::string>> pipeline{
    {"p01", R"({"type":"agent.status","id":"p01","status":"ready"})"},
    {"p02", R"({"type":"conversation.list","id":"p02"})"},
    {"p03", R"({"type":"message.sen","id":"p03"})"},
    {"p04", R"({"type":"queue.list","id":"p04"})"},
    {"p05",
     R"({"type":"conversation.history","id":"p05","conversation":"c-none"})"},
    {"", R"({"type":"waitlist.list"})"},
    {"p07", R"({"type":"typing","id":"p07","conversation":"c-none"})"},
    {"p08", R"({"id":"p08","type":"conversation.list",})"},
    {"p09", R"({"type":"offer.accept","id":"p09","offer":"o-none"})"},
    {"p10", R"({"type":"agent.status","id":"p10","status":"not_ready"})"},
    {"p11",
     R"({"type":"transfer.request","id":"p11","conversation":"c-none"})"},
    {"p12",
     R"({"type":"message.send","id":"p12","conversation":"c-none","text":"hi"})"},
    {"p13", R"({"type":"waitlist.list","id":"p13","queue":"general"})"},
    {"", R"({"type":"conversation.list"})"},
    {"p15", R"({"type":"agent.list","id":"p15"})"},
    {"p16",
     R"({"type":"hello","id":"p16","role":"agent","user":"alice","token":"1.ab"})"},
    {"p17",
     R"({"type":"conversation.close","id":"p17","conversation":"c-none"})"},
    {"p18", R"({"type":"agent.status","id":"p18","status":"ready"})"},
    {"p19", R"({"type":"offer.reject","id":"p19","offer":"o-none"})"},
    {"p20", R"({"type":"queue.list","id":"p20"})"},
  };
  ASSERT_EQ(pipeline.size(), 20u);
  for (const auto& [id, text] : pipeline)
    ASSERT_TRUE(alice.send(text)) << alice.error();

  std::vector<json::object> replies;
  while (replies.size() < pipeline.size()) {
    auto r = alice.wait_for(
      [](const json::object& o) {
        return str(o, "type") == "ok" || str(o, "type") == "error";
      },
      reply_timeout);
    if (!r)
      break;
    replies.push_back(*r);
  }
  ASSERT_EQ(replies.size(), pipeline.size()) << "replies: " << [&] {
    std::string s;
    for (auto& r : replies)
      s += dump(r) + "\n";
    return s;
  }();
  for (std::size_t i = 0; i < pipeline.size(); ++i) {
    SCOPED_TRACE(pipeline[i].second);
    EXPECT_EQ(str(replies[i], "re"), pipeline[i].first)
      << "reply #" << i + 1 << " is " << dump(replies[i]);
    EXPECT_EQ(replies[i].contains("re"), !pipeline[i].first.empty())
      << dump(replies[i]);
  }
  // A few the table pins down.
  EXPECT_TRUE(is_ok(replies[0])) << dump(replies[0]);
  EXPECT_EQ(error_code(replies[2]), "bad_request") << dump(replies[2]);
  EXPECT_EQ(error_code(replies[7]), "bad_request") << dump(replies[7]);
  EXPECT_EQ(error_code(replies[10]), "bad_request") << dump(replies[10]);
  EXPECT_FALSE(is_ok(replies[15])) << "a second hello: " << dump(replies[15]);
  EXPECT_TRUE(is_ok(replies[19])) << dump(replies[19]);

  // Exactly one each: nothing more comes.
  auto extra = alice.wait_for(
    [](const json::object& o) {
      return str(o, "type") == "ok" || str(o, "type") == "error";
    },
    quiet_period);
  EXPECT_FALSE(extra) << "a 21st reply: " << dump(extra);
}

} // namespace
} // namespace baton::e2e
