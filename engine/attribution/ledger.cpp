#include "engine/attribution/ledger.hpp"

#include <algorithm>
#include <iterator>

namespace baton::engine::attribution {

void ledger::record(std::string_view customer, std::string_view agent,
                    time_ms at) {
  auto& log = log_[std::string(customer)];
  // Messages of one customer's conversations arrive nearly in order: walk
  // back over the few that are newer.
  auto pos = std::find_if(log.rbegin(), log.rend(), [at](const entry& e) {
               return e.at <= at;
             }).base();
  log.insert(pos, entry{at, std::string(agent)});
  auto cutoff = log.back().at - window_ms_;
  while (!log.empty()
         && (log.front().at < cutoff || log.size() > max_per_customer))
    log.pop_front();
}

std::optional<std::string>
ledger::credit(std::string_view customer, time_ms at, bool prefer_non_manager,
               const is_manager_fn& is_manager) const {
  auto i = log_.find(std::string(customer));
  if (i == log_.end())
    return std::nullopt;
  const auto& log = i->second;
  auto from = at - window_ms_;
  // The newest message at or before `at`, walking back while in the window.
  auto last = std::find_if(log.rbegin(), log.rend(),
                           [at](const entry& e) { return e.at <= at; });
  if (last == log.rend() || last->at < from)
    return std::nullopt;
  if (!prefer_non_manager || !is_manager(last->agent))
    return last->agent;
  for (auto j = std::next(last); j != log.rend() && j->at >= from; ++j)
    if (j->agent != last->agent && !is_manager(j->agent))
      return j->agent;
  return last->agent;
}

void ledger::prune(time_ms now) {
  auto cutoff = now - window_ms_;
  for (auto i = log_.begin(); i != log_.end();) {
    auto& log = i->second;
    while (!log.empty() && log.front().at < cutoff)
      log.pop_front();
    i = log.empty() ? log_.erase(i) : std::next(i);
  }
}

} // namespace baton::engine::attribution
