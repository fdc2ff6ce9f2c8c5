#ifdef BATON_HAVE_POSTGRES

#  include "engine/storage/postgres_leases.hpp"

#  include <gtest/gtest.h>
#  include <libpq-fe.h>

#  include <algorithm>
#  include <chrono>
#  include <future>
#  include <map>
#  include <optional>
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
/// How long a claim waits on each lock: longer than any test.
constexpr duration_ms patient = 60000;

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
    auto claimed = l.claim_all(node, incarnation, patient);
    EXPECT_EQ(claimed.size(), shards);
    fence->hold(claimed);
    return fence;
  }

  /// Nodes n1 … n`count` joined on long leases, node i as incarnation i
  /// taking calls at 10.0.0.1i:7070; whether every join was taken.
  static bool join_nodes(postgres_leases& l, int count) {
    bool all = true;
    for (int i = 1; i <= count; ++i)
      all &= l.join("n" + std::to_string(i), i, long_lease,
                    "10.0.0.1" + std::to_string(i) + ":7070");
    return all;
  }

  /// Waits, on the database's clock, until `node`'s lease has run out.
  void wait_until_expired(postgres_leases& l, const std::string& node) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      // Below zero: `lease_left_ms` is rounded to the millisecond, so 0 may
      // still be up to half of one before the end, when a claim would find
      // the node live.
      for (const auto& m : l.members())
        if (m.node == node && m.lease_left_ms < 0)
          return;
      std::this_thread::sleep_for(20ms);
    }
    FAIL() << node << "'s lease never ran out";
  }

  /// Runs `sql` on `c`; true when it succeeded.
  static bool exec(PGconn* c, const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    auto status = PQresultStatus(r);
    PQclear(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }

  /// A write of `node`'s, held open between its fence on `shard` at `epoch`
  /// and its commit (`COMMIT` on the connection ends it).
  PGconn* open_write(const char* node, std::int64_t incarnation,
                     std::uint32_t shard, std::uint64_t epoch) {
    PGconn* writer = PQconnectdb(url_.c_str());
    EXPECT_EQ(PQstatus(writer), CONNECTION_OK);
    EXPECT_TRUE(exec(writer, "BEGIN"));
    EXPECT_TRUE(exec(writer, "SELECT baton_fence('" + std::string(node) + "', "
                               + std::to_string(incarnation) + ", ARRAY["
                               + std::to_string(shard) + "], ARRAY["
                               + std::to_string(epoch) + "]::BIGINT[])"));
    return writer;
  }

  /// Whether one advisory lock is waited for within 10 s: a claim queued
  /// behind a write.
  bool a_lock_is_awaited() {
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
    return waiting;
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
  EXPECT_TRUE(l->claim_all("n2", 2, patient).empty()) << "n1 serves";
  for (const auto& s : l->shards()) {
    EXPECT_EQ(s.owner, "n1");
    EXPECT_EQ(s.epoch, 1u);
    EXPECT_TRUE(s.owner_live);
  }
}

// `baton cluster status` reads each node's clock offset from the row its
// renewals keep; a renewal that knows none keeps the last.
TEST_F(LeasesTest, ARenewalKeepsTheNodesClockOffset) {
  auto l = leases();
  ASSERT_TRUE(l->join("n1", 1, long_lease));
  EXPECT_FALSE(l->members().at(0).clock_offset_ms) << "not read yet";
  ASSERT_TRUE(l->renew("n1", 1, long_lease, -42));
  EXPECT_EQ(l->members().at(0).clock_offset_ms, -42);
  ASSERT_TRUE(l->renew("n1", 1, long_lease));
  EXPECT_EQ(l->members().at(0).clock_offset_ms, -42);
}

// Tables made by a version before a column get it when a node of this one
// starts, and keep their rows.
TEST_F(LeasesTest, OlderTablesGetTheNewColumns) {
  {
    auto l = leases();
    ASSERT_TRUE(l->join("n1", 1, long_lease));
  }
  PGconn* c = PQconnectdb(url_.c_str());
  ASSERT_TRUE(exec(c, "ALTER TABLE baton_nodes DROP COLUMN clock_offset_ms, "
                      "DROP COLUMN address"));
  ASSERT_TRUE(exec(c, "ALTER TABLE baton_votes DROP COLUMN first_cast_at, "
                      "DROP COLUMN cast_at"));
  PQfinish(c);
  auto l = leases();
  ASSERT_TRUE(l->renew("n1", 1, long_lease, 7));
  auto members = l->members();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].clock_offset_ms, 7);
  EXPECT_EQ(members[0].address, "");
  ASSERT_TRUE(l->join("n2", 2, long_lease, "10.0.0.12:7070"));
  EXPECT_TRUE(l->vote_down("n1", 1, "10.0.0.12:7070", 2, long_lease))
    << "votes are cast into the older table too";
}

