#include "engine/storage/sqlite_store.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include <sqlite3.h>

#include "engine/storage/event_codec.hpp"
#include "engine/storage/row_cursor.hpp"

namespace baton::engine::storage {
namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  customer TEXT
);
CREATE INDEX IF NOT EXISTS conversations_open
  ON conversations(closed_at) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS conversations_closed
  ON conversations(closed_at) WHERE closed_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS events (
  conversation TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (conversation, seq)
) WITHOUT ROWID;
)sql";

// Files made before conversations named their customer get the column, and
// their conversations the customer their first event names.
constexpr const char* customer_column = R"sql(
ALTER TABLE conversations ADD COLUMN customer TEXT;
UPDATE conversations SET customer = (
  SELECT json_extract(e.body, '$.customer.id') FROM events e
  WHERE e.conversation = conversations.id AND e.seq = 1);
)sql";

constexpr const char* customer_index = R"sql(
CREATE INDEX IF NOT EXISTS conversations_customer ON conversations(customer);
)sql";

/// Agents' customer-visible messages to one customer within a time range,
/// the newest `?4`: its conversations that were open then, and their
/// messages then. Filtered and limited here, so a customer flooded with
/// messages costs the limit, not the flood.
constexpr const char* agent_messages_sql
  = "SELECT e.seq, e.ts, e.type, e.body FROM conversations c "
    "JOIN events e ON e.conversation = c.id "
    "WHERE c.customer = ?1 AND c.created_at <= ?3 "
    "AND (c.closed_at IS NULL OR c.closed_at >= ?2) "
    "AND e.type = 'message_posted' AND e.ts BETWEEN ?2 AND ?3 "
    "AND json_extract(e.body, '$.from.role') = 'agent' "
    "AND json_extract(e.body, '$.visibility') = 'all' "
    "ORDER BY e.ts DESC LIMIT ?4";

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw store_error(what + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    throw store_error(std::string("sqlite: ") + message);
  }
}

