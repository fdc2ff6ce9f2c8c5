#include "gateway/http/bare_token_guard.hpp"

#include <algorithm>

namespace baton::gateway {

bare_token_guard::bare_token_guard(std::size_t signatures_per_second)
  : per_second_(std::max<std::size_t>(signatures_per_second, 1)) {
}

std::optional<std::string>
bare_token_guard::found_for(std::string_view token) const {
  std::lock_guard lock{mutex_};
  auto i = found_.find(std::string{token});
  if (i == found_.end())
    return std::nullopt;
  return i->second;
}

void bare_token_guard::remember(std::string_view token,
                                std::string supervisor) {
  std::lock_guard lock{mutex_};
  if (found_.size() >= remembered_at_most)
    found_.clear();
  found_.insert_or_assign(std::string{token}, std::move(supervisor));
}

void bare_token_guard::forget(std::string_view token) {
  std::lock_guard lock{mutex_};
  found_.erase(std::string{token});
}

void bare_token_guard::repay(std::int64_t now_unix_s) {
  // A clock set back repays nothing, and the seconds after it repay from
  // there: the budget does not wait for the clock to catch up. A second or
  // two behind is no step back but a search that read the time before
  // another thread's: it must not repay that second again.
  if (now_unix_s <= paid_up_to_) {
    if (now_unix_s < paid_up_to_ - 2)
      paid_up_to_ = now_unix_s;
    return;
  }
  auto seconds = static_cast<std::uint64_t>(now_unix_s - paid_up_to_);
  paid_up_to_ = now_unix_s;
  if (seconds >= owed_ / per_second_ + 1)
    owed_ = 0;
  else
    owed_ -= static_cast<std::size_t>(seconds) * per_second_;
}

bool bare_token_guard::may_search(std::int64_t now_unix_s) {
  std::lock_guard lock{mutex_};
  repay(now_unix_s);
  return owed_ < per_second_;
}

void bare_token_guard::searched(std::int64_t now_unix_s,
                                std::size_t signatures) {
  std::lock_guard lock{mutex_};
  repay(now_unix_s);
  owed_ += std::max<std::size_t>(signatures, 1);
}

} // namespace baton::gateway