// The other nodes learn from the database where to send their clients'
// calls: the serving node's address, while its lease lives.
TEST_F(LeasesTest, TheServingNodeAndItsAddressAreKnownWhileItsLeaseLives) {
  auto l = leases();
  ASSERT_TRUE(l->join("n2", 2, long_lease, "10.0.0.12:7070"));
  EXPECT_FALSE(l->serving().has_value()) << "nobody holds the shards yet";
  ASSERT_TRUE(l->join("n1", 1, short_lease, "10.0.0.11:7070"));
  ASSERT_EQ(l->claim_all("n1", 1, patient).size(), shards);
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
  auto again = l->claim_all("n1", 1, patient);
  ASSERT_EQ(again.size(), shards) << "the shards it holds, not nothing";
  for (const auto& s : again)
    EXPECT_EQ(s.epoch, 1u) << "held already: no new epoch";
  auto renewed = l->renew("n1", 1, long_lease);
  ASSERT_TRUE(renewed.has_value());
  EXPECT_EQ(renewed->shards_held, shards);
}

// While a cluster is upgraded one node at a time, a node of the version
// before calls the claims without a wait, and they still answer it.
TEST_F(LeasesTest, ANodeOfTheVersionBeforeStillClaims) {
  auto l = leases();
  ASSERT_TRUE(l->join("n1", 1, long_lease));
  PGconn* before = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(before), CONNECTION_OK);
  auto claimed = [&](const char* function) {
    PGresult* r = PQexec(before, (std::string("SELECT claimed_shard FROM ")
                                  + function + "('n1', 1)")
                                   .c_str());
    auto rows = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : -1;
    PQclear(r);
    return rows;
  };
  EXPECT_EQ(claimed("baton_claim_share"), static_cast<int>(shards));
  EXPECT_EQ(claimed("baton_claim_all"), static_cast<int>(shards));
  PQfinish(before);
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
  auto claimed = l->claim_all("n2", 2, patient);
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
  EXPECT_EQ(l->claim_all("n2", 2, patient).size(), shards);
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
  new_fence->hold(l->claim_all("n2", 2, patient));
  postgres_store new_store(url_, config::durability_mode::os, new_fence);

  std::vector<log_entry> stale{message("c1", 2), message("c2", 2)};
  EXPECT_THROW(old_store.append(stale), fenced_error);
  EXPECT_NE(lost.find("no longer holds"), std::string::npos) << lost;
  EXPECT_EQ(new_store.load("c1").size(), 1u) << "nothing of it was written";

  std::vector<log_entry> fresh{message("c1", 2)};
  new_store.append(fresh);
  EXPECT_EQ(new_store.load("c1").size(), 2u);
}

TEST_F(LeasesTest, AWriteToAShardNotHeldIsRefused) {
  auto l = leases();
  ASSERT_TRUE(l->join("n1", 1, long_lease));
  auto fence = std::make_shared<shard_fence>("n1", 1, shards);
  std::string lost;
  fence->on_lost([&](const std::string& why) { lost = why; });
  postgres_store store(url_, config::durability_mode::os, fence);
  std::vector<log_entry> batch{created("c1")};
  EXPECT_THROW(store.append(batch), fenced_error);
  EXPECT_NE(lost.find("not held"), std::string::npos) << lost;
}

