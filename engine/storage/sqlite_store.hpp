#pragma once

#include <memory>
#include <string>

#include "engine/storage/store.hpp"

struct sqlite3;

namespace baton::engine::storage {

/// The embedded store: one SQLite file in WAL mode. `fsync` commits with
/// synchronous=FULL (a commit survives a power loss), `os` with NORMAL (it
/// survives a crash of the process; the OS writes it out later).
class sqlite_store final : public store {
public:
  enum class access { read_write, read_only };

  /// Opens or creates the file and its tables; read-only, opens an existing
  /// file and creates nothing. Throws store_error.
  sqlite_store(const std::string& path, config::durability_mode durability,
               access mode = access::read_write);
  ~sqlite_store() override;

  std::unique_ptr<log_reader> open_reader() override;

  void append(std::span<const log_entry> batch) override;
  void load_open(const std::function<void(conversation_log&&)>& each) override;
  void
  load_open_in(std::span<const std::uint32_t> shards, std::uint32_t shard_count,
               const std::function<void(conversation_log&&)>& each) override;
  std::vector<event> load(const std::string& conversation) override;
  std::vector<event> load_rows(const std::string& conversation,
                               const row_range& rows) override;
  std::size_t prune_closed(time_ms closed_before, std::size_t limit) override;
  std::vector<agent_message> agent_messages(const std::string& customer,
                                            time_ms from, time_ms to,
                                            std::size_t limit) override;

private:
  struct statements;
  std::string path_;
  config::durability_mode durability_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<statements> sql_;
};

} // namespace baton::engine::storage
