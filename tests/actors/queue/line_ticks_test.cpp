// Where an arrival stands in a long line: told at once when it lands near
// the tail or the head, a lower bound elsewhere (the next position tick
// tells the rest).
#include "actors/queue/state.hpp"

#include <gtest/gtest.h>

#include <string>

namespace baton::actors::queue_impl {
namespace {

struct place {
  std::size_t position;
  bool exact;
};

/// Where "new", of age `age`, stands on arriving in a line of 1500 of ages
/// 10, 20, ... 15000.
place arriving_at(engine::time_ms age) {
  engine::waiting_list line;
  for (int i = 1; i <= 1500; ++i)
    line.push({"c" + std::to_string(i), 0, i * 10, ""});
  line.push({"new", 0, age, ""});
  place out{0, false};
  out.position = arrival_position(line, "new", out.exact);
  return out;
}

TEST(ArrivalPositionTest, ExactNearTheTailOrTheHeadALowerBoundBetween) {
  struct told {
    engine::time_ms age;
    std::size_t position;
    bool exact;
    const char* where;
  };
  for (const auto& t :
       {told{20'000, 1501, true, "at the tail"},
        // An age kept from an earlier queue, or a tie of one millisecond
        // broken by id: a few places from the end, past the head's walk.
        told{14'975, 1498, true, "just before the tail"},
        told{25, 3, true, "near the head"},
        told{12'005, 1001, false, "in the middle: a lower bound"}}) {
    SCOPED_TRACE(t.where);
    auto p = arriving_at(t.age);
    EXPECT_EQ(p.position, t.position);
    EXPECT_EQ(p.exact, t.exact);
  }
}

} // namespace
} // namespace baton::actors::queue_impl
