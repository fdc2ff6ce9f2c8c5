#include "engine/attribution/ledger.hpp"

#include <algorithm>
#include <iterator>

namespace baton::engine::attribution {

namespace {

/// Drops the entries older than `cutoff` from the front, and the oldest
/// beyond `most`.
template <class Log>
void drop_old(Log& log, time_ms cutoff, std::size_t most) {
  auto keep_from = std::find_if(
    log.begin(), log.end(), [cutoff](const auto& e) { return e.at >= cutoff; });
  auto excess = log.end() - keep_from > static_cast<std::ptrdiff_t>(most)
                  ? log.end() - static_cast<std::ptrdiff_t>(most)
                  : keep_from;
  log.erase(log.begin(), std::max(keep_from, excess));
}

} // namespace

std::uint32_t ledger::intern(std::string_view agent) {
  auto [i, fresh] = agent_index_.try_emplace(
    std::string(agent), static_cast<std::uint32_t>(agents_.size()));
  if (fresh)
    agents_.emplace_back(agent);
  return i->second;
}

void ledger::record(std::string_view customer, std::string_view agent,
                    time_ms at) {
  auto& log = log_[std::string(customer)];
  // Messages of one customer's conversations arrive nearly in order: walk
  // back over the few that are newer.
  auto pos = std::find_if(log.rbegin(), log.rend(), [at](const entry& e) {
               return e.at <= at;
             }).base();
  log.insert(pos, entry{at, intern(agent)});
  drop_old(log, log.back().at - window_ms_, max_per_customer);
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
  const auto& credited = agents_[last->agent];
  if (!prefer_non_manager || !is_manager(credited))
    return credited;
  for (auto j = std::next(last); j != log.rend() && j->at >= from; ++j)
    if (j->agent != last->agent && !is_manager(agents_[j->agent]))
      return agents_[j->agent];
  return credited;
}

void ledger::prune(time_ms now) {
  auto cutoff = now - window_ms_;
  for (auto i = log_.begin(); i != log_.end();) {
    auto& log = i->second;
    drop_old(log, cutoff, max_per_customer);
    if (log.empty()) {
      i = log_.erase(i);
      continue;
    }
    if (log.capacity() > 2 * log.size())
      log.shrink_to_fit();
    ++i;
  }
}

} // namespace baton::engine::attribution
