#include "engine/storage/transcript.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace baton::engine::storage {
namespace {

participant ann{"u1", role::customer, "Ann"};

std::vector<event> a_closed_conversation() {
  return {
    {1, 100, conversation_created{channel::web, "general", "", ann, "", 0}},
    {2, 101, conversation_queued{"general", 0, 101, "Please wait", "hi"}},
    {3, 102, message_posted{ann, "hi", visibility::all, "m-1"}},
    {4, 150, conversation_closed{"u1", "done"}},
  };
}

TEST(TranscriptTest, CarriesEveryEventWithItsFieldsAndTheOutcome) {
  auto doc = boost::json::parse(transcript_json("c-1", a_closed_conversation()))
               .as_object();
  EXPECT_EQ(doc.at("conversation").as_string(), "c-1");
  EXPECT_EQ(doc.at("state").as_string(), "closed");
  EXPECT_EQ(doc.at("created_at").as_int64(), 100);
  EXPECT_EQ(doc.at("closed_at").as_int64(), 150);
  const auto& events = doc.at("events").as_array();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[2].at("type").as_string(), "message");
  EXPECT_EQ(events[2].at("text").as_string(), "hi");
  EXPECT_EQ(events[2].at("from").at("id").as_string(), "u1");
  EXPECT_EQ(events[3].at("seq").to_number<std::uint64_t>(), 4u);
}

TEST(TranscriptTest, AnOpenConversationHasNoCloseTime) {
  auto log = a_closed_conversation();
  log.pop_back();
  auto doc = boost::json::parse(transcript_json("c-1", log)).as_object();
  EXPECT_EQ(doc.at("state").as_string(), "queued");
  EXPECT_TRUE(doc.at("closed_at").is_null());
}

} // namespace
} // namespace baton::engine::storage
