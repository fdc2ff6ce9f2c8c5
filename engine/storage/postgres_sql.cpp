#include "engine/storage/postgres_sql.hpp"

#include <cstdlib>

#include "engine/storage/shard_fence.hpp"

namespace baton::engine::storage::pg {
namespace {

std::string trimmed(std::string why) {
  while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
    why.pop_back();
  return why;
}

} // namespace

PGconn* connect(const std::string& url) {
  // A database that does not answer must not hold a node for the system's
  // TCP timeout (minutes): a lease keeper has seconds. A connect_timeout in
  // the URL comes after this one and wins.
  auto timeout = std::to_string(connect_timeout_s);
  auto unacknowledged = std::to_string(tcp_user_timeout_ms);
  const char* keys[] = {"connect_timeout", "tcp_user_timeout",
                        "keepalives_idle", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), unacknowledged.c_str(), "5",
                          url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    throw store_error("cannot connect to PostgreSQL: " + why);
  }
  try {
    run(conn, "SET client_min_messages = warning", "settings");
  } catch (...) {
    PQfinish(conn);
    throw;
  }
  return conn;
}

std::string with_lock_space(std::string_view sql) {
  std::string out(sql);
  constexpr std::string_view name = "LOCK_SPACE";
  for (auto at = out.find(name); at != std::string::npos;
       at = out.find(name, at + lock_space.size()))
    out.replace(at, name.size(), lock_space);
  return out;
}

void fail(PGconn* conn, const std::string& what) {
  throw store_error("postgres: " + what + ": " + trimmed(PQerrorMessage(conn)));
}

result_ptr run(PGconn* conn, const std::string& sql, const char* what) {
  result_ptr r{PQexec(conn, sql.c_str()), &PQclear};
  auto status = PQresultStatus(r.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return r;
  std::string why = "postgres: " + std::string(what) + ": "
                    + trimmed(PQerrorMessage(conn));
  const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
  if (state != nullptr && fenced_state == state)
    throw fenced_error(why);
  throw store_error(why);
}

std::string literal(PGconn* conn, std::string_view text) {
  char* quoted = PQescapeLiteral(conn, text.data(), text.size());
  if (quoted == nullptr)
    throw store_error("postgres: quoting: " + trimmed(PQerrorMessage(conn)));
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

std::int64_t integer(const PGresult* r, int row, int col) {
  return std::strtoll(PQgetvalue(r, row, col), nullptr, 10);
}

std::string shard_array(std::span<const std::uint32_t> shards) {
  std::string out = "ARRAY[";
  for (std::size_t i = 0; i < shards.size(); ++i)
    out += (i == 0 ? "" : ",") + std::to_string(shards[i]);
  return out + "]::INTEGER[]";
}

} // namespace baton::engine::storage::pg
