#include <gtest/gtest.h>

#include "engine/conversation/events.hpp"

namespace baton::engine {
namespace {

TEST(LastQueuedAtTest, IsWhenTheLogLastPutItInALine) {
  std::vector<event> log{
    {1, 100, conversation_created{}},
    {2, 200, conversation_queued{"support", 0, 200, "", ""}},
    {3, 300, conversation_closed{}},
    {4, 400, conversation_queued{"billing", 0, 200, "", ""}},
    {5, 500, conversation_closed{}},
  };
  EXPECT_EQ(last_queued_at(log), 400);
  log.resize(3);
  EXPECT_EQ(last_queued_at(log), 200);
  log.resize(1);
  EXPECT_EQ(last_queued_at(log), 0) << "never queued";
}

} // namespace
} // namespace baton::engine
