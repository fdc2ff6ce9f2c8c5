#include "engine/config/config.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

// [console]: on by default, its directory anchored like every path, its
// prefix a clean URL path that leaves the endpoints' paths alone.
namespace baton::engine::config {
namespace {

using testing::lines;
using testing::load;
using testing::messages;

constexpr std::string_view secret
  = "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n";

std::string with_console(std::string_view body) {
  return std::string{secret} + "[console]\n" + std::string{body};
}

TEST(ConfigConsoleTest, OnByDefaultAtTheRootWithTheBuiltFiles) {
  auto r = load(secret);
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_TRUE(r.value->console.enabled);
  EXPECT_EQ(r.value->console.dir, "") << "empty: beside the binary";
  EXPECT_EQ(r.value->console.prefix, "");
}

TEST(ConfigConsoleTest, ReadsEveryKey) {
  auto r = load(with_console(
    "enabled = false\ndir = \"/srv/baton/web\"\nprefix = \"/chat\"\n"));
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_FALSE(r.value->console.enabled);
  EXPECT_EQ(r.value->console.dir, "/srv/baton/web");
  EXPECT_EQ(r.value->console.prefix, "/chat");
}

TEST(ConfigConsoleTest, ARelativeDirIsRelativeToTheFile) {
  testing::temp_dir dir;
  auto main = dir.write("baton.toml", with_console("dir = \"../web\"\n"));
  auto r = load_file(main, testing::env_of());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_EQ(r.value->console.dir, (dir.path() / "../web").string());
}

TEST(ConfigConsoleTest, TheEnvironmentTurnsItOff) {
  auto r = load(secret, {{"BATON_CONSOLE_ENABLED", "false"}});
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_FALSE(r.value->console.enabled);
}

TEST(ConfigConsoleTest, APrefixIsAPathWithoutATrailingSlash) {
  for (std::string_view good : {"/chat", "/a/b", "/web-2_x", "/v2", "/app.v1"})
    EXPECT_TRUE(
      load(with_console("prefix = \"" + std::string{good} + "\"\n")).ok())
      << good;
  auto r = load(with_console("prefix = \"chat/\"\n"));
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:4: console.prefix: expected \"\" or a path "
                   "such as \"/chat\" (a leading '/', no trailing one), got "
                   "\"chat/\""}));
}

TEST(ConfigConsoleTest, APrefixCannotClimbOrHideAnEndpoint) {
  for (std::string_view bad :
       {"/", "/a//b", "/..", "/a/../b", "/a/.b", "/a b", "/a?b", "/%2e"})
    EXPECT_FALSE(
      load(with_console("prefix = \"" + std::string{bad} + "\"\n")).ok())
      << bad;
  auto r = load(with_console("prefix = \"/v1/consoles\"\n"));
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:4: console.prefix: \"/v1/consoles\" is taken "
                   "by the endpoint /v1"}));
  EXPECT_TRUE(load(with_console("prefix = \"/v10\"\n")).ok())
    << "only whole segments clash";
}

TEST(ConfigConsoleTest, AnEmptyDirIsRefused) {
  auto r = load(with_console("dir = \"\"\n"));
  EXPECT_FALSE(r.ok());
}

} // namespace
} // namespace baton::engine::config