// The database committed a claim whose answer the keeper never had: its
// fence does not know the shards, while a table read meanwhile may give
// them to its directory. Its first write there is not refused: the fence
// learns them from the database, at their epochs.
TEST_F(LeasesTest, AClaimWhoseAnswerWasLostIsLearntAtTheFirstWrite) {
  auto l = leases();
  ASSERT_TRUE(l->join("n1", 1, long_lease));
  ASSERT_EQ(l->claim_all("n1", 1, patient).size(), shards)
    << "the answer goes nowhere";
  auto fence = std::make_shared<shard_fence>("n1", 1, shards);
  std::string lost;
  fence->on_lost([&](const std::string& why) { lost = why; });
  postgres_store store(url_, config::durability_mode::os, fence);
  std::vector<log_entry> batch{created("c1")};
  store.append(batch);
  EXPECT_TRUE(lost.empty()) << lost;
  EXPECT_EQ(fence->epoch_of(cluster::shard_of("c1", shards)), 1u);
  EXPECT_EQ(fence->held(), 1u) << "only the shard written to";
  EXPECT_EQ(store.load("c1").size(), 1u);

  // One it gives up is not learnt again while the database still names it
  // (its writers stopped first: a write there is a fault).
  std::vector<std::uint32_t> given{cluster::shard_of("c1", shards)};
  fence->release(given);
  std::vector<log_entry> after{message("c1", 2)};
  EXPECT_THROW(store.append(after), fenced_error);
  EXPECT_NE(lost.find("not held"), std::string::npos) << lost;
  // Freed, then claimed again (a later epoch), that answer lost as well.
  l->release_shards("n1", 1, given);
  l->claim_all("n1", 1, patient);
  store.append(after);
  EXPECT_EQ(fence->epoch_of(given[0]), 2u);
  EXPECT_EQ(store.load("c1").size(), 2u);

  // Another process of the same node id holds none of them.
  auto other = std::make_shared<shard_fence>("n1", 2, shards);
  postgres_store stale(url_, config::durability_mode::os, other);
  std::vector<log_entry> more{message("c1", 3)};
  EXPECT_THROW(stale.append(more), fenced_error);
  EXPECT_EQ(other->held(), 0u);
  EXPECT_EQ(store.load("c1").size(), 2u);
}

using claim_method
  = std::vector<held_shard> (postgres_leases::*)(const std::string&,
                                                 std::int64_t, duration_ms);

/// A claim waits for the writes the previous owner has under way, so the
/// log the new owner then loads holds every write that was acknowledged.
class ClaimTest : public LeasesTest,
                  public ::testing::WithParamInterface<claim_method> {
protected:
  /// n1 claimed every shard, and its lease ran out while a write of its to
  /// c9 is open between its fence and its commit; n2 joined to claim.
  /// `COMMIT` on the connection returned ends the write.
  PGconn* a_lapsed_owners_write_open(postgres_leases& l) {
    active(l, "n1", 1, short_lease);
    EXPECT_TRUE(l.join("n2", 2, long_lease));
    store_.emplace(url_, config::durability_mode::os); // the tables
    PGconn* writer = open_write("n1", 1, cluster::shard_of("c9", shards), 1);
    wait_until_expired(l, "n1");
    return writer;
  }

  std::optional<postgres_store> store_;
};

TEST_P(ClaimTest, AClaimWaitsForTheWritesUnderWay) {
  auto l = leases();
  PGconn* writer = a_lapsed_owners_write_open(*l);
  ASSERT_TRUE(exec(writer, "INSERT INTO conversations(id, created_at) VALUES "
                           "('c9', 100)"));

  auto claim = std::async(std::launch::async, [&] {
    postgres_leases own(url_);
    return (own.*GetParam())("n2", 2, patient).size();
  });
  // The claim is queued behind n1's write, on the lock the write holds.
  ASSERT_TRUE(a_lock_is_awaited()) << "the claim did not wait for the write";
  EXPECT_EQ(claim.wait_for(std::chrono::seconds(0)),
            std::future_status::timeout);
  ASSERT_TRUE(exec(writer, "COMMIT"));
  PQfinish(writer);
  EXPECT_EQ(claim.get(), shards) << "it goes on once the write is in";
}

// A write that outlasts the claim's wait (a node slow to hand over): the
// claim takes nothing, fails nothing, and is made again later. Waiting as
// long as its statement may run, it would hold up its node's next renewal.
TEST_P(ClaimTest, AClaimThatCannotTakeALockInTimeTakesNothingThisTime) {
  auto l = leases();
  PGconn* writer = a_lapsed_owners_write_open(*l);

  constexpr duration_ms brief = 50;
  std::vector<held_shard> claimed;
  EXPECT_NO_THROW(claimed = ((*l).*GetParam())("n2", 2, brief));
  EXPECT_TRUE(claimed.empty()) << "n1's write holds its shards' lock";
  for (const auto& s : l->shards())
    EXPECT_EQ(s.owner, "n1") << "shard " << s.shard << " moved";
  ASSERT_TRUE(exec(writer, "COMMIT"));
  PQfinish(writer);
  EXPECT_EQ(((*l).*GetParam())("n2", 2, brief).size(), shards)
    << "made again once the write is in";
}

