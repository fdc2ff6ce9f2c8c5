#include "gateway/codec/bounded_reply.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace baton::gateway {
namespace {

namespace json = boost::json;

actors::history_page page_of(std::size_t events, std::size_t text_bytes,
                             bool backwards = false) {
  actors::history_page r;
  r.conversation = "c-1";
  r.backwards = backwards;
  for (std::size_t i = 1; i <= events; ++i)
    r.events.push_back(
      {i, 1000,
       engine::message_posted{{"carol", engine::role::customer, "C"},
                              std::string(text_bytes, 'x'),
                              engine::visibility::all,
                              {}}});
  return r;
}

std::vector<std::uint64_t> seqs(const json::object& o) {
  std::vector<std::uint64_t> out;
  for (const auto& e : o.at("events").as_array())
    out.push_back(e.as_object().at("seq").to_number<std::uint64_t>());
  return out;
}

TEST(BoundedReplyTest, AHistoryPageTooLargeIsCutAndSaysMore) {
  auto text = encode_reply_within("r", page_of(500, 1000), audience::agent,
                                  65536);
  ASSERT_LE(text.size(), 65536u);
  auto o = json::parse(text).as_object();
  EXPECT_TRUE(o.at("more").as_bool());
  auto got = seqs(o);
  ASSERT_GT(got.size(), 30u) << "as many as fit, not a handful";
  EXPECT_EQ(got.front(), 1u) << "read forwards: the oldest stay";
}

TEST(BoundedReplyTest, APageReadBackwardsKeepsItsNewest) {
  auto text = encode_reply_within("r", page_of(500, 1000, true),
                                  audience::agent, 65536);
  ASSERT_LE(text.size(), 65536u);
  auto got = seqs(json::parse(text).as_object());
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back(), 500u);
}

TEST(BoundedReplyTest, AnEventTooLargeToFitAloneGoesAloneSoPagingMovesOn) {
  // Control characters escape to six bytes each: 16384 of them outgrow
  // a 65536-byte frame on their own.
  auto page = page_of(3, 1);
  for (auto& e : page.events)
    std::get<engine::message_posted>(e.body).text = std::string(16384, '\x01');
  auto text = encode_reply_within("r", page, audience::agent, 65536);
  auto o = json::parse(text).as_object();
  EXPECT_TRUE(o.at("more").as_bool());
  EXPECT_EQ(seqs(o), std::vector<std::uint64_t>{1})
    << "the first alone, so the next page starts after it";

  page.events.resize(1);
  auto alone
    = json::parse(encode_reply_within("r", page, audience::agent, 65536))
        .as_object();
  EXPECT_EQ(seqs(alone), std::vector<std::uint64_t>{1});
  EXPECT_FALSE(alone.at("more").as_bool()) << "nothing was cut";
}

TEST(BoundedReplyTest, AWaitingListTooLongIsCutAndSmallOnesAreUntouched) {
  actors::waiting_list r;
  for (int i = 0; i < 300; ++i)
    r.entries.push_back({"c-" + std::to_string(i),
                         "general",
                         {},
                         engine::channel::web,
                         {"carol", engine::role::customer, "C"},
                         10,
                         std::string(5000, 'y')});
  auto text = encode_reply_within("r", r, audience::agent, 65536);
  ASSERT_LE(text.size(), 65536u);
  auto o = json::parse(text).as_object();
  EXPECT_TRUE(o.at("more").as_bool());
  EXPECT_LT(o.at("entries")
              .as_array()
              .at(0)
              .as_object()
              .at("content")
              .as_string()
              .size(),
            600u)
    << "a preview, not the whole first message";
  r.entries.resize(3);
  auto small = json::parse(encode_reply_within("r", r, audience::agent, 65536))
                 .as_object();
  EXPECT_FALSE(small.contains("more"));
  EXPECT_EQ(small.at("entries").as_array().size(), 3u);
}

} // namespace
} // namespace baton::gateway
