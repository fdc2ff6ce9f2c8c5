#include "log/log.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include <unistd.h>

namespace baton::log {
namespace {

/// What the log writes to stderr while `write` runs.
template <class Write>
std::string captured(Write&& write) {
  std::fflush(stderr);
  int saved = dup(2);
  std::FILE* tmp = std::tmpfile();
  dup2(fileno(tmp), 2);
  write();
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::string out;
  std::rewind(tmp);
  for (int c; (c = std::fgetc(tmp)) != EOF;)
    out += static_cast<char>(c);
  std::fclose(tmp);
  return out;
}

TEST(LogTest, TextLinesCarryTheMessageAndPlainOrQuotedFields) {
  setup(level::info, format::text);
  auto out = captured([] {
    info("session opened")
      .field("role", "agent")
      .field("user", "a b\"c")
      .field("sessions", 3);
  });
  EXPECT_NE(out.find(" info  session opened role=agent user=\"a b\\\"c\" "
                     "sessions=3\n"),
            std::string::npos)
    << out;
}

TEST(LogTest, JsonLinesAreOneObjectWithEscapedValues) {
  setup(level::info, format::json);
  auto out = captured(
    [] { warn("hello refused").field("reason", "bad\ntoken").field("n", -2); });
  setup(level::info, format::text);
  EXPECT_EQ(out.rfind("{\"ts\":\"", 0), 0u) << out;
  EXPECT_NE(out.find("\"level\":\"warning\",\"msg\":\"hello refused\","
                     "\"reason\":\"bad\\ntoken\",\"n\":-2}\n"),
            std::string::npos)
    << out;
}

TEST(LogTest, LinesBelowTheLevelAreNotWritten) {
  setup(level::warn, format::text);
  auto out = captured([] {
    info("conversation started").field("conversation", "c-1");
    debug("request");
    error("storage failing");
    always("listening").field("port", 8080);
  });
  setup(level::info, format::text);
  EXPECT_EQ(out.find("conversation started"), std::string::npos) << out;
  EXPECT_EQ(out.find("request"), std::string::npos) << out;
  EXPECT_NE(out.find("storage failing"), std::string::npos) << out;
  EXPECT_NE(out.find("listening port=8080"), std::string::npos) << out;
  EXPECT_FALSE(enabled(level::debug));
}

TEST(LogTest, TextLinesAboutOneActorBeginWithItsKindAndId) {
  setup(level::info, format::text);
  auto out = captured([] {
    info({"conversation", "c-7"}, "conversation closed").field("by", "a-1");
    warn({"agent", "a] forged"}, "agent not ready");
  });
  EXPECT_NE(out.find(" info  [conversation c-7] conversation closed by=a-1\n"),
            std::string::npos)
    << out;
  // An id that could close the bracket is quoted, as field values are.
  EXPECT_NE(out.find(" [agent \"a] forged\"] agent not ready\n"),
            std::string::npos)
    << out;
}

TEST(LogTest, JsonLinesAboutOneActorCarryItAsAField) {
  setup(level::info, format::json);
  auto out = captured([] {
    info({"queue", "q\"1"}, "queue retired").field("successor", "q2");
  });
  setup(level::info, format::text);
  EXPECT_NE(out.find("\"level\":\"info\",\"queue\":\"q\\\"1\",\"msg\":"
                     "\"queue retired\",\"successor\":\"q2\"}\n"),
            std::string::npos)
    << out;
}

TEST(LogTest, LinesAboutOneActorBelowTheLevelAreNotWritten) {
  setup(level::warn, format::text);
  auto out = captured([] {
    debug({"queue", "q1"}, "offer round");
    info({"agent", "a-1"}, "agent status");
  });
  setup(level::info, format::text);
  EXPECT_EQ(out, "");
}

} // namespace
} // namespace baton::log