INSTANTIATE_TEST_SUITE_P(EveryClaim, ClaimTest,
                         ::testing::Values(&postgres_leases::claim_all,
                                           &postgres_leases::claim_share),
                         [](const auto& info) {
                           return info.index == 0 ? "All" : "Share";
                         });

/// n1 (on a short lease), n2 and n3 claim their shares, 3, 3 and 2 of the
/// 8; n1's shards.
std::vector<held_shard> share_among_three(postgres_leases& l) {
  EXPECT_TRUE(l.join("n1", 1, short_lease));
  EXPECT_TRUE(l.join("n2", 2, long_lease));
  EXPECT_TRUE(l.join("n3", 3, long_lease));
  auto first = l.claim_share("n1", 1, patient);
  EXPECT_EQ(l.claim_share("n2", 2, patient).size(), 3u);
  EXPECT_EQ(l.claim_share("n3", 3, patient).size(), 2u);
  return first;
}

/// Which node owns each shard, by the database; every shard has one.
std::map<std::uint32_t, std::string> owners(postgres_leases& l) {
  std::map<std::uint32_t, std::string> out;
  for (const auto& s : l.shards())
    if (s.owner_live)
      out[s.shard] = s.owner;
  return out;
}

TEST_F(LeasesTest, EachLiveNodeClaimsItsFairShare) {
  auto l = leases();
  ASSERT_TRUE(join_nodes(*l, 3));
  EXPECT_EQ(l->claim_share("n1", 1, patient).size(), 3u) << "ceil(8 / 3)";
  EXPECT_EQ(l->claim_share("n2", 2, patient).size(), 3u);
  EXPECT_EQ(l->claim_share("n3", 3, patient).size(), 2u) << "what is left";
  EXPECT_EQ(l->claim_share("n3", 3, patient).size(), 2u)
    << "nothing from live owners";
  auto map = owners(*l);
  ASSERT_EQ(map.size(), shards) << "every shard has its one owner";
  for (const auto& s : l->shards()) {
    EXPECT_EQ(s.epoch, 1u);
    EXPECT_EQ(s.address, std::string("10.0.0.1") + s.owner[1] + ":7070");
  }
  auto renewed = l->renew("n1", 1, long_lease);
  ASSERT_TRUE(renewed.has_value());
  EXPECT_EQ(renewed->shards_held, 3u);
  EXPECT_EQ(renewed->live_nodes, 3u);
}

TEST_F(LeasesTest, ADeadNodesShardsAreSharedByTheSurvivors) {
  auto l = leases();
  auto first = share_among_three(*l);
  ASSERT_EQ(first.size(), 3u);
  wait_until_expired(*l, "n1");

  EXPECT_EQ(l->claim_share("n2", 2, patient).size(), 4u) << "ceil(8 / 2)";
  EXPECT_EQ(l->claim_share("n3", 3, patient).size(), 4u);
  auto map = owners(*l);
  ASSERT_EQ(map.size(), shards);
  auto shard_list = l->shards();
  for (const auto& was : first) {
    EXPECT_NE(map[was.shard], "n1");
    EXPECT_EQ(shard_list[was.shard].epoch, 2u) << "claimed again: epoch + 1";
  }
}

