#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/storage/store.hpp"

namespace baton::engine::storage {

/// Keeps everything in memory: for tests and for measuring the rest of the
/// path without a disk. Nothing survives the process. Its readers share its
/// data behind a mutex.
class memory_store final : public store {
public:
  memory_store();

  void append(std::span<const log_entry> batch) override;
  void load_open(const std::function<void(conversation_log&&)>& each) override;
  void
  load_open_in(std::span<const std::uint32_t> shards, std::uint32_t shard_count,
               const std::function<void(conversation_log&&)>& each) override;
  std::vector<event> load(const std::string& conversation) override;
  std::size_t prune_closed(time_ms closed_before, std::size_t limit) override;
  std::unique_ptr<log_reader> open_reader() override;
  std::vector<agent_message> agent_messages(const std::string& customer,
                                            time_ms from, time_ms to,
                                            std::size_t limit) override;

  struct record {
    std::uint64_t created = 0; ///< order of creation
    std::optional<time_ms> closed_at;
    std::string customer;
    std::vector<event> events;
  };
  struct data {
    std::mutex mutex;
    std::unordered_map<std::string, record> conversations;
    std::uint64_t next = 0;
  };

private:
  std::shared_ptr<data> data_;
};

} // namespace baton::engine::storage
