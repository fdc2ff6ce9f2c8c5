#ifdef BATON_HAVE_POSTGRES

#  include "engine/storage/postgres_leases.hpp"

#  include <gtest/gtest.h>
#  include <libpq-fe.h>

#  include <chrono>
#  include <future>
#  include <thread>

#  include "engine/cluster/shards.hpp"
#  include "engine/storage/postgres_store.hpp"
#  include "tests/engine/storage/postgres_cluster.hpp"

/// Leases, claims and the fence against a real PostgreSQL: what keeps two
/// nodes from ever writing the same conversation (docs/cluster.md).
namespace baton::engine::storage {
namespace {

using namespace std::chrono_literals;
using testing::postgres_cluster;

constexpr std::uint32_t shards = 8;
constexpr duration_ms long_lease = 60000;
/// Short enough to run out within a test.
constexpr duration_ms short_lease = 500;

participant ann{"u1", role::customer, "Ann"};

log_entry created(const std::string& id) {
  return {id,
          {1, 100,
           conversation_created{channel::web, "general", "", ann, "", 0}}};
}
log_entry message(const std::string& id, std::uint64_t seq) {
  return {id,
          {seq, 100 + static_cast<time_ms>(seq),
           message_posted{ann, "hello", visibility::all, ""}}};
}

class LeasesTest : public ::testing::Test {
protected:
  void SetUp() override {
    cluster_ = postgres_cluster::shared();
    if (cluster_ == nullptr)
      GTEST_SKIP() << postgres_cluster::why_unavailable();
    url_ = cluster_->url(cluster_->create_database());
  }

  std::unique_ptr<postgres_leases> leases() {
    auto l = std::make_unique<postgres_leases>(url_);
    l->prepare(shards);
    return l;
  }

  /// A node that joined and claimed every shard; its fence, ready for a
  /// store.
  std::shared_ptr<shard_fence> active(postgres_leases& l, const char* node,
                                      std::int64_t incarnation,
                                      duration_ms lease = long_lease) {
    EXPECT_TRUE(l.join(node, incarnation, lease));
    auto fence = std::make_shared<shard_fence>(node, incarnation, shards);
    auto claimed = l.claim_all(node, incarnation);
    EXPECT_EQ(claimed.size(), shards);
    fence->hold(claimed);
    return fence;
  }

  /// Waits, on the database's clock, until `node`'s lease has run out.
  void wait_until_expired(postgres_leases& l, const std::string& node) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& m : l.members())
        if (m.node == node && m.lease_left_ms <= 0)
          return;
      std::this_thread::sleep_for(20ms);
    }
    FAIL() << node << "'s lease never ran out";
  }

  postgres_cluster* cluster_ = nullptr;
  std::string url_;
};

TEST_F(LeasesTest, ANodeIdIsHeldByOneProcessWhileItsLeaseLives) {
  auto l = leases();
  EXPECT_TRUE(l->join("n1", 11, long_lease));
  EXPECT_FALSE(l->join("n1", 12, long_lease)) << "a second process, same id";
  EXPECT_TRUE(l->join("n1", 11, long_lease)) << "the same process again";
  auto members = l->members();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].incarnation, 11);
  EXPECT_GT(members[0].lease_left_ms, long_lease - 5000);
}

TEST_F(LeasesTest, OneNodeClaimsEveryShardAndTheOthersWait) {
  auto l = leases();
  auto fence = active(*l, "n1", 1);
  EXPECT_EQ(fence->held(), shards);
  EXPECT_EQ(fence->epoch_of(3), 1u);
  ASSERT_TRUE(l->join("n2", 2, long_lease));
  EXPECT_TRUE(l->claim_all("n2", 2).empty()) << "n1 serves";
  for (const auto& s : l->shards()) {
    EXPECT_EQ(s.owner, "n1");
    EXPECT_EQ(s.epoch, 1u);
    EXPECT_TRUE(s.owner_live);
  }
}

// The other nodes learn from the database where to send their clients'
// calls: the serving node's address, while its lease lives.
TEST_F(LeasesTest, TheServingNodeAndItsAddressAreKnownWhileItsLeaseLives) {
  auto l = leases();
  ASSERT_TRUE(l->join("n2", 2, long_lease, "10.0.0.12:7070"));
  EXPECT_FALSE(l->serving().has_value()) << "nobody holds the shards yet";
  ASSERT_TRUE(l->join("n1", 1, short_lease, "10.0.0.11:7070"));
  ASSERT_EQ(l->claim_all("n1", 1).size(), shards);
  auto serving = l->serving();
  ASSERT_TRUE(serving.has_value());
  EXPECT_EQ(serving->node, "n1");
  EXPECT_EQ(serving->incarnation, 1);
  EXPECT_EQ(serving->address, "10.0.0.11:7070");
  wait_until_expired(*l, "n1");
  EXPECT_FALSE(l->serving().has_value()) << "its lease ran out";
}

TEST_F(LeasesTest, AClaimWhoseAnswerWasLostIsAnsweredAgain) {
  auto l = leases();
  active(*l, "n1", 1);
  auto again = l->claim_all("n1", 1);
  ASSERT_EQ(again.size(), shards) << "the shards it holds, not nothing";
  for (const auto& s : again)
    EXPECT_EQ(s.epoch, 1u) << "held already: no new epoch";
  auto renewed = l->renew("n1", 1, long_lease);
  ASSERT_TRUE(renewed.has_value());
  EXPECT_EQ(renewed->shards_held, shards);
}