// Two nodes cut off from each other, both reaching the database, vote each
// other down: the first vote is taken, the second is not, since its voter
// was voted down itself. The one voted down renews no more (its keeper
// stops it at that renewal), its lease is not cut short, and its shards
// move once it ran out; started again, it joins afresh.
TEST_F(LeasesTest, OfTwoNodesCutOffFromEachOtherTheFirstToVoteStays) {
  // Long enough to outlast the votes on a loaded machine.
  constexpr duration_ms lease = 2000;
  auto l = leases();
  ASSERT_TRUE(l->join("n1", 1, long_lease, "10.0.0.11:7070"));
  ASSERT_TRUE(l->join("n2", 2, lease, "10.0.0.12:7070"));
  ASSERT_EQ(l->claim_share("n1", 1, patient).size(), 4u);
  ASSERT_EQ(l->claim_share("n2", 2, patient).size(), 4u);
  EXPECT_FALSE(l->vote_down("n1", 1, "10.0.0.12:7070", 7, long_lease))
    << "another incarnation than the table's";
  EXPECT_TRUE(l->vote_down("n1", 1, "10.0.0.12:7070", 2, long_lease));
  EXPECT_FALSE(l->vote_down("n2", 2, "10.0.0.11:7070", 1, long_lease))
    << "a node voted down votes no more";
  EXPECT_FALSE(l->vote_down("n1", 1, "10.0.0.12:7070", 2, long_lease))
    << "voted once";
  EXPECT_FALSE(l->renew("n2", 2, lease)) << "it renews no more";
  EXPECT_TRUE(l->renew("n1", 1, long_lease)) << "the voter goes on";
  EXPECT_FALSE(l->join("n2", 2, lease, "10.0.0.12:7070"))
    << "nor joins again, the same process, while its lease runs";
  auto members = l->members();
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[1].downed_by, "n1");
  EXPECT_GT(members[1].lease_left_ms, 0) << "its lease is not cut short";
  EXPECT_EQ(owners(*l).size(), shards) << "its shards stay until it runs out";

  wait_until_expired(*l, "n2");
  EXPECT_EQ(l->claim_share("n1", 1, patient).size(), shards);
  ASSERT_TRUE(l->join("n2", 3, long_lease, "10.0.0.12:7070"))
    << "started again";
  EXPECT_TRUE(l->renew("n2", 3, long_lease));
  EXPECT_EQ(l->members()[1].downed_by, "");
}

// Of three, a node cut off from the two others is voted down by both, and
// its own votes take neither down. A vote counts while it is cast again:
// one from a link that broke a while ago does not add to a later one's.
TEST_F(LeasesTest, ANodeCutOffFromMostIsVotedDownByRecentVotes) {
  auto l = leases();
  ASSERT_TRUE(join_nodes(*l, 3));
  EXPECT_FALSE(l->vote_down("n3", 3, "10.0.0.11:7070", 1, long_lease));
  EXPECT_FALSE(l->vote_down("n3", 3, "10.0.0.12:7070", 2, long_lease))
    << "one vote of the two others each";
  constexpr duration_ms moment = 1;
  EXPECT_FALSE(l->vote_down("n1", 1, "10.0.0.13:7070", 3, moment));
  std::this_thread::sleep_for(5ms); // past the moment the vote lasts
  EXPECT_FALSE(l->vote_down("n2", 2, "10.0.0.13:7070", 3, moment))
    << "n1's vote, not cast again, counts no more";
  EXPECT_TRUE(l->vote_down("n1", 1, "10.0.0.13:7070", 3, long_lease))
    << "cast again while n2's lasts: two of two";
  EXPECT_FALSE(l->vote_down("n3", 3, "10.0.0.11:7070", 1, long_lease))
    << "voted down, it votes no more";
  auto members = l->members();
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].downed_by, "");
  EXPECT_EQ(members[1].downed_by, "");
  EXPECT_EQ(members[2].downed_by, "n1");
  EXPECT_FALSE(l->renew("n3", 3, long_lease));
  EXPECT_TRUE(l->renew("n1", 1, long_lease));
  EXPECT_TRUE(l->renew("n2", 2, long_lease));
}

// Of three, two nodes cut off from each other only (each reaches the
// third) vote each other down: one vote of two each is no majority either
// way. Once both votes lasted three times their `lasting`, cast again all
// along, the node voted against first goes down, and only it.
TEST_F(LeasesTest, OfTwoNodesCutOffFromEachOtherOnlyTheFirstVotedAgainstGoes) {
  constexpr duration_ms lasting = 300;
  auto l = leases();
  ASSERT_TRUE(join_nodes(*l, 3));
  EXPECT_FALSE(l->vote_down("n1", 1, "10.0.0.12:7070", 2, lasting));
  auto first = std::chrono::steady_clock::now(); // before n2's first vote
  EXPECT_FALSE(l->vote_down("n2", 2, "10.0.0.11:7070", 1, lasting))
    << "one vote of two";
  bool n2_down = false;
  while (!n2_down && std::chrono::steady_clock::now() - first < 10s) {
    std::this_thread::sleep_for(50ms); // a round: well within `lasting`
    // n1 first: should a stalled round let both votes lapse, it is still
    // the first voter.
    n2_down = l->vote_down("n1", 1, "10.0.0.12:7070", 2, lasting);
    if (n2_down) { // the database's clock and this one may differ a little
      EXPECT_GE(std::chrono::steady_clock::now() - first,
                std::chrono::milliseconds(3 * lasting - 20));
    }
    EXPECT_FALSE(l->vote_down("n2", 2, "10.0.0.11:7070", 1, lasting))
      << "n1 was voted against second";
  }
  ASSERT_TRUE(n2_down) << "the votes never decided";
  EXPECT_FALSE(l->renew("n2", 2, long_lease));
  EXPECT_TRUE(l->renew("n1", 1, long_lease));
  EXPECT_TRUE(l->renew("n3", 3, long_lease));
  EXPECT_EQ(l->members()[1].downed_by, "n1");
}

