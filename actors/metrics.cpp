#include "actors/metrics.hpp"

#include <algorithm>
#include <cmath>

namespace baton::actors {

histogram::histogram(std::vector<double> upper_bounds)
  : bounds_(std::move(upper_bounds)),
    counts_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i)
    counts_[i].store(0);
}

void histogram::observe(double seconds) noexcept {
  auto i = static_cast<std::size_t>(
    std::lower_bound(bounds_.begin(), bounds_.end(), seconds)
    - bounds_.begin());
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  auto micros = static_cast<std::uint64_t>(std::llround(seconds * 1e6));
  sum_micros_.fetch_add(micros, std::memory_order_relaxed);
}

histogram::snapshot histogram::read() const {
  snapshot s{bounds_, {}, 0};
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = static_cast<double>(sum_micros_.load(std::memory_order_relaxed))
          / 1e6;
  return s;
}

std::string_view to_string(offer_result r) noexcept {
  constexpr std::string_view names[] = {"accepted", "rejected",  "timeout",
                                        "taken",    "cancelled", "abandoned"};
  return names[static_cast<std::size_t>(r)];
}

cluster_metrics::cluster_metrics()
  : lease_renew_latency({0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5}),
    relayed_request_latency(
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 10}) {
}

routing_metrics::routing_metrics(const std::vector<std::string>& queue_ids)
  : route_latency(
    {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600}) {
  for (const auto& id : queue_ids)
    conversations_waiting[id];
}

} // namespace baton::actors
