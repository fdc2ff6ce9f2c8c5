#include "engine/storage/store.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include "engine/storage/event_codec.hpp"
#include "engine/storage/sqlite_store.hpp"

#include "tests/engine/storage/backends.hpp"

/// Attribution's question to every backend: which agents wrote to a
/// customer, and when, from the stored logs alone.
namespace baton::engine::storage {
namespace {

participant ann{"ann", role::customer, "Ann"};
participant bea{"bea", role::customer, "Bea"};
participant alice{"alice", role::agent, "Alice"};
participant bob{"bob", role::agent, "Bob"};
participant sam{"sam", role::supervisor, "Sam"};

event created(time_ms ts, const participant& customer) {
  return {1, ts,
          conversation_created{channel::web, "general", "", customer, "", 0}};
}
event said(std::uint64_t seq, time_ms ts, const participant& from,
           visibility v = visibility::all) {
  return {seq, ts, message_posted{from, "text", v, ""}};
}
event closed(std::uint64_t seq, time_ms ts) {
  return {seq, ts, conversation_closed{"ann", "done"}};
}

class AgentMessagesTest : public testing::backend_test {
protected:
  std::vector<agent_message> to(const std::string& customer, time_ms from,
                                time_ms until, std::size_t limit = 100) {
    return store_->open_reader()->agent_messages(customer, from, until, limit);
  }
};

TEST_P(AgentMessagesTest, AgentsMessagesToTheCustomerNewestFirst) {
  append({{"c1", created(100, ann)}, {"c1", said(2, 110, alice)}});
  append({{"c1", said(3, 120, ann)}, {"c1", said(4, 130, bob)}});
  // A second conversation of hers; one of someone else's.
  append({{"c2", created(140, ann)}, {"c2", said(2, 150, alice)}});
  append({{"c3", created(141, bea)}, {"c3", said(2, 151, bob)}});

  EXPECT_EQ(
    to("ann", 0, 1000),
    (std::vector<agent_message>{{150, "alice"}, {130, "bob"}, {110, "alice"}}));
  EXPECT_EQ(to("bea", 0, 1000), (std::vector<agent_message>{{151, "bob"}}));
  EXPECT_TRUE(to("cat", 0, 1000).empty());
}

TEST_P(AgentMessagesTest, OnlyTheRangeCountsBothEndsIncluded) {
  append({{"c1", created(100, ann)},
          {"c1", said(2, 110, alice)},
          {"c1", said(3, 120, bob)},
          {"c1", said(4, 130, alice)}});
  EXPECT_EQ(to("ann", 110, 120),
            (std::vector<agent_message>{{120, "bob"}, {110, "alice"}}));
  EXPECT_TRUE(to("ann", 131, 200).empty());
  EXPECT_TRUE(to("ann", 0, 109).empty());
}

TEST_P(AgentMessagesTest, WhispersAndOthersMessagesDoNotCount) {
  append({{"c1", created(100, ann)},
          {"c1", said(2, 110, alice, visibility::agents)},
          {"c1", said(3, 120, sam)},
          {"c1", said(4, 130, ann)}});
  EXPECT_TRUE(to("ann", 0, 1000).empty());
}

TEST_P(AgentMessagesTest, AConversationClosedBeforeTheRangeIsNotRead) {
  append({{"c1", created(100, ann)},
          {"c1", said(2, 110, alice)},
          {"c1", closed(3, 120)}});
  EXPECT_TRUE(to("ann", 121, 1000).empty());
  EXPECT_EQ(to("ann", 110, 1000), (std::vector<agent_message>{{110, "alice"}}));
}

TEST_P(AgentMessagesTest, AtMostTheLimitTheNewest) {
  std::vector<log_entry> batch{{"c1", created(100, ann)}};
  for (std::uint64_t seq = 2; seq < 12; ++seq)
    batch.push_back({"c1", said(seq, 100 + static_cast<time_ms>(seq), bob)});
  append(batch);
  auto newest = to("ann", 0, 1000, 3);
  EXPECT_EQ(newest, (std::vector<agent_message>{
                      {111, "bob"}, {110, "bob"}, {109, "bob"}}));
}

TEST_P(AgentMessagesTest, TheLimitCountsOnlyAgentsMessages) {
  std::vector<log_entry> batch{{"c1", created(100, ann)},
                               {"c1", said(2, 110, alice)}};
  for (std::uint64_t seq = 3; seq < 13; ++seq) // she writes on, and on
    batch.push_back({"c1", said(seq, 110 + static_cast<time_ms>(seq), ann)});
  append(batch);
  EXPECT_EQ(to("ann", 0, 1000, 1),
            (std::vector<agent_message>{{110, "alice"}}));
}

TEST_P(AgentMessagesTest, PrunedConversationsAreGone) {
  append({{"c1", created(100, ann)},
          {"c1", said(2, 110, alice)},
          {"c1", closed(3, 120)}});
  EXPECT_EQ(store_->prune_closed(200, 10), 1u);
  EXPECT_TRUE(to("ann", 0, 1000).empty());
}

TEST_P(AgentMessagesTest, TheyAreThereAfterReopening) {
  if (!backend_->persistent())
    GTEST_SKIP() << GetParam() << " keeps nothing across a reopen";
  append({{"c1", created(100, ann)}, {"c1", said(2, 110, alice)}});
  store_.reset();
  store_ = backend_->open();
  EXPECT_EQ(to("ann", 0, 1000), (std::vector<agent_message>{{110, "alice"}}));
}

// A file written before conversations named their customer: opening it
// adds the column and fills it from each conversation's first event.
TEST(AgentMessagesMigrationTest, AnOlderSqliteFileIsFilledIn) {
  testing::temp_dir dir;
  auto path = dir.path() + "/old.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto row = [](const char* conversation, const event& e) {
    return "INSERT INTO events VALUES ('" + std::string(conversation) + "', "
           + std::to_string(e.seq) + ", " + std::to_string(e.ts) + ", '"
           + std::string(stored_type(e.body)) + "', '"
           + encode_body_text(e.body) + "');";
  };
  auto sql = std::string(
               "CREATE TABLE conversations (id TEXT PRIMARY KEY, "
               "created_at INTEGER NOT NULL, closed_at INTEGER);"
               "CREATE TABLE events (conversation TEXT NOT NULL, seq INTEGER "
               "NOT NULL, ts INTEGER NOT NULL, type TEXT NOT NULL, body TEXT "
               "NOT NULL, PRIMARY KEY (conversation, seq)) WITHOUT ROWID;"
               "INSERT INTO conversations VALUES ('c1', 100, NULL);")
             + row("c1", created(100, ann)) + row("c1", said(2, 110, alice));
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
    << sqlite3_errmsg(db);
  sqlite3_close(db);

  sqlite_store store(path, config::durability_mode::os);
  EXPECT_EQ(store.agent_messages("ann", 0, 1000, 10),
            (std::vector<agent_message>{{110, "alice"}}));
  EXPECT_EQ(store.load("c1").size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AgentMessagesTest, testing::every_backend(),
                         testing::backend_name);

} // namespace
} // namespace baton::engine::storage