// Votes that lapse start again: a link that broke, healed and broke again
// does not add the first break's time to the second's.
TEST_F(LeasesTest, TwoNodesVotesThatLapsedStartTheirTimeAgain) {
  constexpr duration_ms lasting = 200;
  auto l = leases();
  ASSERT_TRUE(join_nodes(*l, 3));
  EXPECT_FALSE(l->vote_down("n1", 1, "10.0.0.12:7070", 2, lasting));
  EXPECT_FALSE(l->vote_down("n2", 2, "10.0.0.11:7070", 1, lasting));
  std::this_thread::sleep_for(std::chrono::milliseconds(4 * lasting));
  EXPECT_FALSE(l->vote_down("n1", 1, "10.0.0.12:7070", 2, lasting))
    << "cast again after a lapse: the time starts again";
  EXPECT_FALSE(l->vote_down("n2", 2, "10.0.0.11:7070", 1, lasting));
  EXPECT_FALSE(l->vote_down("n1", 1, "10.0.0.12:7070", 2, lasting))
    << "cast again after a lapse: the time starts again";
  EXPECT_TRUE(l->renew("n2", 2, long_lease));
}

// The cuts read back (`baton cluster status`): the live votes, by voter
// then target, each lasting since it was first cast; one not cast again
// within `lasting` is none.
TEST_F(LeasesTest, TheCutsAreTheLiveVotesEachWithHowLongItLasted) {
  constexpr duration_ms lasting = 300;
  auto l = leases();
  ASSERT_TRUE(join_nodes(*l, 3));
  auto n1_n2_cut = [&] { // n2's vote first, then n1's
    bool down = l->vote_down("n2", 2, "10.0.0.11:7070", 1, lasting);
    return l->vote_down("n1", 1, "10.0.0.12:7070", 2, lasting) || down;
  };
  EXPECT_FALSE(n1_n2_cut());
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(n1_n2_cut()) << "cast again: lasting from the first";
  auto cuts = l->cuts(lasting);
  ASSERT_EQ(cuts.size(), 2u);
  EXPECT_EQ(cuts[0].voter, "n1");
  EXPECT_EQ(cuts[0].target, "n2");
  EXPECT_GE(cuts[0].lasted_ms, 90) << "from its first cast, not its last";
  EXPECT_EQ(cuts[1].voter, "n2");
  EXPECT_EQ(cuts[1].target, "n1");
  std::this_thread::sleep_for(std::chrono::milliseconds(lasting + 50));
  EXPECT_TRUE(l->cuts(lasting).empty()) << "not cast again: they lapsed";
}

