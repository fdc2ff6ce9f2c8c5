#include "engine/storage/postgres_leases.hpp"

#include "engine/storage/postgres_sql.hpp"

namespace baton::engine::storage {
namespace {

// The advisory locks are in LOCK_SPACE (postgres_sql.hpp).
constexpr const char* schema = R"sql(
SELECT pg_advisory_xact_lock(LOCK_SPACE, 0);
CREATE TABLE IF NOT EXISTS baton_cluster (
  singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
  shards INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS baton_nodes (
  node TEXT PRIMARY KEY,
  incarnation BIGINT NOT NULL,
  joined_at TIMESTAMPTZ NOT NULL,
  lease_until TIMESTAMPTZ NOT NULL,
  -- Where the node takes other nodes' calls (cluster.listen); empty: nowhere.
  address TEXT NOT NULL DEFAULT '',
  -- Its clock less the database's at a renewal; NULL: not read yet.
  clock_offset_ms BIGINT,
  -- The node that voted it down (cut off from it while its lease lives):
  -- it renews no more, so its lease runs out. NULL: none did.
  downed_by TEXT
);
CREATE TABLE IF NOT EXISTS baton_shards (
  shard INTEGER PRIMARY KEY,
  owner TEXT,
  holder BIGINT,
  epoch BIGINT NOT NULL DEFAULT 0
);
CREATE OR REPLACE FUNCTION baton_live(who TEXT, which BIGINT)
RETURNS BOOLEAN LANGUAGE sql VOLATILE AS $$
  SELECT EXISTS (SELECT 1 FROM baton_nodes n WHERE n.node = who
                 AND n.incarnation = which
                 AND n.lease_until > clock_timestamp())
$$;
CREATE OR REPLACE FUNCTION baton_fence(writer TEXT, writer_incarnation BIGINT,
                                       wanted INTEGER[], epochs BIGINT[])
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  -- Shared with this node's other writes; a claim from it waits for them.
  PERFORM pg_advisory_xact_lock_shared(LOCK_SPACE, hashtext(writer));
  IF (SELECT count(*) FROM baton_shards s
        JOIN unnest(wanted, epochs) AS w(shard, epoch)
          ON s.shard = w.shard AND s.epoch = w.epoch
      WHERE s.owner = writer AND s.holder = writer_incarnation)
     <> cardinality(wanted) THEN
    RAISE EXCEPTION 'node % no longer holds the shards it writes to', writer
      USING ERRCODE = 'BT001';
  END IF;
END $$;
-- A claim waits on each of its locks for wait_ms at most, then takes
-- nothing and returns what this incarnation holds: it is made again at
-- the next round, and the renewal that round begins with is not held up.
-- A deadlock with the release of a node whose lease ran out (it holds its
-- advisory lock and waits for its row, which the claim holds) ends so
-- too, should wait_ms outlast deadlock_timeout.
CREATE OR REPLACE FUNCTION baton_claim_all(me TEXT, me_incarnation BIGINT,
                                           wait_ms INTEGER)
RETURNS TABLE (claimed_shard INTEGER, claimed_epoch BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
  previous TEXT;
BEGIN
  PERFORM set_config('lock_timeout', greatest(wait_ms, 1) || 'ms', true);
  PERFORM pg_advisory_xact_lock(LOCK_SPACE, 0);
  -- A renewal under way commits before liveness is judged, and one that
  -- starts meanwhile waits and then finds a new version of its row, so it
  -- judges the lease again at its own clock: an owner is either renewed
  -- and live, or past its lease and unable to renew.
  UPDATE baton_nodes n SET lease_until = n.lease_until
    WHERE n.node IN (SELECT s.owner FROM baton_shards s) AND n.node <> me;
  IF NOT baton_live(me, me_incarnation) THEN
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM baton_shards s WHERE s.owner IS NOT NULL
             AND NOT (s.owner = me AND s.holder = me_incarnation)
             AND baton_live(s.owner, s.holder)) THEN
    RETURN;
  END IF;
  -- Writes of the previous owners still in flight commit first, so the
  -- log this node then loads has them.
  FOR previous IN SELECT DISTINCT s.owner FROM baton_shards s
                  WHERE s.owner IS NOT NULL ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(LOCK_SPACE, hashtext(previous));
  END LOOP;
  IF NOT baton_live(me, me_incarnation) THEN
    RETURN; -- this node's own lease ran out while it waited
  END IF;
  UPDATE baton_shards s SET owner = me, holder = me_incarnation,
                            epoch = s.epoch + 1
    WHERE s.owner IS DISTINCT FROM me
       OR s.holder IS DISTINCT FROM me_incarnation;
  -- Every shard this incarnation holds, those of an earlier claim whose
  -- answer was lost included.
  RETURN QUERY SELECT s.shard, s.epoch FROM baton_shards s
    WHERE s.owner = me AND s.holder = me_incarnation;
EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
  RETURN QUERY SELECT s.shard, s.epoch FROM baton_shards s
    WHERE s.owner = me AND s.holder = me_incarnation;
END $$;
-- Who voted whom down, by incarnation, and when: a vote counts while its
-- voter lives, is not voted down itself, and cast it again lately (a node
-- cut off votes each round while the link stays broken, so a link that
-- broke once long ago counts no more).
CREATE TABLE IF NOT EXISTS baton_votes (
  voter TEXT NOT NULL,
  voter_incarnation BIGINT NOT NULL,
  target TEXT NOT NULL,
  target_incarnation BIGINT NOT NULL,
  cast_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
  -- When it was first cast, of the votes cast again since without a lapse.
  first_cast_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (voter, target)
);
-- Tables made before a column: each added once. Only then, since an ALTER
-- locks the table against every renewal (or vote) while it waits.
DO $$ DECLARE missing RECORD; BEGIN
  FOR missing IN
    SELECT * FROM (VALUES
      ('baton_nodes', 'address', 'TEXT NOT NULL DEFAULT '''''),
      ('baton_nodes', 'clock_offset_ms', 'BIGINT'),
      ('baton_nodes', 'downed_by', 'TEXT'),
      ('baton_votes', 'cast_at',
       'TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()'),
      ('baton_votes', 'first_cast_at',
       'TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()')) AS c(tab, name, type)
    WHERE NOT EXISTS (SELECT 1 FROM information_schema.columns
                      WHERE table_schema = current_schema()
                        AND table_name = c.tab AND column_name = c.name)
  LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN %I %s', missing.tab,
                   missing.name, missing.type);
  END LOOP;
END $$;
-- A cut that no majority settles: `me` votes against `other`, and every
-- node cut off from `other` (its partners) is cut off from it only, both
-- ways, without a lapse for `settling`. Taking `other` down heals every
-- cut among them, and no smaller choice does when it has two partners or
-- more: it goes. Of a pair (one partner), the node voted against first
-- goes; of two first votes cast in the same instant, the voter whose name
-- sorts first decides. Any other pattern of cuts is left to the majority.
CREATE OR REPLACE FUNCTION baton_settles_cut(me TEXT, other TEXT,
                                             settling INTERVAL)
RETURNS BOOLEAN LANGUAGE sql AS $$
  WITH live AS (
    SELECT v.voter, v.target, v.first_cast_at FROM baton_votes v
      JOIN baton_nodes a
        ON a.node = v.voter AND a.incarnation = v.voter_incarnation
      JOIN baton_nodes b
        ON b.node = v.target AND b.incarnation = v.target_incarnation
    WHERE a.downed_by IS NULL AND a.lease_until > clock_timestamp()
      AND b.downed_by IS NULL AND b.lease_until > clock_timestamp()),
  partners AS (
    SELECT voter AS node FROM live WHERE target = other
    UNION SELECT target FROM live WHERE voter = other),
  settled AS (
    SELECT p.node,
      (SELECT l.first_cast_at FROM live l
        WHERE l.voter = p.node AND l.target = other) AS against,
      (SELECT l.first_cast_at FROM live l
        WHERE l.voter = other AND l.target = p.node) AS back
    FROM partners p)
  SELECT EXISTS (SELECT 1 FROM partners WHERE node = me)
    AND NOT EXISTS (SELECT 1 FROM settled s
                    WHERE s.against IS NULL OR s.back IS NULL
                       OR greatest(s.against, s.back)
                          > clock_timestamp() - settling)
    AND NOT EXISTS (SELECT 1 FROM live l JOIN partners p
                      ON p.node IN (l.voter, l.target)
                    WHERE other NOT IN (l.voter, l.target))
    AND ((SELECT count(*) FROM partners) >= 2
         OR (SELECT s.against < s.back
                    OR (s.against = s.back AND me COLLATE "C" < other COLLATE "C")
             FROM settled s WHERE s.node = me));
$$;
-- A node is voted down once most of the other live nodes that are not
-- voted down vote so within `lasting_ms`: of two nodes cut off from each
-- other, the first vote decides; a node cut off from all others cannot
-- take one of them down with it. Cuts that make no majority (a pair cut
-- off from each other only, a node cut off from some of many) are settled
-- by baton_settles_cut once its votes lasted three times `lasting_ms`
-- without a lapse: a link that comes back heals well before, when the
-- tables are told again. One vote at a time, and none behind a claim:
-- the voter's next renewal must not wait for it (a vote not taken now is
-- cast again at the next round).
CREATE OR REPLACE FUNCTION baton_vote_down(me TEXT, me_incarnation BIGINT,
                                           other_address TEXT,
                                           other_incarnation BIGINT,
                                           lasting_ms BIGINT)
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
  lasting INTERVAL := make_interval(secs => lasting_ms / 1000.0);
  other TEXT;
  votes INTEGER;
  voters INTEGER;
BEGIN
  IF NOT pg_try_advisory_xact_lock(LOCK_SPACE, 0) THEN
    RETURN false;
  END IF;
  DELETE FROM baton_votes WHERE cast_at < clock_timestamp() - lasting;
  IF NOT EXISTS (SELECT 1 FROM baton_nodes n WHERE n.node = me
                 AND n.incarnation = me_incarnation AND n.downed_by IS NULL
                 AND n.lease_until > clock_timestamp()) THEN
    RETURN false;
  END IF;
  SELECT n.node INTO other FROM baton_nodes n
    WHERE n.address = other_address AND n.incarnation = other_incarnation
      AND n.node <> me AND n.downed_by IS NULL
      AND n.lease_until > clock_timestamp();
  IF other IS NULL THEN
    RETURN false;
  END IF;
  INSERT INTO baton_votes (voter, voter_incarnation, target,
                           target_incarnation, cast_at, first_cast_at)
    VALUES (me, me_incarnation, other, other_incarnation, clock_timestamp(),
            clock_timestamp())
    ON CONFLICT (voter, target) DO UPDATE
    SET voter_incarnation = EXCLUDED.voter_incarnation,
        target_incarnation = EXCLUDED.target_incarnation,
        cast_at = EXCLUDED.cast_at,
        first_cast_at = CASE
          WHEN baton_votes.voter_incarnation = EXCLUDED.voter_incarnation
           AND baton_votes.target_incarnation = EXCLUDED.target_incarnation
          THEN baton_votes.first_cast_at ELSE EXCLUDED.cast_at END;
  SELECT count(*) INTO voters FROM baton_nodes n
    WHERE n.node <> other AND n.downed_by IS NULL
      AND n.lease_until > clock_timestamp();
  SELECT count(*) INTO votes FROM baton_votes v JOIN baton_nodes n
      ON n.node = v.voter AND n.incarnation = v.voter_incarnation
    WHERE v.target = other AND v.target_incarnation = other_incarnation
      AND n.downed_by IS NULL AND n.lease_until > clock_timestamp();
  IF votes * 2 <= voters
     AND baton_settles_cut(me, other, 3 * lasting) IS NOT TRUE THEN
    RETURN false;
  END IF;
  UPDATE baton_nodes n SET downed_by = me
    WHERE n.node = other AND n.incarnation = other_incarnation;
  RETURN true;
END $$;
-- This node's fair share of the shards: ceil(shards / live nodes), taken
-- from those that are free or whose owner is gone for good, lowest first.
-- The waits of baton_claim_all, for the owners it takes from only: the
-- rows of the live ones are not touched, so their renewals go on.
CREATE OR REPLACE FUNCTION baton_claim_share(me TEXT, me_incarnation BIGINT,
                                             wait_ms INTEGER)
RETURNS TABLE (claimed_shard INTEGER, claimed_epoch BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
  previous TEXT;
  share INTEGER;
  gone TEXT[];
  taken INTEGER[];
BEGIN
  PERFORM set_config('lock_timeout', greatest(wait_ms, 1) || 'ms', true);
  PERFORM pg_advisory_xact_lock(LOCK_SPACE, 0);
  -- Owners whose lease looks run out: their rows are written (unchanged),
  -- so a renewal of theirs under way commits first, and the row, read
  -- again, is left alone if it was renewed; one that starts meanwhile
  -- waits and then fails. An owner whose row is not taken here keeps its
  -- shards, even if its lease runs out a moment later.
  WITH locked AS (
    UPDATE baton_nodes n SET lease_until = n.lease_until
    WHERE n.node <> me AND n.lease_until <= clock_timestamp()
      AND n.node IN (SELECT s.owner FROM baton_shards s)
    RETURNING n.node)
  SELECT coalesce(array_agg(node), '{}') INTO gone FROM locked;
  IF NOT baton_live(me, me_incarnation) THEN
    RETURN;
  END IF;
  SELECT ceil((SELECT count(*) FROM baton_shards)::NUMERIC
              / greatest(count(*), 1))::INTEGER INTO share
    FROM baton_nodes n WHERE baton_live(n.node, n.incarnation);
  -- Free, held by an owner taken above, or by an incarnation whose node
  -- has since started again or left (it can write no more).
  taken := ARRAY(
    SELECT s.shard FROM baton_shards s
    WHERE s.owner IS NULL OR s.owner = ANY(gone)
       OR NOT EXISTS (SELECT 1 FROM baton_nodes n WHERE n.node = s.owner
                      AND n.incarnation = s.holder)
    ORDER BY s.shard
    LIMIT greatest(share - (SELECT count(*) FROM baton_shards s
                            WHERE s.owner = me
                              AND s.holder = me_incarnation), 0));
  FOR previous IN SELECT DISTINCT s.owner FROM baton_shards s
                  WHERE s.shard = ANY(taken) AND s.owner IS NOT NULL
                  ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(LOCK_SPACE, hashtext(previous));
  END LOOP;
  IF NOT baton_live(me, me_incarnation) THEN
    RETURN;
  END IF;
  UPDATE baton_shards s SET owner = me, holder = me_incarnation,
                            epoch = s.epoch + 1
    WHERE s.shard = ANY(taken);
  RETURN QUERY SELECT s.shard, s.epoch FROM baton_shards s
    WHERE s.owner = me AND s.holder = me_incarnation;
EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
  RETURN QUERY SELECT s.shard, s.epoch FROM baton_shards s
    WHERE s.owner = me AND s.holder = me_incarnation;
END $$;
-- The calls of nodes of an earlier version, while a cluster is upgraded
-- one node at a time: the claims above, with the wait of a default round.
CREATE OR REPLACE FUNCTION baton_claim_all(me TEXT, me_incarnation BIGINT)
RETURNS TABLE (claimed_shard INTEGER, claimed_epoch BIGINT)
LANGUAGE sql AS $$ SELECT * FROM baton_claim_all(me, me_incarnation, 250) $$;
CREATE OR REPLACE FUNCTION baton_claim_share(me TEXT, me_incarnation BIGINT)
RETURNS TABLE (claimed_shard INTEGER, claimed_epoch BIGINT)
LANGUAGE sql AS $$ SELECT * FROM baton_claim_share(me, me_incarnation, 250)
$$;
)sql";

std::string ms_interval(duration_ms ms) {
  return "interval '" + std::to_string(ms) + " milliseconds'";
}

} // namespace

postgres_leases::postgres_leases(const std::string& url, access a)
  : url_(url), conn_(pg::connect(url)) {
  if (a == access::tables_exist)
    return;
  try {
    pg::run(conn_, pg::with_lock_space(schema), "making the cluster tables");
  } catch (...) {
    PQfinish(conn_);
    throw;
  }
}

postgres_leases::~postgres_leases() {
  PQfinish(conn_);
}

pg_conn* postgres_leases::connection() {
  if (PQstatus(conn_) != CONNECTION_OK) {
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK)
      throw store_error("cannot reconnect to PostgreSQL: "
                        + std::string(PQerrorMessage(conn_)));
    // A new session: without its limit, a renewal could wait for ever.
    if (statement_limit_)
      set_statement_limit(*statement_limit_);
  }
  return conn_;
}

void postgres_leases::limit_statements(duration_ms limit) {
  statement_limit_ = limit;
  connection();
  set_statement_limit(limit);
}

void postgres_leases::set_statement_limit(duration_ms limit) {
  pg::run(conn_, "SET statement_timeout = " + std::to_string(limit),
          "limiting statements");
}

void postgres_leases::prepare(std::uint32_t shards) {
  auto count = std::to_string(shards);
  auto r = pg::run(
    connection(),
    "INSERT INTO baton_cluster(shards) VALUES (" + count
      + ") ON CONFLICT DO NOTHING;"
        "INSERT INTO baton_shards(shard) SELECT g FROM "
        "generate_series(0, "
      + count + " - 1) g WHERE (SELECT shards FROM baton_cluster) = " + count
      + " ON CONFLICT DO NOTHING;"
        "SELECT shards FROM baton_cluster",
    "preparing the shards");
  auto made = pg::integer(r.get(), 0, 0);
  if (made != static_cast<std::int64_t>(shards))
    throw store_error("the cluster in this database has " + std::to_string(made)
                      + " shards, not " + count
                      + " (cluster.shards must be the same on every node)");
}

bool postgres_leases::join(const std::string& node, std::int64_t incarnation,
                           duration_ms expiry, const std::string& address) {
  auto* c = connection();
  auto r = pg::run(
    c,
    "INSERT INTO baton_nodes AS n (node, incarnation, joined_at, lease_until, "
    "address) VALUES ("
      + pg::literal(c, node) + "," + std::to_string(incarnation)
      + ", clock_timestamp(), clock_timestamp() + " + ms_interval(expiry) + ","
      + pg::literal(c, address)
      + ") ON CONFLICT (node) DO UPDATE SET incarnation = "
        "EXCLUDED.incarnation, joined_at = EXCLUDED.joined_at, lease_until = "
        "EXCLUDED.lease_until, address = EXCLUDED.address, downed_by = NULL "
        "WHERE n.lease_until <= clock_timestamp() OR (n.incarnation = "
        "EXCLUDED.incarnation AND n.downed_by IS NULL) RETURNING node",
    "joining the cluster");
  if (PQntuples(r.get()) != 1)
    return false;
  // The votes of and against its earlier lives count no more.
  auto who = pg::literal(c, node);
  auto which = std::to_string(incarnation);
  pg::run(c,
          "DELETE FROM baton_votes WHERE (voter = " + who
            + " AND voter_incarnation <> " + which + ") OR (target = " + who
            + " AND target_incarnation <> " + which + ")",
          "forgetting the votes of an earlier life");
  return true;
}

std::optional<serving_node> postgres_leases::serving() {
  // One node holds every shard while the cluster has one serving node:
  // the owner of shard 0 is it.
  auto r = pg::run(connection(),
                   "SELECT n.node, n.incarnation, n.address FROM baton_shards "
                   "s JOIN baton_nodes n ON n.node = s.owner AND "
                   "n.incarnation = s.holder WHERE s.shard = 0 AND "
                   "n.lease_until > clock_timestamp()",
                   "reading who serves");
  if (PQntuples(r.get()) != 1)
    return std::nullopt;
  return serving_node{PQgetvalue(r.get(), 0, 0), pg::integer(r.get(), 0, 1),
                      PQgetvalue(r.get(), 0, 2)};
}

std::optional<renewal>
postgres_leases::renew(const std::string& node, std::int64_t incarnation,
                       duration_ms expiry,
                       std::optional<duration_ms> clock_offset_ms) {
  auto* c = connection();
  auto who = pg::literal(c, node);
  auto which = std::to_string(incarnation);
  auto offset = clock_offset_ms ? std::to_string(*clock_offset_ms)
                                : std::string{"clock_offset_ms"};
  auto r = pg::run(c,
                   "UPDATE baton_nodes SET lease_until = clock_timestamp() + "
                     + ms_interval(expiry) + ", clock_offset_ms = " + offset
                     + " WHERE node = " + who + " AND incarnation = " + which
                     + " AND lease_until > clock_timestamp() AND downed_by "
                       "IS NULL RETURNING "
                       "(extract(epoch FROM lease_until - clock_timestamp()) "
                       "* 1000)::BIGINT, (SELECT count(*) FROM baton_shards "
                       "WHERE owner = "
                     + who + " AND holder = " + which
                     + "), (SELECT count(*) FROM baton_nodes n WHERE "
                       "baton_live(n.node, n.incarnation)), "
                       "(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT",
                   "renewing the lease");
  if (PQntuples(r.get()) != 1)
    return std::nullopt;
  return renewal{pg::integer(r.get(), 0, 0),
                 static_cast<std::size_t>(pg::integer(r.get(), 0, 1)),
                 static_cast<std::size_t>(pg::integer(r.get(), 0, 2)),
                 pg::integer(r.get(), 0, 3)};
}

bool postgres_leases::vote_down(const std::string& node,
                                std::int64_t incarnation,
                                const std::string& address,
                                std::int64_t other_incarnation,
                                duration_ms lasting) {
  auto* c = connection();
  auto r = pg::run(
    c,
    "SELECT baton_vote_down(" + pg::literal(c, node) + ","
      + std::to_string(incarnation) + "," + pg::literal(c, address) + ","
      + std::to_string(other_incarnation) + "," + std::to_string(lasting) + ")",
    "voting a node down");
  return PQntuples(r.get()) == 1 && PQgetvalue(r.get(), 0, 0)[0] == 't';
}

std::vector<held_shard> postgres_leases::claim_all(const std::string& node,
                                                   std::int64_t incarnation,
                                                   duration_ms wait) {
  return claim("baton_claim_all", node, incarnation, wait);
}

std::vector<held_shard> postgres_leases::claim_share(const std::string& node,
                                                     std::int64_t incarnation,
                                                     duration_ms wait) {
  return claim("baton_claim_share", node, incarnation, wait);
}

std::vector<held_shard>
postgres_leases::claim(const char* function, const std::string& node,
                       std::int64_t incarnation, duration_ms wait) {
  auto* c = connection();
  auto r = pg::run(c,
                   std::string("SELECT claimed_shard, claimed_epoch FROM ")
                     + function + "(" + pg::literal(c, node) + ","
                     + std::to_string(incarnation) + "," + std::to_string(wait)
                     + ")",
                   "claiming shards");
  std::vector<held_shard> out;
  for (int i = 0; i < PQntuples(r.get()); ++i)
    out.push_back({static_cast<std::uint32_t>(pg::integer(r.get(), i, 0)),
                   static_cast<std::uint64_t>(pg::integer(r.get(), i, 1))});
  return out;
}

void postgres_leases::release(const std::string& node,
                              std::int64_t incarnation) {
  auto* c = connection();
  auto who = pg::literal(c, node);
  auto which = std::to_string(incarnation);
  // Exclusive, as a claim from this node would be: a write of it still in
  // the server commits before its shards are free.
  pg::run(c,
          pg::with_lock_space("SELECT pg_advisory_xact_lock(LOCK_SPACE, "
                              "hashtext("
                              + who
                              + ")); UPDATE baton_shards SET owner = NULL, "
                                "holder = NULL WHERE owner = "
                              + who + " AND holder = " + which
                              + "; DELETE FROM baton_nodes WHERE node = " + who
                              + " AND incarnation = " + which
                              + "; DELETE FROM baton_votes WHERE voter = " + who
                              + " OR target = " + who),
          "leaving the cluster");
}

void postgres_leases::release_shards(const std::string& node,
                                     std::int64_t incarnation,
                                     std::span<const std::uint32_t> which) {
  if (which.empty())
    return;
  auto* c = connection();
  auto who = pg::literal(c, node);
  pg::run(
    c,
    pg::with_lock_space("SELECT pg_advisory_xact_lock(LOCK_SPACE, "
                        "hashtext("
                        + who
                        + ")); UPDATE baton_shards SET owner = NULL, "
                          "holder = NULL WHERE owner = "
                        + who + " AND holder = " + std::to_string(incarnation)
                        + " AND shard = ANY(" + pg::shard_array(which) + ")"),
    "releasing shards");
}

std::vector<cluster_member> postgres_leases::members() {
  auto r = pg::run(connection(),
                   "SELECT node, incarnation, (extract(epoch FROM lease_until "
                   "- clock_timestamp()) * 1000)::BIGINT, address, "
                   // Read as JSON: a table a node of this version has not
                   // added the column to yet reads as no vote.
                   "clock_offset_ms, coalesce(to_jsonb(n)->>'downed_by', '') "
                   "FROM baton_nodes n ORDER BY node",
                   "reading the members");
  std::vector<cluster_member> out;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    out.push_back({PQgetvalue(r.get(), i, 0), pg::integer(r.get(), i, 1),
                   pg::integer(r.get(), i, 2), PQgetvalue(r.get(), i, 3)});
    if (!PQgetisnull(r.get(), i, 4))
      out.back().clock_offset_ms = pg::integer(r.get(), i, 4);
    out.back().downed_by = PQgetvalue(r.get(), i, 5);
  }
  return out;
}

std::vector<cluster_cut> postgres_leases::cuts(duration_ms lasting) {
  auto r = pg::run(
    connection(),
    // Read as JSON: a vote of a node of the version before has no
    // first_cast_at yet.
    "SELECT v.voter, v.target, (extract(epoch FROM clock_timestamp() - "
    "coalesce((to_jsonb(v)->>'first_cast_at')::TIMESTAMPTZ, v.cast_at)) "
    "* 1000)::BIGINT FROM baton_votes v "
    "JOIN baton_nodes a ON a.node = v.voter "
    "AND a.incarnation = v.voter_incarnation "
    "JOIN baton_nodes b ON b.node = v.target "
    "AND b.incarnation = v.target_incarnation "
    "WHERE a.lease_until > clock_timestamp() "
    "AND b.lease_until > clock_timestamp() "
    "AND v.cast_at > clock_timestamp() - make_interval(secs => "
      + std::to_string(lasting) + " / 1000.0) ORDER BY v.voter, v.target",
    "reading the cuts");
  std::vector<cluster_cut> out;
  for (int i = 0; i < PQntuples(r.get()); ++i)
    out.push_back({PQgetvalue(r.get(), i, 0), PQgetvalue(r.get(), i, 1),
                   pg::integer(r.get(), i, 2)});
  return out;
}

std::vector<shard_owner> postgres_leases::shards() {
  auto r = pg::run(
    connection(),
    "SELECT s.shard, coalesce(s.owner, ''), coalesce(s.holder, 0), s.epoch, "
    "live, CASE WHEN live THEN n.address ELSE '' END FROM baton_shards s "
    "LEFT JOIN baton_nodes n ON n.node = s.owner AND n.incarnation = s.holder "
    "CROSS JOIN LATERAL (SELECT n.lease_until IS NOT NULL AND n.lease_until > "
    "clock_timestamp() AS live) l ORDER BY s.shard",
    "reading the shards");
  std::vector<shard_owner> out;
  for (int i = 0; i < PQntuples(r.get()); ++i)
    out.push_back({static_cast<std::uint32_t>(pg::integer(r.get(), i, 0)),
                   PQgetvalue(r.get(), i, 1), pg::integer(r.get(), i, 2),
                   static_cast<std::uint64_t>(pg::integer(r.get(), i, 3)),
                   PQgetvalue(r.get(), i, 4)[0] == 't',
                   PQgetvalue(r.get(), i, 5)});
  return out;
}

} // namespace baton::engine::storage
