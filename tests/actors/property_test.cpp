// Random interleavings of the routing service, checked against invariants
// that must hold in any order: one assignee per conversation, capacity, one
// offer at a time, FIFO, no conversation lost. Everything is judged from
// what sinks and replies show, as a client would see it. The model and its
// checks are in property/model.*, the random operations in property/scenario.*.
//
//   BATON_PROPERTY_SEED=<n>   run only seed n (prints its config and log)
//   BATON_PROPERTY_SEEDS=<n>  run seeds 0..n-1 (default 1000)

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/actors/property/scenario.hpp"

namespace baton::actors::testing {
namespace {

constexpr std::uint64_t default_seeds = 1000;
/// Seeds are split across test instances so that ctest can run them in
/// parallel; the instances are named Property/... for --gtest_filter.
constexpr int shards = 4;

std::optional<std::uint64_t> env_number(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0')
    return std::nullopt;
  return std::strtoull(text, nullptr, 10);
}

class RoutingPropertyTest : public ::testing::TestWithParam<int> {};

TEST_P(RoutingPropertyTest, InvariantsHoldAcrossSeededInterleavings) {
  const auto shard = static_cast<std::uint64_t>(GetParam());
  std::vector<std::uint64_t> seeds;
  const auto only = env_number("BATON_PROPERTY_SEED");
  if (only) {
    if (*only % shards != shard)
      GTEST_SKIP() << "seed " << *only << " runs in shard " << *only % shards;
    seeds.push_back(*only);
  } else {
    auto count = env_number("BATON_PROPERTY_SEEDS").value_or(default_seeds);
    for (auto s = shard; s < count; s += shards)
      seeds.push_back(s);
  }
  std::vector<std::uint64_t> failed;
  property::tally total;
  for (auto seed : seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    property::seed_run one{seed, only.has_value()};
    auto problem = one.go();
    total.add(one.counts());
    if (!problem)
      continue;
    // The first few in full, the rest by number.
    if (failed.size() < 3)
      ADD_FAILURE() << *problem;
    failed.push_back(seed);
  }
  std::cout << "[ coverage ] " << seeds.size() << " seeds: " << total.offers
            << " offers shown, " << total.wins << " accepts won, "
            << total.losses << " lost, " << total.races << " raced; "
            << total.full << " times an agent was full; " << total.fifo_pairs
            << " FIFO pairs (" << total.fifo_excused << " excused); "
            << total.assigned << " assigned, " << total.no_agents
            << " no_agents, " << total.left << " left; " << total.replayed
            << " decisions replayed, " << total.changed_by_config
            << " changed by another strategy\n";
  std::string list;
  for (auto s : failed)
    list += " " + std::to_string(s);
  EXPECT_TRUE(failed.empty())
    << failed.size() << " of " << seeds.size() << " seeds failed:" << list;
  // Replay judged real decisions, and can tell a changed configuration.
  if (seeds.size() >= 50) {
    EXPECT_GT(total.replayed, 100u);
    EXPECT_GT(total.changed_by_config, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Property, RoutingPropertyTest,
                         ::testing::Range(0, shards));

} // namespace
} // namespace baton::actors::testing
