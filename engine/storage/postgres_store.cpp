#include "engine/storage/postgres_store.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include "engine/cluster/shards.hpp"
#include "engine/storage/event_codec.hpp"
#include "engine/storage/postgres_sql.hpp"
#include "engine/storage/row_cursor.hpp"
#include "engine/storage/shard_fence.hpp"

namespace baton::engine::storage {
namespace {

// Under the lock the cluster's tables are made with (postgres_leases.cpp):
// nodes starting together would otherwise race on CREATE.
constexpr const char* schema = R"sql(
SELECT pg_advisory_xact_lock(LOCK_SPACE, 0);
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  position BIGSERIAL,
  created_at BIGINT NOT NULL,
  closed_at BIGINT,
  customer TEXT
);
CREATE INDEX IF NOT EXISTS conversations_open
  ON conversations(position) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS conversations_closed
  ON conversations(closed_at) WHERE closed_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS events (
  conversation TEXT NOT NULL,
  seq BIGINT NOT NULL,
  ts BIGINT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (conversation, seq)
);
-- Databases made before conversations named their customer: the column,
-- and the customer each conversation's first event names.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = current_schema()
                   AND table_name = 'conversations'
                   AND column_name = 'customer') THEN
    ALTER TABLE conversations ADD COLUMN customer TEXT;
    UPDATE conversations c SET customer = e.body::jsonb -> 'customer' ->> 'id'
      FROM events e WHERE e.conversation = c.id AND e.seq = 1;
  END IF;
END $$;
CREATE INDEX IF NOT EXISTS conversations_customer
  ON conversations(customer);
-- The shard a node of a cluster wrote the conversation under; NULL when
-- written by a node that was not in one (docs/cluster.md).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = current_schema()
                   AND table_name = 'conversations'
                   AND column_name = 'shard') THEN
    ALTER TABLE conversations ADD COLUMN shard INTEGER;
  END IF;
END $$;
CREATE INDEX IF NOT EXISTS conversations_open_by_shard
  ON conversations(shard, position) WHERE closed_at IS NULL;
)sql";

using pg::fail;
using pg::integer;
using pg::result_ptr;
using pg::run;

event read_event(const PGresult* r, int row, int first_col) {
  event e;
  e.seq = static_cast<std::uint64_t>(integer(r, row, first_col));
  e.ts = integer(r, row, first_col + 1);
  e.body = decode_body_text(PQgetvalue(r, row, first_col + 2),
                            PQgetvalue(r, row, first_col + 3));
  return e;
}

} // namespace

std::unique_ptr<log_reader> postgres_store::open_reader() {
  return std::make_unique<postgres_store>(url_, durability_);
}

postgres_store::postgres_store(const std::string& url,
                               config::durability_mode durability,
                               std::shared_ptr<shard_fence> fence)
  : url_(url), durability_(durability), fence_(std::move(fence)) {
  conn_ = pg::connect(url);
  try {
    run(conn_,
        durability == config::durability_mode::fsync
          ? "SET synchronous_commit = on"
          : "SET synchronous_commit = off",
        "settings");
    run(conn_, pg::with_lock_space(schema), "creating the tables");
  } catch (...) {
    PQfinish(conn_);
    throw;
  }
}

postgres_store::~postgres_store() {
  PQfinish(conn_);
}

std::string postgres_store::literal(std::string_view text) {
  return pg::literal(conn_, text);
}

std::string postgres_store::fence_statement(std::span<const log_entry> batch) {
  std::vector<std::uint32_t> shards;
  shards.reserve(batch.size());
  for (const auto& entry : batch)
    shards.push_back(
      cluster::shard_of(entry.conversation, fence_->shard_count()));
  std::ranges::sort(shards);
  shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
  learn_unknown_shards(shards);
  std::string epochs;
  for (auto shard : shards) {
    auto epoch = fence_->epoch_of(shard);
    if (!epoch)
      throw fenced_error("shard " + std::to_string(shard)
                         + " is not held by this node");
    epochs += (epochs.empty() ? "" : ",") + std::to_string(*epoch);
  }
  return "SELECT baton_fence(" + literal(fence_->node()) + ","
         + std::to_string(fence_->incarnation()) + "," + pg::shard_array(shards)
         + ",ARRAY[" + epochs + "]::BIGINT[]);";
}

