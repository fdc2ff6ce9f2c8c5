#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "engine/storage/store.hpp"

namespace baton::engine::storage {

/// Keeps everything in memory: for tests and for measuring the rest of the
/// path without a disk. Nothing survives the process.
class memory_store final : public store {
public:
  void append(std::span<const log_entry> batch) override;
  void load_open(const std::function<void(conversation_log&&)>& each) override;
  std::vector<event> load(const std::string& conversation) override;
  std::size_t prune_closed(time_ms closed_before, std::size_t limit) override;

private:
  struct record {
    std::uint64_t created = 0; ///< order of creation
    std::optional<time_ms> closed_at;
    std::vector<event> events;
  };
  std::unordered_map<std::string, record> conversations_;
  std::uint64_t next_ = 0;
};

} // namespace baton::engine::storage
