#include "engine/config/config.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

// [log]: level and format, checked like every other enum of the file.
namespace baton::engine::config {
namespace {

using testing::lines;
using testing::load;
using testing::messages;

constexpr std::string_view secret_line
  = "[auth]\nsecret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n";

TEST(ConfigLogTest, DefaultsAreInfoAsText) {
  log_settings log;
  EXPECT_EQ(log.level, log_level::info);
  EXPECT_EQ(log.format, log_format::text);
  auto r = load(secret_line);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->log, log_settings{});
}

TEST(ConfigLogTest, LevelAndFormatAreRead) {
  auto r = load(std::string{secret_line}
                + "[log]\nlevel = \"warn\"\nformat = \"json\"\n");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_EQ(r.value->log.level, log_level::warn);
  EXPECT_EQ(r.value->log.format, log_format::json);
}

TEST(ConfigLogTest, UnknownValuesNameTheAllowedOnes) {
  auto r = load(std::string{secret_line}
                + "[log]\nlevel = \"verbose\"\nformat = \"xml\"\nfile = "
                  "\"baton.log\"\n");
  EXPECT_EQ(messages(r.errors),
            (lines{"baton.toml:4: log.level: unknown level \"verbose\" "
                   "(expected one of debug, info, warn, error)",
                   "baton.toml:5: log.format: unknown format \"xml\" "
                   "(expected one of text, json)",
                   "baton.toml:6: log.file: unknown key \"file\" (expected "
                   "one of level, format)"}));
}

TEST(ConfigLogTest, TheEnvironmentOverridesTheFile) {
  auto r = load(std::string{secret_line} + "[log]\nlevel = \"error\"\n",
                {{"BATON_LOG_LEVEL", "debug"}, {"BATON_LOG_FORMAT", "json"}});
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r.errors));
  EXPECT_EQ(r.value->log.level, log_level::debug);
  EXPECT_EQ(r.value->log.format, log_format::json);
  auto bad = load(secret_line, {{"BATON_LOG_LEVEL", "loud"}});
  EXPECT_EQ(messages(bad.errors),
            (lines{"environment: BATON_LOG_LEVEL: unknown level \"loud\" "
                   "(expected one of debug, info, warn, error)"}));
}

TEST(ConfigLogTest, NamesRoundTrip) {
  for (auto l :
       {log_level::debug, log_level::info, log_level::warn, log_level::error})
    EXPECT_EQ(parse_log_level(to_string(l)), l);
  for (auto f : {log_format::text, log_format::json})
    EXPECT_EQ(parse_log_format(to_string(f)), f);
  EXPECT_EQ(to_string(log_level::warn), "warn");
  EXPECT_EQ(parse_log_level("warning"), std::nullopt);
  EXPECT_EQ(parse_log_format("TEXT"), std::nullopt);
}

} // namespace
} // namespace baton::engine::config
