#include "engine/config/texts.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

namespace baton::engine::config {
namespace {

TEST(TextsTest, DefaultsAreTheProtocolsWording) {
  texts t;
  EXPECT_EQ(t.format(text_key::participant_joined, {{"name", "Bob"}}),
            "Bob has joined the conversation");
  EXPECT_EQ(t.format(text_key::participant_left, {{"name", "Alice"}}),
            "Alice has left");
  EXPECT_EQ(t.get(text_key::no_agents), "No agents were available");
  EXPECT_EQ(t.format(text_key::transfer_queued, {{"queue", "Billing"}}),
            "Your request is being transferred to Billing, please wait!");
  EXPECT_EQ(t.get(text_key::consent_request),
            "Do you agree that this conversation be transferred to another "
            "member?");
  EXPECT_EQ(t.get(text_key::transfer_placed),
            "Transfer request placed successfully");
  EXPECT_EQ(t.get(text_key::transfer_closed),
            "Conversation is closed due to CHAT TRANSFERRED");
  EXPECT_EQ(t.get(text_key::conference_placed),
            "Conference request has been successfully placed");
  EXPECT_EQ(t.get(text_key::conference_failed),
            "No agents were available to join the conference conversation");
  EXPECT_EQ(t.format(text_key::request_other_content, {{"member", "Alice"}}),
            "New request created by the visitor because Alice was not "
            "available to handle the conversation quickly.");
  EXPECT_EQ(t.format(text_key::transferred_by,
                     {{"agent", "Alice"}, {"time", "10:42"}}),
            "Conversation transferred by Alice at 10:42");
}

TEST(TextsTest, EveryKeyRoundTripsAndHasADefault) {
  for (std::size_t i = 0; i < text_key_count; ++i) {
    auto k = static_cast<text_key>(i);
    EXPECT_EQ(parse_text_key(to_string(k)), k);
    EXPECT_FALSE(default_text(k).empty());
    EXPECT_EQ(check_placeholders(k, default_text(k)), std::nullopt)
      << to_string(k);
  }
  EXPECT_EQ(parse_text_key("nope"), std::nullopt);
}

TEST(TextsTest, FormatLeavesUnknownPlaceholdersVisible) {
  EXPECT_EQ(format_text("{a} and {b}", {{"a", "1"}}), "1 and {b}");
  EXPECT_EQ(format_text("{a}{a}", {{"a", "x"}}), "xx");
  EXPECT_EQ(format_text("open { only", {{"a", "x"}}), "open { only");
  EXPECT_EQ(format_text("{x {a}}", {{"a", "1"}}), "{x 1}");
  EXPECT_EQ(format_text("", {}), "");
  EXPECT_EQ(format_text("{a}", {{"a", "{a}"}}), "{a}"); // no re-expansion
}

TEST(TextsTest, CheckPlaceholdersNamesTheAllowedOnes) {
  EXPECT_EQ(check_placeholders(text_key::participant_left, "{name} left"),
            std::nullopt);
  EXPECT_EQ(check_placeholders(text_key::transferred_by, "{agent} {when}"),
            "unknown placeholder {when} (expected {agent} {time})");
  EXPECT_EQ(check_placeholders(text_key::no_agents, "{name}"),
            "unknown placeholder {name} (this text takes none)");
}

TEST(TextsTest, ConfigOverridesDefaults) {
  auto r = testing::load(R"([auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[texts]
participant_joined = "{name} is here"
no_agents = "Nobody is free"
)");
  ASSERT_TRUE(r.ok());
  auto& t = r.value->texts;
  EXPECT_EQ(t.format(text_key::participant_joined, {{"name", "Bob"}}),
            "Bob is here");
  EXPECT_EQ(t.get(text_key::no_agents), "Nobody is free");
  EXPECT_EQ(t.get(text_key::participant_left), "{name} has left");
}

} // namespace
} // namespace baton::engine::config
