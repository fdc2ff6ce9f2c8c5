#include "engine/config/config.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

// find_agent through the roster's index, and in full where no index matches.
namespace baton::engine::config {
namespace {

agent member(std::string id) {
  agent a;
  a.id = std::move(id);
  return a;
}

TEST(RosterIndexTest, ALoadedRosterFindsEveryMemberAndNoOneElse) {
  std::string text = R"(
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
)";
  // Out of id order in the file: the index sorts, the roster keeps its order.
  for (const char* id : {"zoe", "alice", "mia", "bob", "alicia"})
    text += std::string{"[[agents]]\nid = \""} + id + "\"\n";
  auto r = testing::load(text);
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(testing::messages(r.errors));
  const auto& c = *r.value;
  EXPECT_EQ(c.roster.size(), c.agents.size());
  for (const auto& a : c.agents)
    EXPECT_EQ(c.find_agent(a.id), &a) << a.id;
  EXPECT_EQ(c.agents.front().id, "zoe");
  for (const char* absent : {"", "ali", "alice ", "zz", "a", "mi"})
    EXPECT_EQ(c.find_agent(absent), nullptr) << absent;
}

TEST(RosterIndexTest, AfterAnIdComeTheLaterIdsInOrder) {
  config c;
  for (const char* id : {"zoe", "alice", "mia", "bob", "alicia"})
    c.agents.push_back(member(id));
  c.index_roster();
  auto ids_after = [&](std::string_view id) {
    std::vector<std::string> out;
    for (const auto& [later, place] : c.roster.after(id)) {
      EXPECT_EQ(c.agents[place].id, later);
      out.push_back(later);
    }
    return out;
  };
  using ids = std::vector<std::string>;
  EXPECT_EQ(ids_after(""), (ids{"alice", "alicia", "bob", "mia", "zoe"}));
  EXPECT_EQ(ids_after("alice"), (ids{"alicia", "bob", "mia", "zoe"}));
  EXPECT_EQ(ids_after("b"), (ids{"bob", "mia", "zoe"}));
  EXPECT_TRUE(ids_after("zoe").empty());
}

TEST(RosterIndexTest, ARosterPutTogetherByHandIsSearchedInFull) {
  config c;
  c.agents = {member("sam"), member("alice")};
  EXPECT_EQ(c.find_agent("alice"), &c.agents[1]);
  c.index_roster();
  c.agents.push_back(member("bob")); // the index no longer matches
  EXPECT_EQ(c.find_agent("bob"), &c.agents[2]);
  c.index_roster();
  EXPECT_EQ(c.find_agent("bob"), &c.agents[2]);
  EXPECT_EQ(c.find_agent("carol"), nullptr);
}

TEST(RosterIndexTest, ACopyFindsItsOwnAgents) {
  config c;
  c.agents = {member("sam"), member("alice")};
  c.index_roster();
  config copy = c;
  EXPECT_EQ(copy.find_agent("alice"), &copy.agents[1]);
  EXPECT_TRUE(copy == c);
}

} // namespace
} // namespace baton::engine::config
