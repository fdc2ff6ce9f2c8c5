#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <libpq-fe.h>

/// What the PostgreSQL parts of the storage library share: connecting,
/// running SQL, reading results. Included by their .cpp files only, so
/// libpq stays out of every other header.
namespace baton::engine::storage::pg {

using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

/// The SQLSTATE `baton_fence` raises when a node writes to a shard it no
/// longer holds (postgres_leases.cpp).
inline constexpr std::string_view fenced_state = "BT001";

/// Connects and sets the session up (warnings only); throws store_error.
PGconn* connect(const std::string& url);

/// Throws store_error naming `what`, with the connection's last error.
[[noreturn]] void fail(PGconn* conn, const std::string& what);

/// Runs `sql` (one or more statements, one implicit transaction); throws
/// store_error naming `what`, or fenced_error when the fence refused.
result_ptr run(PGconn* conn, const std::string& sql, const char* what);

/// `text` as an SQL literal, quoted and escaped.
std::string literal(PGconn* conn, std::string_view text);

std::int64_t integer(const PGresult* r, int row, int col);

} // namespace baton::engine::storage::pg
