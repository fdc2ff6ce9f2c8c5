#include "engine/storage/postgres_store.hpp"

#include <cstdlib>
#include <memory>
#include <unordered_map>

#include <libpq-fe.h>

#include "engine/storage/event_codec.hpp"

namespace baton::engine::storage {
namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  position BIGSERIAL,
  created_at BIGINT NOT NULL,
  closed_at BIGINT
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
)sql";

using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

[[noreturn]] void fail(PGconn* conn, const std::string& what) {
  std::string why = PQerrorMessage(conn);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
    why.pop_back();
  throw store_error("postgres: " + what + ": " + why);
}

/// Runs `sql` (one or more statements, one implicit transaction).
result_ptr run(PGconn* conn, const std::string& sql, const char* what) {
  result_ptr r{PQexec(conn, sql.c_str()), &PQclear};
  auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    fail(conn, what);
  return r;
}

std::int64_t integer(const PGresult* r, int row, int col) {
  return std::strtoll(PQgetvalue(r, row, col), nullptr, 10);
}

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
                               config::durability_mode durability)
  : url_(url), durability_(durability) {
  conn_ = PQconnectdb(url.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn_);
    PQfinish(conn_);
    throw store_error("cannot connect to PostgreSQL: " + why);
  }
  try {
    run(conn_, "SET client_min_messages = warning", "settings");
    run(conn_,
        durability == config::durability_mode::fsync
          ? "SET synchronous_commit = on"
          : "SET synchronous_commit = off",
        "settings");
    run(conn_, schema, "creating the tables");
  } catch (...) {
    PQfinish(conn_);
    throw;
  }
}

postgres_store::~postgres_store() {
  PQfinish(conn_);
}

std::string postgres_store::literal(std::string_view text) {
  char* quoted = PQescapeLiteral(conn_, text.data(), text.size());
  if (quoted == nullptr)
    fail(conn_, "quoting");
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

void postgres_store::append(std::span<const log_entry> batch) {
  if (batch.empty())
    return;
  // Without BEGIN/COMMIT, the statements of one PQexec are one transaction.
  std::string sql;
  std::string created, inserted;
  std::unordered_map<std::string_view, const event*> last;
  for (const auto& entry : batch) {
    const auto& e = entry.e;
    auto id = literal(entry.conversation);
    if (e.seq == 1)
      created += (created.empty() ? "" : ",")
                 + ("(" + id + "," + std::to_string(e.ts) + ")");
    inserted += inserted.empty() ? "" : ",";
    inserted += "(" + id + "," + std::to_string(e.seq) + ","
                + std::to_string(e.ts) + "," + literal(stored_type(e.body))
                + "," + literal(encode_body_text(e.body)) + ")";
    last[entry.conversation] = &e;
  }
  if (!created.empty())
    sql += "INSERT INTO conversations(id, created_at) VALUES " + created
           + " ON CONFLICT DO NOTHING;";
  sql += "INSERT INTO events(conversation, seq, ts, type, body) VALUES "
         + inserted + ";";
  for (const auto& [id, e] : last) {
    if (std::holds_alternative<conversation_closed>(e->body))
      sql += "UPDATE conversations SET closed_at = " + std::to_string(e->ts)
             + " WHERE id = " + literal(id) + ";";
    else if (e->seq != 1) // an event after a close reopens
      sql += "UPDATE conversations SET closed_at = NULL WHERE id = "
             + literal(id) + " AND closed_at IS NOT NULL;";
  }
  run(conn_, sql, "appending events");
}

void postgres_store::load_open(
  const std::function<void(conversation_log&&)>& each) {
  // Row by row, so a million open conversations are not held twice.
  if (PQsendQuery(conn_,
                  "SELECT c.id, e.seq, e.ts, e.type, e.body FROM conversations "
                  "c JOIN events e ON e.conversation = c.id WHERE c.closed_at "
                  "IS NULL ORDER BY c.position, e.seq")
        == 0
      || PQsetSingleRowMode(conn_) == 0)
    fail(conn_, "loading open conversations");
  conversation_log current;
  std::string error;
  while (PGresult* raw = PQgetResult(conn_)) {
    result_ptr r{raw, &PQclear};
    auto status = PQresultStatus(raw);
    if (status == PGRES_SINGLE_TUPLE && error.empty()) {
      try {
        std::string_view id = PQgetvalue(raw, 0, 0);
        if (id != current.id) {
          if (!current.id.empty())
            each(std::move(current));
          current = conversation_log{std::string(id), {}};
        }
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
  if (!current.id.empty())
    each(std::move(current));
}

std::vector<event> postgres_store::load(const std::string& conversation) {
  auto r = run(conn_,
               "SELECT seq, ts, type, body FROM events WHERE conversation = "
                 + literal(conversation) + " ORDER BY seq",
               "loading a conversation");
  std::vector<event> out;
  int rows = PQntuples(r.get());
  out.reserve(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i)
    out.push_back(read_event(r.get(), i, 0));
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