void postgres_store::learn_unknown_shards(
  std::span<const std::uint32_t> shards) {
  auto unknown = fence_->not_held(shards);
  if (unknown.empty())
    return;
  // A claim the database committed whose answer never reached the keeper:
  // a table read from the database meanwhile may already have given these
  // shards to this node's directory. The database says which are this
  // process's, and at what epoch; the rest stay refused.
  auto r = pg::run(conn_,
                   "SELECT shard, epoch FROM baton_shards WHERE owner = "
                     + literal(fence_->node())
                     + " AND holder = " + std::to_string(fence_->incarnation())
                     + " AND shard = ANY(" + pg::shard_array(unknown) + ")",
                   "reading the shards held");
  std::vector<held_shard> held;
  for (int i = 0; i < PQntuples(r.get()); ++i)
    held.push_back({static_cast<std::uint32_t>(pg::integer(r.get(), i, 0)),
                    static_cast<std::uint64_t>(pg::integer(r.get(), i, 1))});
  fence_->learn(held);
}

void postgres_store::append(std::span<const log_entry> batch) {
  if (batch.empty())
    return;
  // Without BEGIN/COMMIT, the statements of one PQexec are one transaction:
  // the fence, first, holds for all of it.
  std::string sql;
  if (fence_) {
    try {
      sql = fence_statement(batch);
    } catch (const fenced_error& e) {
      fence_->lose(e.what());
      throw;
    }
  }
  std::string created, inserted;
  for (const auto& entry : batch) {
    const auto& e = entry.e;
    auto id = literal(entry.conversation);
    if (e.seq == 1) {
      auto customer = customer_of(e);
      created += (created.empty() ? "" : ",")
                 + ("(" + id + "," + std::to_string(e.ts) + ","
                    + (customer.empty() ? "NULL" : literal(customer)) + ","
                    + shard_literal(entry.conversation) + ")");
    }
    inserted += inserted.empty() ? "" : ",";
    inserted += "(" + id + "," + std::to_string(e.seq) + ","
                + std::to_string(e.ts) + "," + literal(stored_type(e.body))
                + "," + literal(encode_body_text(e.body)) + ")";
  }
  if (!created.empty())
    sql += "INSERT INTO conversations(id, created_at, customer, shard) "
           "VALUES "
           + created + " ON CONFLICT DO NOTHING;";
  sql += "INSERT INTO events(conversation, seq, ts, type, body) VALUES "
         + inserted + ";";
  for (const auto* entry : closes_and_reopens(batch)) {
    auto id = literal(entry->conversation);
    if (std::holds_alternative<conversation_closed>(entry->e.body))
      sql += "UPDATE conversations SET closed_at = "
             + std::to_string(entry->e.ts) + " WHERE id = " + id + ";";
    else
      sql += "UPDATE conversations SET closed_at = NULL WHERE id = " + id
             + " AND closed_at IS NOT NULL;";
  }
  try {
    run(conn_, sql, "appending events");
  } catch (const fenced_error& e) {
    fence_->lose(e.what());
    throw;
  }
}

std::string postgres_store::shard_literal(std::string_view conversation) {
  if (!fence_)
    return "NULL";
  return std::to_string(cluster::shard_of(conversation, fence_->shard_count()));
}

void postgres_store::load_open(
  const std::function<void(conversation_log&&)>& each) {
  load_open_where("", nullptr, each);
}

void postgres_store::load_open_in(
  std::span<const std::uint32_t> shards, std::uint32_t shard_count,
  const std::function<void(conversation_log&&)>& each) {
  if (shards.empty())
    return;
  std::vector<bool> wanted(shard_count, false);
  for (auto shard : shards)
    if (shard < shard_count)
      wanted[shard] = true;
  // Conversations written outside a cluster have no shard in the table:
  // theirs is worked out here.
  auto unsharded_wanted = [&](std::string_view id) {
    return wanted[cluster::shard_of(id, shard_count)];
  };
  load_open_where(" AND (c.shard = ANY(" + pg::shard_array(shards)
                    + ") OR c.shard IS NULL)",
                  unsharded_wanted, each);
}

