#include "engine/storage/event_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "tests/engine/storage/sample_events.hpp"

namespace baton::engine::storage {
namespace {

TEST(EventCodecTest, EveryEventTypeComesBackAsItWent) {
  auto samples = testing::one_of_each_event();
  std::vector<bool> seen(std::variant_size_v<event_body>, false);
  for (const auto& body : samples) {
    seen[body.index()] = true;
    auto text = encode_body_text(body);
    auto back = decode_body_text(stored_type(body), text);
    ASSERT_EQ(back.index(), body.index()) << text;
    EXPECT_EQ(encode_body_text(back), text);
  }
  for (std::size_t i = 0; i < seen.size(); ++i)
    EXPECT_TRUE(seen[i]) << "no sample of event alternative " << i;
}

TEST(EventCodecTest, MissingFieldsKeepTheirDefaults) {
  auto body = decode_body_text("message_posted", R"({"text":"hi"})");
  const auto& m = std::get<message_posted>(body);
  EXPECT_EQ(m.text, "hi");
  EXPECT_EQ(m.visibility, visibility::all);
  EXPECT_TRUE(m.client_msg_id.empty());
}

TEST(EventCodecTest, UnknownTypesAndBadFieldsAreErrors) {
  EXPECT_THROW(decode_body_text("no.such.event", "{}"), codec_error);
  EXPECT_THROW(decode_body_text("message_posted", R"({"text":5})"),
               codec_error);
  EXPECT_THROW(decode_body_text("message_posted", R"({"visibility":"nobody"})"),
               codec_error);
  EXPECT_THROW(decode_body_text("message_posted", "[1,2]"), codec_error);
  EXPECT_THROW(decode_body_text("message_posted", "{"), codec_error);
}

TEST(EventCodecTest, AWholeEventCarriesSeqTimeAndType) {
  event e{7, 1700000000123,
          message_posted{
            {"u1", role::customer, "Ann"}, "hello", visibility::all, "m-1"}};
  auto o = encode_event(e);
  EXPECT_EQ(o.at("seq").as_uint64(), 7u);
  EXPECT_EQ(o.at("ts").as_int64(), 1700000000123);
  EXPECT_EQ(o.at("type").as_string(), "message");
  EXPECT_EQ(o.at("text").as_string(), "hello");
  EXPECT_EQ(o.at("from").at("name").as_string(), "Ann");
}

} // namespace
} // namespace baton::engine::storage
