#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace baton::gateway {

/// A token bucket: `rate` requests a second on average, bursts up to `rate`.
class rate_limiter {
public:
  using clock = std::chrono::steady_clock;

  explicit rate_limiter(std::int64_t rate_per_second)
    : rate_(static_cast<double>(std::max<std::int64_t>(rate_per_second, 1))),
      tokens_(rate_) {
  }

  /// Takes a token if there is one.
  bool allow(clock::time_point now) noexcept {
    if (started_) {
      std::chrono::duration<double> elapsed = now - last_;
      tokens_ = std::min(rate_, tokens_ + elapsed.count() * rate_);
    }
    started_ = true;
    last_ = now;
    if (tokens_ < 1.0)
      return false;
    tokens_ -= 1.0;
    return true;
  }

private:
  double rate_;
  double tokens_;
  bool started_ = false;
  clock::time_point last_{};
};

} // namespace baton::gateway
