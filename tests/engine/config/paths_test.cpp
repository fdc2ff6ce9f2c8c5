#include "engine/config/config.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

// Every path of the configuration is relative to the file's directory, not
// to the directory the process happens to run in.
namespace baton::engine::config {
namespace {

namespace fs = std::filesystem;
using testing::messages;

TEST(ConfigPathsTest, RelativePathsAreAnchoredAtTheFilesDirectory) {
  testing::temp_dir dir;
  dir.write("roster.toml", "[[agents]]\nid = \"bob\"\n");
  auto main = dir.write("baton.toml", R"(
agents_file = "roster.toml"
[auth]
secret_file = "data/baton.secret"
[storage]
path = "../db/baton.db"
)");
  auto r = load_file(main, testing::env_of());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_EQ(r.value->auth.secret_file,
            (dir.path() / "data/baton.secret").string());
  EXPECT_EQ(r.value->storage.path, (dir.path() / "../db/baton.db").string());
  EXPECT_NE(r.value->find_agent("bob"), nullptr);
  EXPECT_EQ(r.value->agents_file, "roster.toml") << "kept as written";
}

TEST(ConfigPathsTest, TheDefaultDatabaseLivesBesideTheFile) {
  testing::temp_dir dir;
  auto main = dir.write(
    "baton.toml", "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n");
  auto r = load_file(main, testing::env_of());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->storage.path, (dir.path() / "data/baton.db").string());
}

TEST(ConfigPathsTest, AbsolutePathsStayAsTheyAre) {
  testing::temp_dir dir;
  auto main = dir.write("baton.toml", R"(
[auth]
secret_file = "/var/lib/baton/secret"
[storage]
path = "/var/lib/baton/baton.db"
)");
  auto r = load_file(main, testing::env_of());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->auth.secret_file, "/var/lib/baton/secret");
  EXPECT_EQ(r.value->storage.path, "/var/lib/baton/baton.db");
}

TEST(ConfigPathsTest, APathFromTheEnvironmentFollowsTheSameRule) {
  testing::temp_dir dir;
  auto main = dir.write(
    "baton.toml", "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n");
  auto r = load_file(main, testing::env_of({{"BATON_STORAGE_PATH", "x.db"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->storage.path, (dir.path() / "x.db").string());
}

TEST(ConfigPathsTest, AFileNameWithoutDirectoryLeavesPathsAsWritten) {
  // "baton.toml" in the working directory: its directory is the cwd.
  auto r = testing::load("[auth]\nsecret_file = "
                         "\"data/baton.secret\"\n[storage]\npath = \"x.db\"\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->auth.secret_file, "data/baton.secret");
  EXPECT_EQ(r.value->storage.path, "x.db");
}

TEST(ConfigPathsTest, AnEmptyPathStaysEmpty) {
  testing::temp_dir dir;
  auto main = dir.write("baton.toml", R"(
[auth]
secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
[storage]
backend = "memory"
path = ""
)");
  auto r = load_file(main, testing::env_of());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_EQ(r.value->storage.path, "");
  EXPECT_EQ(r.value->auth.secret_file, "");
}

} // namespace
} // namespace baton::engine::config
