#pragma once

#include <memory>
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
  std::vector<event> load(const std::string& conversation) override;
  std::size_t prune_closed(time_ms closed_before, std::size_t limit) override;
  std::unique_ptr<log_reader> open_reader() override;
  std::vector<agent_message> agent_messages(const std::string& customer,
                                            time_ms from, time_ms to,
                                            std::size_t limit) override;

private:
  std::string literal(std::string_view text);
  std::string fence_statement(std::span<const log_entry> batch);

  std::string url_;
  config::durability_mode durability_;
  std::shared_ptr<shard_fence> fence_;
  pg_conn* conn_ = nullptr;
};

} // namespace baton::engine::storage