void postgres_store::load_open_where(
  const std::string& condition,
  const std::function<bool(std::string_view)>& unsharded_wanted,
  const std::function<void(conversation_log&&)>& each) {
  // Row by row, so a million open conversations are not held twice.
  auto sql = "SELECT c.id, e.seq, e.ts, e.type, e.body, c.shard IS NULL "
             "FROM conversations c JOIN events e ON e.conversation = c.id "
             "WHERE c.closed_at IS NULL"
             + condition + " ORDER BY c.position, e.seq";
  if (PQsendQuery(conn_, sql.c_str()) == 0 || PQsetSingleRowMode(conn_) == 0)
    fail(conn_, "loading open conversations");
  conversation_log current;
  bool skipped = false; // the current conversation is not wanted
  std::string error;
  while (PGresult* raw = PQgetResult(conn_)) {
    result_ptr r{raw, &PQclear};
    auto status = PQresultStatus(raw);
    if (status == PGRES_SINGLE_TUPLE && error.empty()) {
      try {
        std::string_view id = PQgetvalue(raw, 0, 0);
        if (id != current.id) {
          if (!current.id.empty() && !skipped)
            each(std::move(current));
          current = conversation_log{std::string(id), {}};
          skipped = unsharded_wanted && PQgetvalue(raw, 0, 5)[0] == 't'
                    && !unsharded_wanted(id);
        }
        if (!skipped)
          current.events.push_back(read_event(raw, 0, 1));
      } catch (const std::exception& e) {
        error = e.what(); // drain the rest of the results first
      }
    } else if (status != PGRES_TUPLES_OK && status != PGRES_SINGLE_TUPLE
               && error.empty()) {
      error = PQresultErrorMessage(raw);
    }
  }
  if (!error.empty())
    throw store_error("postgres: loading open conversations: " + error);
  if (!current.id.empty() && !skipped)
    each(std::move(current));
}

std::vector<agent_message>
postgres_store::agent_messages(const std::string& customer, time_ms from,
                               time_ms to, std::size_t limit) {
  // The conversations of the customer open in the range, and their agents'
  // customer-visible messages in it, the newest `limit`: filtered and
  // limited here, so a flooded customer costs the limit, not the flood.
  auto a = std::to_string(from);
  auto b = std::to_string(to);
  auto r = run(conn_,
               "SELECT e.seq, e.ts, e.type, e.body FROM conversations c "
               "JOIN events e ON e.conversation = c.id WHERE c.customer = "
                 + literal(customer) + " AND c.created_at <= " + b
                 + " AND (c.closed_at IS NULL OR c.closed_at >= " + a
                 + ") AND e.type = 'message_posted' AND e.ts BETWEEN " + a
                 + " AND " + b
                 + " AND e.body::jsonb #>> '{from,role}' = 'agent'"
                   " AND e.body::jsonb ->> 'visibility' = 'all'"
                   " ORDER BY e.ts DESC LIMIT "
                 + std::to_string(limit),
               "reading messages for attribution");
  std::vector<event> events;
  int rows = PQntuples(r.get());
  events.reserve(static_cast<std::size_t>(rows));
  for (int row = 0; row < rows; ++row)
    events.push_back(read_event(r.get(), row, 0));
  std::vector<agent_message> out;
  collect_agent_messages(events, from, to, out);
  newest_first(out, limit);
  return out;
}

namespace {

/// The events of a `SELECT seq, ts, type, body`, in its order.
std::vector<event> events_of(const PGresult* r) {
  std::vector<event> out;
  int rows = PQntuples(r);
  out.reserve(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i)
    out.push_back(read_event(r, i, 0));
  return out;
}

} // namespace

std::vector<event> postgres_store::load(const std::string& conversation) {
  auto r = run(conn_,
               "SELECT seq, ts, type, body FROM events WHERE conversation = "
                 + literal(conversation) + " ORDER BY seq",
               "loading a conversation");
  return events_of(r.get());
}

std::vector<event> postgres_store::load_rows(const std::string& conversation,
                                             const row_range& rows) {
  auto cursor = cursor_of(rows);
  if (!cursor)
    return {};
  auto seq = std::to_string(cursor->seq);
  auto r
    = run(conn_,
          "SELECT seq, ts, type, body FROM events WHERE conversation = "
            + literal(conversation)
            + (cursor->backward ? " AND seq < " + seq + " ORDER BY seq DESC"
                                : " AND seq > " + seq + " ORDER BY seq")
            + " LIMIT " + std::to_string(cursor->limit),
          "reading a page of a conversation");
  auto out = events_of(r.get());
  if (cursor->backward)
    std::reverse(out.begin(), out.end());
  return out;
}

std::size_t postgres_store::prune_closed(time_ms closed_before,
                                         std::size_t limit) {
  auto cut = std::to_string(closed_before);
  auto r = run(conn_,
               "WITH gone AS (DELETE FROM conversations WHERE id IN (SELECT id "
               "FROM conversations WHERE closed_at IS NOT NULL AND closed_at < "
                 + cut + " LIMIT " + std::to_string(limit)
                 + ") RETURNING id), events_gone AS (DELETE FROM events WHERE "
                   "conversation IN (SELECT id FROM gone)) "
                   "SELECT count(*) FROM gone",
               "deleting old conversations");
  return static_cast<std::size_t>(integer(r.get(), 0, 0));
}

} // namespace baton::engine::storage