// Of five, a node cut off from two others reaches the two left: no
// majority against it (two votes of four), none against either of the
// two. Taking it down heals both cuts, and no other single node does:
// once every vote between it and the two lasted three times their
// `lasting`, both ways, it goes, although it voted first, and only it.
// n3 answers n1's vote only later: until then the cut is one-way, and
// settles nothing.
TEST_F(LeasesTest, ANodeCutOffFromSomeOfManyGoesAlone) {
  constexpr duration_ms lasting = 300;
  auto l = leases();
  ASSERT_TRUE(join_nodes(*l, 5));
  auto n1_votes = [&] {
    bool any = l->vote_down("n1", 1, "10.0.0.12:7070", 2, lasting);
    return l->vote_down("n1", 1, "10.0.0.13:7070", 3, lasting) || any;
  };
  EXPECT_FALSE(n1_votes());
  auto start = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> n3_first;
  bool n1_down = false;
  while (!n1_down && std::chrono::steady_clock::now() - start < 10s) {
    n1_down = l->vote_down("n2", 2, "10.0.0.11:7070", 1, lasting);
    if (std::chrono::steady_clock::now() - start
        >= std::chrono::milliseconds(2 * lasting)) {
      if (!n3_first) // before n3's first vote
        n3_first = std::chrono::steady_clock::now();
      n1_down = l->vote_down("n3", 3, "10.0.0.11:7070", 1, lasting) || n1_down;
    }
    if (n1_down) { // the database's clock and this one may differ a little
      ASSERT_TRUE(n3_first.has_value()) << "n3's cut was one-way still";
      EXPECT_GE(std::chrono::steady_clock::now() - *n3_first,
                std::chrono::milliseconds(3 * lasting - 20))
        << "n3's vote had not lasted";
    }
    EXPECT_FALSE(n1_votes()) << "n1 takes neither of them down";
    std::this_thread::sleep_for(50ms); // a round: well within `lasting`
  }
  ASSERT_TRUE(n1_down) << "the votes never decided";
  auto members = l->members();
  ASSERT_EQ(members.size(), 5u);
  EXPECT_NE(members[0].downed_by, "");
  for (std::size_t i = 1; i < members.size(); ++i)
    EXPECT_EQ(members[i].downed_by, "") << members[i].node;
}

// Of five, n1 cut off from n2 and n3, and n3 from n4 too: no one node's
// going heals every cut, and no majority forms, so nobody goes, however
// long the cuts last.
TEST_F(LeasesTest, CutsNoOneNodeHealsTakeNobodyDown) {
  constexpr duration_ms lasting = 200;
  auto l = leases();
  ASSERT_TRUE(join_nodes(*l, 5));
  auto cut = [&](int a, int b) {
    auto address = [](int n) {
      return "10.0.0.1" + std::to_string(n) + ":7070";
    };
    auto name = [](int n) { return "n" + std::to_string(n); };
    bool down = l->vote_down(name(a), a, address(b), b, lasting);
    return l->vote_down(name(b), b, address(a), a, lasting) || down;
  };
  auto round = [&] { return cut(1, 2) | cut(1, 3) | cut(3, 4); };
  EXPECT_FALSE(round());
  auto lasted = [&] {
    auto cuts = l->cuts(lasting);
    return cuts.size() == 6
           && std::ranges::all_of(cuts, [&](const cluster_cut& c) {
                return c.lasted_ms >= 4 * lasting;
              });
  };
  auto first = std::chrono::steady_clock::now();
  while (!lasted() && std::chrono::steady_clock::now() - first < 10s) {
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(round()) << "nobody is voted down";
  }
  ASSERT_TRUE(lasted()) << "the cuts never lasted past settling";
  EXPECT_FALSE(round()) << "nobody is voted down";
  for (const auto& m : l->members())
    EXPECT_EQ(m.downed_by, "") << m.node;
}

// A claim waiting for the writes of the owner it takes from holds up no
// live owner: their renewals go on meanwhile.
TEST_F(LeasesTest, AShareClaimWaitingOnADeadOwnersWriteLetsTheLiveRenew) {
  auto l = leases();
  auto first = share_among_three(*l);
  ASSERT_EQ(first.size(), 3u);

  postgres_store store(url_, config::durability_mode::os); // the tables
  PGconn* writer = open_write("n1", 1, first[0].shard, first[0].epoch);
  wait_until_expired(*l, "n1");

  auto claim = std::async(std::launch::async, [&] {
    postgres_leases own(url_);
    return own.claim_share("n2", 2, patient).size();
  });
  ASSERT_TRUE(a_lock_is_awaited()) << "the claim did not wait for n1's write";

  postgres_leases renewer(url_, postgres_leases::access::tables_exist);
  renewer.limit_statements(2000);
  std::optional<renewal> renewed;
  EXPECT_NO_THROW(renewed = renewer.renew("n3", 3, long_lease))
    << "n3's renewal waited on the claim";
  EXPECT_TRUE(renewed.has_value());
  EXPECT_EQ(claim.wait_for(std::chrono::seconds(0)),
            std::future_status::timeout);
  ASSERT_TRUE(exec(writer, "COMMIT"));
  PQfinish(writer);
  EXPECT_EQ(claim.get(), 4u) << "ceil(8 / 2), n1's shards among them";
}

