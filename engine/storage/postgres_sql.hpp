#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <libpq-fe.h>

/// What the PostgreSQL parts of the storage library share: connecting,
/// running SQL, reading results. Included by their .cpp files only, so
/// libpq stays out of every other header.
namespace baton::engine::storage::pg {

using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

/// Baton's space of advisory locks: (space, 0) serialises claims and the
/// making of tables; (space, hashtext(node)) is held shared by each write
/// of that node and exclusively by a claim from it or its release
/// (docs/cluster.md, "Fencing"). SQL names it `LOCK_SPACE`, replaced by
/// with_lock_space.
inline constexpr std::string_view lock_space = "1111577678";
std::string with_lock_space(std::string_view sql);

/// How long a connection attempt may take, unless the URL says otherwise.
inline constexpr int connect_timeout_s = 3;
/// How long a connection may have data unacknowledged by the server before
/// it counts as broken (a cut network), instead of the system's minutes.
inline constexpr int tcp_user_timeout_ms = 5000;

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

/// `shards` as an SQL array of INTEGER.
std::string shard_array(std::span<const std::uint32_t> shards);

} // namespace baton::engine::storage::pg