TEST_F(LeasesTest, ADifferentShardCountIsRefused) {
  leases();
  postgres_leases other(url_);
  EXPECT_THROW(other.prepare(shards * 2), store_error);
}

TEST_F(LeasesTest, ALeaseThatRanOutCannotBeRenewedAndItsShardsMove) {
  auto l = leases();
  active(*l, "n1", 1, short_lease);
  ASSERT_TRUE(l->join("n2", 2, long_lease));
  wait_until_expired(*l, "n1");
  EXPECT_FALSE(l->renew("n1", 1, long_lease)) << "too late: n1 must stop";
  auto claimed = l->claim_all("n2", 2);
  ASSERT_EQ(claimed.size(), shards);
  for (const auto& s : claimed)
    EXPECT_EQ(s.epoch, 2u);
  EXPECT_TRUE(l->renew("n2", 2, long_lease).has_value());
}

TEST_F(LeasesTest, ReleasedShardsAreClaimedAtOnce) {
  auto l = leases();
  active(*l, "n1", 1);
  ASSERT_TRUE(l->join("n2", 2, long_lease));
  l->release("n1", 1);
  EXPECT_EQ(l->claim_all("n2", 2).size(), shards);
  EXPECT_EQ(l->members().size(), 1u) << "n1 left";
}

TEST_F(LeasesTest, AStaleNodesWriteIsFencedOffAndNothingOfItStays) {
  auto l = leases();
  auto old_fence = active(*l, "n1", 1, short_lease);
  std::string lost;
  old_fence->on_lost([&](const std::string& why) { lost = why; });
  postgres_store old_store(url_, config::durability_mode::os, old_fence);
  std::vector<log_entry> before{created("c1"), created("c2")};
  old_store.append(before);

  ASSERT_TRUE(l->join("n2", 2, long_lease));
  wait_until_expired(*l, "n1");
  auto new_fence = std::make_shared<shard_fence>("n2", 2, shards);
  new_fence->hold(l->claim_all("n2", 2));
  postgres_store new_store(url_, config::durability_mode::os, new_fence);

  std::vector<log_entry> stale{message("c1", 2), message("c2", 2)};
  EXPECT_THROW(old_store.append(stale), fenced_error);
  EXPECT_NE(lost.find("no longer holds"), std::string::npos) << lost;
  EXPECT_EQ(new_store.load("c1").size(), 1u) << "nothing of it was written";

  std::vector<log_entry> fresh{message("c1", 2)};
  new_store.append(fresh);
  EXPECT_EQ(new_store.load("c1").size(), 2u);
}

TEST_F(LeasesTest, AWriteToAShardNotHeldIsRefusedBeforeTheDatabase) {
  auto l = leases();
  ASSERT_TRUE(l->join("n1", 1, long_lease));
  auto fence = std::make_shared<shard_fence>("n1", 1, shards);
  postgres_store store(url_, config::durability_mode::os, fence);
  std::vector<log_entry> batch{created("c1")};
  EXPECT_THROW(store.append(batch), fenced_error);
}

/// A claim waits for the writes the previous owner has under way, so the
/// log the new owner then loads holds every write that was acknowledged.
TEST_F(LeasesTest, AClaimWaitsForTheWritesUnderWay) {
  auto l = leases();
  active(*l, "n1", 1, short_lease);
  ASSERT_TRUE(l->join("n2", 2, long_lease));

  postgres_store store(url_, config::durability_mode::os); // the tables
  // n1's write, held open between its fence and its commit.
  PGconn* writer = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(writer), CONNECTION_OK);
  auto exec = [&](PGconn* c, const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    auto status = PQresultStatus(r);
    PQclear(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  };
  auto shard = cluster::shard_of("c9", shards);
  ASSERT_TRUE(exec(writer, "BEGIN"));
  ASSERT_TRUE(exec(writer, "SELECT baton_fence('n1', 1, ARRAY["
                             + std::to_string(shard)
                             + "], ARRAY[1]::BIGINT[])"));
  ASSERT_TRUE(exec(writer, "INSERT INTO conversations(id, created_at) VALUES "
                           "('c9', 100)"));
  wait_until_expired(*l, "n1");

  auto claim = std::async(std::launch::async, [&] {
    postgres_leases own(url_);
    return own.claim_all("n2", 2).size();
  });
  // The claim is queued behind n1's write, on the lock the write holds.
  PGconn* watcher = PQconnectdb(url_.c_str());
  auto deadline = std::chrono::steady_clock::now() + 10s;
  bool waiting = false;
  while (!waiting && std::chrono::steady_clock::now() < deadline) {
    PGresult* r = PQexec(watcher, "SELECT count(*) FROM pg_locks WHERE "
                                  "locktype = 'advisory' AND NOT granted");
    waiting = PQresultStatus(r) == PGRES_TUPLES_OK
              && std::string(PQgetvalue(r, 0, 0)) == "1";
    PQclear(r);
    if (!waiting)
      std::this_thread::sleep_for(10ms);
  }
  PQfinish(watcher);
  ASSERT_TRUE(waiting) << "the claim did not wait for the write";
  EXPECT_EQ(claim.wait_for(std::chrono::seconds(0)),
            std::future_status::timeout);
  ASSERT_TRUE(exec(writer, "COMMIT"));
  PQfinish(writer);
  EXPECT_EQ(claim.get(), shards) << "it goes on once the write is in";
}

} // namespace
} // namespace baton::engine::storage

#endif