// A node hands some shards over and keeps the rest: its writes to those it
// gave are refused, by its own fence and by the database, and a write that
// is refused stops it, as any fenced write does (a hand-over stops the
// shards' writers before it gives them up).
TEST_F(LeasesTest, ReleasedShardsGoToAnotherNodeAndTheRestStay) {
  auto l = leases();
  auto fence = active(*l, "n1", 1);
  std::string lost;
  fence->on_lost([&](const std::string& why) { lost = why; });
  auto stale = std::make_shared<shard_fence>("n1", 1, shards);
  stale->hold(l->claim_all("n1", 1, patient));
  ASSERT_TRUE(l->join("n2", 2, long_lease));
  EXPECT_TRUE(l->claim_share("n2", 2, patient).empty())
    << "n1 holds them all, live";

  std::vector<std::uint32_t> given{4, 5, 6, 7};
  fence->release(given);
  l->release_shards("n1", 1, given);
  EXPECT_EQ(fence->held_shards(), (std::vector<std::uint32_t>{0, 1, 2, 3}));
  auto claimed = l->claim_share("n2", 2, patient);
  ASSERT_EQ(claimed.size(), 4u);
  for (const auto& s : claimed) {
    EXPECT_GE(s.shard, 4u);
    EXPECT_EQ(s.epoch, 2u);
  }
  EXPECT_EQ(l->renew("n1", 1, long_lease)->shards_held, 4u) << "n1 stays";

  // One conversation on each side of the hand-over.
  std::string kept, gone;
  for (int i = 0; kept.empty() || gone.empty(); ++i) {
    auto id = "c" + std::to_string(i);
    (cluster::shard_of(id, shards) < 4 ? kept : gone) = id;
  }
  postgres_store store(url_, config::durability_mode::os, fence);
  std::vector<log_entry> mine{created(kept)};
  store.append(mine);
  EXPECT_TRUE(lost.empty()) << lost;
  std::vector<log_entry> theirs{created(gone)};
  EXPECT_THROW(store.append(theirs), fenced_error) << "refused by the fence";
  EXPECT_NE(lost.find("not held"), std::string::npos) << lost;
  postgres_store unaware(url_, config::durability_mode::os, stale);
  EXPECT_THROW(unaware.append(theirs), fenced_error)
    << "refused by the database";
  EXPECT_TRUE(store.load(gone).empty());
}

// A node that claimed some shards recovers their conversations only, those
// written before the cluster (no shard in the table) included.
TEST_F(LeasesTest, ANodeLoadsTheOpenConversationsOfItsShards) {
  auto l = leases();
  auto fence = active(*l, "n1", 1);
  postgres_store clustered(url_, config::durability_mode::os, fence);
  postgres_store alone(url_, config::durability_mode::os);
  std::vector<std::string> ids;
  for (int i = 0; i < 24; ++i) {
    ids.push_back("c" + std::to_string(i));
    std::vector<log_entry> batch{created(ids.back())};
    (i % 3 == 0 ? alone : clustered).append(batch);
  }
  std::vector<std::uint32_t> some{1, 2, 6};
  std::vector<std::string> expected;
  for (const auto& id : ids)
    if (std::ranges::find(some, cluster::shard_of(id, shards)) != some.end())
      expected.push_back(id);
  ASSERT_FALSE(expected.empty());

  std::vector<std::string> loaded;
  clustered.load_open_in(some, shards, [&](conversation_log&& c) {
    EXPECT_EQ(c.events.size(), 1u);
    loaded.push_back(c.id);
  });
  EXPECT_EQ(loaded, expected) << "those shards, in the order they were made";

  // The rows the cluster's node wrote name their shard.
  PGconn* c = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(c), CONNECTION_OK);
  PGresult* r = PQexec(c, "SELECT id, shard FROM conversations WHERE shard "
                          "IS NOT NULL ORDER BY position");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
  ASSERT_EQ(PQntuples(r), 16) << "two in three, written by n1";
  for (int row = 0; row < PQntuples(r); ++row)
    EXPECT_EQ(std::stoul(PQgetvalue(r, row, 1)),
              cluster::shard_of(PQgetvalue(r, row, 0), shards));
  PQclear(r);
  PQfinish(c);
}

} // namespace
} // namespace baton::engine::storage

#endif