/// A prepared statement, reset after each use.
class statement {
public:
  statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_,
                           nullptr)
        != SQLITE_OK)
      fail(db, "sqlite: preparing a statement");
  }
  ~statement() {
    sqlite3_finalize(stmt_);
  }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  statement& bind(int i, std::int64_t n) {
    sqlite3_bind_int64(stmt_, i, n);
    return *this;
  }
  /// True while there is a row to read.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
      return true;
    if (rc != SQLITE_DONE) {
      sqlite3_reset(stmt_);
      fail(db_, "sqlite");
    }
    return false;
  }
  void run() {
    step();
    reset();
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t integer(int col) const {
    return sqlite3_column_int64(stmt_, col);
  }
  std::string_view text(int col) const {
    const auto* p
      = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p == nullptr
             ? std::string_view{}
             : std::string_view{
               p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
  }

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// Resets a statement on every way out of a read loop.
struct reset_on_exit {
  statement& s;
  ~reset_on_exit() {
    s.reset();
  }
};

bool has_customer_column(sqlite3* db) {
  statement s(db, "SELECT 1 FROM pragma_table_info('conversations') "
                  "WHERE name = 'customer'");
  reset_on_exit guard{s};
  return s.step();
}

event read_event(const statement& s, int first_col) {
  event e;
  e.seq = static_cast<std::uint64_t>(s.integer(first_col));
  e.ts = s.integer(first_col + 1);
  e.body = decode_body_text(s.text(first_col + 2), s.text(first_col + 3));
  return e;
}

} // namespace

struct sqlite_store::statements {
  explicit statements(sqlite3* db)
    : begin(db, "BEGIN IMMEDIATE"),
      commit(db, "COMMIT"),
      rollback(db, "ROLLBACK"),
      create(db, "INSERT OR IGNORE INTO conversations(id, created_at, "
                 "customer) VALUES (?1, ?2, ?3)"),
      insert(db, "INSERT INTO events(conversation, seq, ts, type, body) "
                 "VALUES (?1, ?2, ?3, ?4, ?5)"),
      close(db, "UPDATE conversations SET closed_at = ?2 WHERE id = ?1"),
      reopen(db, "UPDATE conversations SET closed_at = NULL "
                 "WHERE id = ?1 AND closed_at IS NOT NULL"),
      open(db, "SELECT c.id, e.seq, e.ts, e.type, e.body FROM conversations c "
               "JOIN events e ON e.conversation = c.id "
               "WHERE c.closed_at IS NULL ORDER BY c.rowid, e.seq"),
      one(db, "SELECT seq, ts, type, body FROM events "
              "WHERE conversation = ?1 ORDER BY seq"),
      rows_after(db, "SELECT seq, ts, type, body FROM events "
                     "WHERE conversation = ?1 AND seq > ?2 "
                     "ORDER BY seq LIMIT ?3"),
      rows_before(db, "SELECT seq, ts, type, body FROM events "
                      "WHERE conversation = ?1 AND seq < ?2 "
                      "ORDER BY seq DESC LIMIT ?3"),
      old(db, "SELECT id FROM conversations "
              "WHERE closed_at IS NOT NULL AND closed_at < ?1 LIMIT ?2"),
      drop_events(db, "DELETE FROM events WHERE conversation = ?1"),
      drop(db, "DELETE FROM conversations WHERE id = ?1") {
  }
  statement begin, commit, rollback, create, insert, close, reopen, open, one,
    rows_after, rows_before, old, drop_events, drop;
  /// Prepared at the first question: a file opened read-only (an export
  /// beside an older Baton) may not have conversations.customer yet.
  std::unique_ptr<statement> agent_messages;
};

sqlite_store::sqlite_store(const std::string& path,
                           config::durability_mode durability, access mode)
  : path_(path), durability_(durability) {
  bool writer = mode == access::read_write;
  auto dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (writer && !dir.empty())
    std::filesystem::create_directories(dir, ec);
  int flags = writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                     : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr)
      != SQLITE_OK) {
    std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw store_error("cannot open " + path + ": " + why);
  }
  try {
    sqlite3_busy_timeout(db_, 5000);
    // WAL is a property of the file: readers find it set by the writer.
    if (writer) {
      exec(db_, "PRAGMA journal_mode = WAL");
      exec(db_, durability == config::durability_mode::fsync
                  ? "PRAGMA synchronous = FULL"
                  : "PRAGMA synchronous = NORMAL");
      exec(db_, schema);
      if (!has_customer_column(db_))
        exec(db_, customer_column);
      exec(db_, customer_index);
    }
    sql_ = std::make_unique<statements>(db_);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

sqlite_store::~sqlite_store() {
  sql_.reset();
  sqlite3_close(db_);
}

void sqlite_store::append(std::span<const log_entry> batch) {
  if (batch.empty())
    return;
  sql_->begin.run();
  try {
    for (const auto& entry : batch) {
      const auto& e = entry.e;
      if (e.seq == 1) {
        auto customer = customer_of(e);
        sql_->create.bind(1, entry.conversation).bind(2, e.ts);
        if (!customer.empty())
          sql_->create.bind(3, customer);
        sql_->create.run();
      }
      sql_->insert.bind(1, entry.conversation)
        .bind(2, static_cast<std::int64_t>(e.seq))
        .bind(3, e.ts)
        .bind(4, stored_type(e.body))
        .bind(5, encode_body_text(e.body))
        .run();
    }
    for (const auto* entry : closes_and_reopens(batch)) {
      if (std::holds_alternative<conversation_closed>(entry->e.body))
        sql_->close.bind(1, entry->conversation).bind(2, entry->e.ts).run();
      else
        sql_->reopen.bind(1, entry->conversation).run();
    }
    sql_->commit.run();
  } catch (...) {
    sql_->rollback.run();
    throw;
  }
}

void sqlite_store::load_open(
  const std::function<void(conversation_log&&)>& each) {
  auto& s = sql_->open;
  reset_on_exit guard{s};
  conversation_log current;
  while (s.step()) {
    auto id = s.text(0);
    if (id != current.id) {
      if (!current.id.empty())
        each(std::move(current));
      current = conversation_log{std::string(id), {}};
    }
    current.events.push_back(read_event(s, 1));
  }
  if (!current.id.empty())
    each(std::move(current));
}

void sqlite_store::load_open_in(
  std::span<const std::uint32_t> shards, std::uint32_t shard_count,
  const std::function<void(conversation_log&&)>& each) {
  // Its rows keep no shard: every open log is read and the wanted kept.
  load_open(only_in_shards(shards, shard_count, each));
}

std::unique_ptr<log_reader> sqlite_store::open_reader() {
  return std::make_unique<sqlite_store>(path_, durability_, access::read_only);
}

std::vector<event> sqlite_store::load(const std::string& conversation) {
  auto& s = sql_->one;
  reset_on_exit guard{s};
  s.bind(1, conversation);
  std::vector<event> out;
  while (s.step())
    out.push_back(read_event(s, 0));
  return out;
}

std::vector<event> sqlite_store::load_rows(const std::string& conversation,
                                           const row_range& rows) {
  auto cursor = cursor_of(rows);
  if (!cursor)
    return {};
  auto& s = cursor->backward ? sql_->rows_before : sql_->rows_after;
  reset_on_exit guard{s};
  s.bind(1, conversation).bind(2, cursor->seq).bind(3, cursor->limit);
  std::vector<event> out;
  while (s.step())
    out.push_back(read_event(s, 0));
  if (cursor->backward)
    std::reverse(out.begin(), out.end());
  return out;
}

std::vector<agent_message>
sqlite_store::agent_messages(const std::string& customer, time_ms from,
                             time_ms to, std::size_t limit) {
  if (!sql_->agent_messages)
    sql_->agent_messages = std::make_unique<statement>(db_, agent_messages_sql);
  auto& s = *sql_->agent_messages;
  reset_on_exit guard{s};
  s.bind(1, customer)
    .bind(2, from)
    .bind(3, to)
    .bind(4, static_cast<std::int64_t>(limit));
  std::vector<event> events;
  while (s.step())
    events.push_back(read_event(s, 0));
  std::vector<agent_message> out;
  collect_agent_messages(events, from, to, out);
  newest_first(out, limit);
  return out;
}

std::size_t sqlite_store::prune_closed(time_ms closed_before,
                                       std::size_t limit) {
  std::vector<std::string> ids;
  {
    auto& s = sql_->old;
    reset_on_exit guard{s};
    s.bind(1, closed_before).bind(2, static_cast<std::int64_t>(limit));
    while (s.step())
      ids.emplace_back(s.text(0));
  }
  if (ids.empty())
    return 0;
  sql_->begin.run();
  try {
    for (const auto& id : ids) {
      sql_->drop_events.bind(1, id).run();
      sql_->drop.bind(1, id).run();
    }
    sql_->commit.run();
  } catch (...) {
    sql_->rollback.run();
    throw;
  }
  return ids.size();
}

} // namespace baton::engine::storage
