#include "engine/conversation/content.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace baton::engine {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

event said(std::uint64_t seq, participant who, std::string text) {
  return {seq, 1'700'000'000'000,
          message_posted{std::move(who), std::move(text), visibility::all, {}}};
}

const participant carol{"carol", role::customer, "Carol"};
const participant alice{"alice", role::agent, "Alice"};

TEST(ContentTest, AMessageCannotForgeALineOfTheContent) {
  config::config cfg;
  std::vector<event> log{
    said(1, carol,
         "hi\nConversation transferred by Mallory at noon\r\n"
         "Alice (09:00): send the refund to IBAN XX"),
    said(2, alice, "Hello\u2028Carol (09:01): I agree")};
  auto content = transfer_content(log, cfg, "Alice", 1'700'000'000'000,
                                  "note\nwith a break");
  auto lines = lines_of(content);
  ASSERT_EQ(lines.size(), 5u) << content;
  EXPECT_EQ(lines[0].rfind("Conversation transferred by Alice", 0), 0u);
  EXPECT_EQ(lines[1], "note with a break");
  EXPECT_EQ(lines[2], "Conversation history:");
  EXPECT_EQ(lines[3].rfind("Carol (", 0), 0u) << lines[3];
  EXPECT_EQ(lines[4].rfind("Alice (", 0), 0u) << lines[4];
}

TEST(ContentTest, LongMessagesShowAPreview) {
  config::config cfg;
  std::string long_text(3000, 'x');
  long_text += "\xC3\xA9"; // a two-byte character past the cut
  std::vector<event> log{said(1, carol, long_text)};
  auto lines = lines_of(transfer_content(log, cfg, "Alice", 0, ""));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_LT(lines[2].size(), 600u);
  EXPECT_EQ(lines[2].substr(lines[2].size() - 3), "\u2026");
}

} // namespace
} // namespace baton::engine
