#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "engine/storage/store.hpp"

struct pg_conn;

namespace baton::engine::storage {

class shard_fence;

/// The store for several nodes: PostgreSQL through libpq. A batch is one
/// round trip (its statements run as one transaction). `fsync` commits with
/// synchronous_commit on; `os` with it off (the server writes the commit
/// out within a moment, and a crash of Baton loses nothing).
class postgres_store final : public store {
public:
  /// Connects to `url` and creates the tables; throws store_error. With a
  /// fence (a node of a cluster), every append checks in the same
  /// transaction that this node still holds the shards it writes to at the
  /// epochs it claimed them; otherwise nothing of it is written, the fence
  /// is told, and append throws fenced_error.
  postgres_store(const std::string& url, config::durability_mode durability,
                 std::shared_ptr<shard_fence> fence = nullptr);
  ~postgres_store() override;

  void append(std::span<const log_entry> batch) override;
  void load_open(const std::function<void(conversation_log&&)>& each) override;
  /// The open conversations of these of `shard_count` shards, in the order
  /// they were made: what a node that claimed them recovers.
  void
  load_open_in(std::span<const std::uint32_t> shards, std::uint32_t shard_count,
               const std::function<void(conversation_log&&)>& each) override;
  std::vector<event> load(const std::string& conversation) override;
  std::vector<event> load_rows(const std::string& conversation,
                               const row_range& rows) override;
  std::size_t prune_closed(time_ms closed_before, std::size_t limit) override;
  std::unique_ptr<log_reader> open_reader() override;
  std::vector<agent_message> agent_messages(const std::string& customer,
                                            time_ms from, time_ms to,
                                            std::size_t limit) override;

private:
  std::string literal(std::string_view text);
  std::string fence_statement(std::span<const log_entry> batch);
  /// The fence learns which of `shards` it does not hold the database
  /// gives this process (a claim whose answer was lost; shard_fence::learn).
  void learn_unknown_shards(std::span<const std::uint32_t> shards);
  /// The conversation's shard for its row: NULL outside a cluster.
  std::string shard_literal(std::string_view conversation);
  /// The open conversations that also meet `condition` (`AND ...` on `c`);
  /// of those with no shard in their row, only those `unsharded_wanted`
  /// keeps, when given.
  void
  load_open_where(const std::string& condition,
                  const std::function<bool(std::string_view)>& unsharded_wanted,
                  const std::function<void(conversation_log&&)>& each);

  std::string url_;
  config::durability_mode durability_;
  std::shared_ptr<shard_fence> fence_;
  pg_conn* conn_ = nullptr;
};

} // namespace baton::engine::storage
