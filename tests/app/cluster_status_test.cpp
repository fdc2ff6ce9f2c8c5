#include "app/cluster_status.hpp"

#include <gtest/gtest.h>

namespace baton::app {
namespace {

using engine::storage::cluster_cut;
using engine::storage::cluster_member;
using engine::storage::shard_owner;

std::vector<shard_owner> owned_by(const std::string& node, std::int64_t who,
                                  std::uint64_t epoch, bool live,
                                  std::uint32_t from, std::uint32_t count) {
  std::vector<shard_owner> out;
  for (std::uint32_t s = from; s < from + count; ++s)
    out.push_back({s, node, who, epoch, live});
  return out;
}

TEST(ClusterStatusTest, NamesWhoServesAndWhoStandsBy) {
  std::vector<cluster_member> members{{"n1", 1, 2700}, {"n2", 2, 2900}};
  auto shards = owned_by("n1", 1, 3, true, 0, 16);
  EXPECT_EQ(describe_cluster(members, shards),
            "16 shards\n"
            "n1  serves 16 shards (epoch 3); lease 2.7 s left\n"
            "n2  stands by; lease 2.9 s left\n");
}

TEST(ClusterStatusTest, SpreadEachNodeServesItsShareOrHoldsNone) {
  std::vector<cluster_member> members{
    {"n1", 1, 2700}, {"n2", 2, 2900}, {"n3", 3, 2800}};
  auto shards = owned_by("n1", 1, 1, true, 0, 8);
  auto second = owned_by("n2", 2, 2, true, 8, 8);
  shards.insert(shards.end(), second.begin(), second.end());
  EXPECT_EQ(describe_cluster(members, shards, true),
            "16 shards\n"
            "n1  serves 8 shards (epoch 1); lease 2.7 s left\n"
            "n2  serves 8 shards (epoch 2); lease 2.9 s left\n"
            "n3  holds no shard; lease 2.8 s left\n");
}

TEST(ClusterStatusTest, SaysWhereEachNodeTakesTheOthersCalls) {
  std::vector<cluster_member> members{{"n1", 1, 2700, "10.0.0.11:7070"},
                                      {"n2", 2, 2900, "10.0.0.12:7070"}};
  auto shards = owned_by("n1", 1, 3, true, 0, 16);
  EXPECT_EQ(describe_cluster(members, shards),
            "16 shards\n"
            "n1  serves 16 shards (epoch 3); lease 2.7 s left; calls at "
            "10.0.0.11:7070\n"
            "n2  stands by; lease 2.9 s left; calls at 10.0.0.12:7070\n");
}

TEST(ClusterStatusTest, SaysHowFarEachLiveNodesClockIsFromTheDatabases) {
  std::vector<cluster_member> members{{"n1", 1, 2700, {}, 3},
                                      {"n2", 2, 2900, {}, -1500},
                                      {"n3", 3, -4000, {}, 12}};
  auto shards = owned_by("n1", 1, 3, true, 0, 16);
  EXPECT_EQ(describe_cluster(members, shards),
            "16 shards\n"
            "n1  serves 16 shards (epoch 3); lease 2.7 s left; clock +3 ms\n"
            "n2  stands by; lease 2.9 s left; clock -1.5 s\n"
            "n3  gone; lease ran out 4.0 s ago\n");
}

// A node voted down still holds its shards while its lease runs: the
// status says it renews no more, and once it ran out, only that it is gone.
TEST(ClusterStatusTest, SaysWhoVotedANodeDownWhileItsLeaseRuns) {
  std::vector<cluster_member> members{{"n1", 1, 2700},
                                      {"n2", 2, 900, {}, {}, "n1"},
                                      {"n3", 3, -200, {}, {}, "n1"}};
  auto shards = owned_by("n2", 2, 3, true, 0, 16);
  EXPECT_EQ(describe_cluster(members, shards, true),
            "16 shards\n"
            "n1  holds no shard; lease 2.7 s left\n"
            "n2  serves 16 shards (epoch 3); lease 0.9 s left; voted down by "
            "n1, renews no more\n"
            "n3  gone; lease ran out 0.2 s ago\n");
}

// Each node's live votes: whom it is cut off from, and since when.
TEST(ClusterStatusTest, SaysWhomEachNodeIsCutOffFromAndForHowLong) {
  std::vector<cluster_member> members{
    {"n1", 1, 2700}, {"n2", 2, 2900}, {"n3", 3, 2800}};
  auto shards = owned_by("n1", 1, 1, true, 0, 8);
  std::vector<cluster_cut> cuts{
    {"n1", "n2", 4100}, {"n1", "n3", 900}, {"n2", "n1", 4000}};
  EXPECT_EQ(describe_cluster(members, shards, true, cuts),
            "8 shards\n"
            "n1  serves 8 shards (epoch 1); lease 2.7 s left; cut off from "
            "n2 (4.1 s), n3 (0.9 s)\n"
            "n2  holds no shard; lease 2.9 s left; cut off from n1 (4.0 s)\n"
            "n3  holds no shard; lease 2.8 s left\n");
}

TEST(ClusterStatusTest, ADeadOwnerHoldsItsShardsUntilAClaim) {
  std::vector<cluster_member> members{{"n1", 1, -4100}, {"n2", 2, 2900}};
  auto shards = owned_by("n1", 1, 2, false, 0, 3);
  auto later = owned_by("n1", 1, 5, false, 3, 1);
  shards.insert(shards.end(), later.begin(), later.end());
  shards.push_back({4, "", 0, 1, false});
  EXPECT_EQ(describe_cluster(members, shards),
            "5 shards\n"
            "n1    holds 4 shards until another node claims them; lease ran "
            "out 4.1 s ago\n"
            "n2    stands by; lease 2.9 s left\n"
            "free  1 shards\n");
}

} // namespace
} // namespace baton::app
