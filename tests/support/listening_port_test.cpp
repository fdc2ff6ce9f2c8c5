#include "tests/support/listening_port.hpp"

#include <gtest/gtest.h>

#include <string>

namespace baton::test_support {
namespace {

// The lines as log/log.cpp writes them, in both formats.
constexpr const char* text_line = "2024-05-01T10:00:00.123+0000 info  "
                                  "listening address=127.0.0.1:43123 "
                                  "port=43123\n";
constexpr const char* json_line
  = R"({"ts":"2024-05-01T10:00:00.123+0000","level":"info",)"
    R"("msg":"listening","address":"127.0.0.1:43123","port":43123})"
    "\n";

TEST(ListeningPortTest, TextLineGivesItsPort) {
  EXPECT_EQ(listening_port(text_line), 43123);
}

TEST(ListeningPortTest, JsonLineGivesItsPort) {
  EXPECT_EQ(listening_port(json_line), 43123);
}

TEST(ListeningPortTest, EchoServerLineGivesItsPort) {
  EXPECT_EQ(listening_port("baton-echo listening address=127.0.0.1:5000 "
                           "port=5000\n"),
            5000);
}

TEST(ListeningPortTest, IPv6AddressDoesNotConfuseEitherFormat) {
  EXPECT_EQ(listening_port("info  listening address=[::1]:8081 port=8081\n"),
            8081);
  EXPECT_EQ(listening_port(R"({"msg":"listening","address":"[::1]:8081",)"
                           R"("port":8081})"
                           "\n"),
            8081);
}

TEST(ListeningPortTest, LineWithoutItsNewlineIsNotReadyYet) {
  std::string text = text_line;
  text.pop_back();
  std::string json = json_line;
  json.pop_back();
  EXPECT_EQ(listening_port(text), std::nullopt);
  EXPECT_EQ(listening_port(json), std::nullopt);
  // Half a line: the port may still be growing ("port=4" of "port=43123").
  EXPECT_EQ(listening_port("info  listening address=127.0.0.1:43123 port=4"),
            std::nullopt);
}

TEST(ListeningPortTest, OtherLinesBeforeItAreSkipped) {
  std::string log
    = "2024-05-01T10:00:00.100+0000 info  starting version=0.1.0\n"
      "2024-05-01T10:00:00.110+0000 info  metrics port=9100\n";
  EXPECT_EQ(listening_port(log + text_line), 43123);
  std::string json_log = R"({"level":"info","msg":"metrics","port":9100})"
                         "\n";
  EXPECT_EQ(listening_port(json_log + json_line), 43123);
}

TEST(ListeningPortTest, FirstListeningLineWins) {
  std::string log = text_line;
  log += "info  listening address=127.0.0.1:5001 port=5001\n";
  EXPECT_EQ(listening_port(log), 43123);
}

TEST(ListeningPortTest, NoListeningLineGivesNothing) {
  EXPECT_EQ(listening_port(""), std::nullopt);
  EXPECT_EQ(listening_port("error cannot listen listen=127.0.0.1:80 "
                           "problem=\"Permission denied\"\n"),
            std::nullopt);
  EXPECT_EQ(listening_port(R"({"msg":"not listening","port":80})"
                           "\n"),
            std::nullopt);
}

TEST(ListeningPortTest, PortOutOfRangeOrMissingGivesNothing) {
  EXPECT_EQ(listening_port("info  listening address=x:0 port=0\n"),
            std::nullopt);
  EXPECT_EQ(listening_port("info  listening address=x:65536 port=65536\n"),
            std::nullopt);
  EXPECT_EQ(listening_port("info  listening address=x:65535 port=65535\n"),
            65535);
  // 2^32 + 80: would wrap round to port 80 in 32 bits.
  EXPECT_EQ(listening_port("info  listening address=x port=4294967376\n"),
            std::nullopt);
  EXPECT_EQ(listening_port("info  listening address=x port=\n"), std::nullopt);
  EXPECT_EQ(listening_port("info  listening address=127.0.0.1:80\n"),
            std::nullopt);
  EXPECT_EQ(listening_port(R"({"msg":"listening","port":"80"})"
                           "\n"),
            std::nullopt);
}

} // namespace
} // namespace baton::test_support
