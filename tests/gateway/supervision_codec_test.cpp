#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gateway/codec/decode.hpp"
#include "gateway/codec/encode.hpp"

namespace baton::gateway {
namespace {

namespace json = boost::json;

actors::supervise_subscribe subscribe(std::string_view text) {
  frame_decoder decoder;
  auto r = decoder.decode(text);
  auto* f = std::get_if<client_frame>(&r);
  if (f == nullptr) {
    ADD_FAILURE() << "not decoded: " << text;
    return {};
  }
  return std::get<actors::supervise_subscribe>(
    std::get<actors::request>(f->body));
}

std::string refusal(std::string_view text) {
  frame_decoder decoder;
  auto r = decoder.decode(text);
  auto* e = std::get_if<decode_error>(&r);
  if (e == nullptr) {
    ADD_FAILURE() << "decoded, but should not have: " << text;
    return {};
  }
  return e->message;
}

json::object event(const actors::notification& n) {
  auto text = encode_event(n, audience::agent);
  EXPECT_TRUE(text);
  return text ? json::parse(*text).as_object() : json::object{};
}

TEST(SupervisionCodecTest, SubscribeTakesAnOptionalListOfQueues) {
  EXPECT_TRUE(subscribe(R"({"type":"supervise.subscribe"})").queues.empty());
  EXPECT_TRUE(subscribe(R"({"type":"supervise.subscribe","queues":null})")
                .queues.empty());
  auto s = subscribe(
    R"({"type":"supervise.subscribe","queues":["sales","support"]})");
  EXPECT_EQ(s.queues, (std::vector<std::string>{"sales", "support"}));
}

TEST(SupervisionCodecTest, SubscribeRefusesQueuesThatAreNotIds) {
  EXPECT_NE(refusal(R"({"type":"supervise.subscribe","queues":"sales"})")
              .find("'queues' must be an array of queue ids"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"type":"supervise.subscribe","queues":["a",1]})")
              .find("'queues' must be an array of queue ids"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"type":"supervise.subscribe","queues":["a b"]})")
              .find("'a b' is not an identifier"),
            std::string::npos);
}

TEST(SupervisionCodecTest, QueueStatsCarriesQueueListRows) {
  actors::queue_stats_notice stats;
  stats.queues.push_back({"sales", "Sales", 2, 3, 1, 4, 1500});
  auto o = event({{}, stats});
  EXPECT_EQ(o["type"], "queue.stats");
  auto row = o["queues"].as_array().at(0).as_object();
  EXPECT_EQ(row["queue"], "sales");
  EXPECT_EQ(row["name"], "Sales");
  EXPECT_EQ(row["agents_available"], 2);
  EXPECT_EQ(row["agents_ready"], 3);
  EXPECT_EQ(row["agents_busy"], 1);
  EXPECT_EQ(row["waiting"], 4);
  EXPECT_EQ(row["longest_wait_ms"], 1500);
}

TEST(SupervisionCodecTest, ConversationUpdatedIsASummary) {
  actors::conversation_summary s;
  s.conversation = "c-1";
  s.state = engine::conversation_state::assigned;
  s.queue = "sales";
  s.customer = {"v-1", engine::role::customer, "Vera"};
  s.agents = {"alice"};
  s.assignee = "alice";
  s.last_seq = 7;
  s.created_at = 1000;
  auto o = event({"c-1", s});
  EXPECT_EQ(o["type"], "conversation.updated");
  EXPECT_EQ(o["conversation"], "c-1");
  EXPECT_EQ(o["state"], "assigned");
  EXPECT_EQ(o["channel"], "web");
  EXPECT_EQ(o["queue"], "sales");
  EXPECT_TRUE(o["topic"].is_null());
  EXPECT_EQ(o["customer"].as_object()["name"], "Vera");
  EXPECT_EQ(o["agents"].as_array().at(0), "alice");
  EXPECT_EQ(o["assignee"], "alice");
  EXPECT_EQ(o["last_seq"], 7);
  EXPECT_EQ(o["created_at"], 1000);
}

TEST(SupervisionCodecTest, AgentUpdatedIsAnAgentRow) {
  actors::agent_row a{"alice", "Alice", engine::agent_status::ready,
                      1,       3,       {"sales"}};
  auto o = event({{}, a});
  EXPECT_EQ(o["type"], "agent.updated");
  EXPECT_EQ(o["agent"], "alice");
  EXPECT_EQ(o["name"], "Alice");
  EXPECT_EQ(o["status"], "ready");
  EXPECT_EQ(o["load"], 1);
  EXPECT_EQ(o["capacity"], 3);
  EXPECT_EQ(o["queues"].as_array().at(0), "sales");
}

TEST(SupervisionCodecTest, CustomersNeverSeeSupervisionEvents) {
  EXPECT_FALSE(
    encode_event({{}, actors::queue_stats_notice{}}, audience::customer));
  EXPECT_FALSE(
    encode_event({"c-1", actors::conversation_summary{}}, audience::customer));
  EXPECT_FALSE(encode_event({{}, actors::agent_row{}}, audience::customer));
}

} // namespace
} // namespace baton::gateway
