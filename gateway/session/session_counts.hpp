#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace baton::gateway {

/// Open sessions per key (a user, a source address), bounded. Touched when a
/// session opens, says hello or closes, never per frame. Keys with no
/// session left are forgotten.
class session_counts {
public:
  /// Counts one more session of `key` unless it has `limit` already.
  bool try_add(const std::string& key, std::int64_t limit) {
    std::lock_guard guard{mutex_};
    auto& n = counts_[key];
    if (n >= limit) {
      if (n == 0)
        counts_.erase(key);
      return false;
    }
    ++n;
    return true;
  }

  void remove(const std::string& key) {
    std::lock_guard guard{mutex_};
    auto i = counts_.find(key);
    if (i != counts_.end() && --i->second <= 0)
      counts_.erase(i);
  }

private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::int64_t> counts_;
};

} // namespace baton::gateway
