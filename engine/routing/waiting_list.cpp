#include "engine/routing/waiting_list.hpp"

#include "engine/ids.hpp"

namespace baton::engine {

void waiting_list::push(entry e) {
  remove(e.conversation);
  if (e.arrival == 0)
    e.arrival = id_order(e.conversation);
  if (e.arrival == 0)
    e.arrival = next_arrival_++;
  // Two nodes' ids alike in what id_order reads (1 in 2^15 when made in
  // one millisecond), or such an id and a number given out: the later one
  // goes just behind.
  while (by_age_.count({e.enqueued_at, e.arrival}) > 0)
    ++e.arrival;
  key k{-e.priority, e.enqueued_at, e.arrival};
  auto [i, added] = order_.emplace(k, std::move(e));
  by_id_.emplace(i->second.conversation, k);
  by_age_.emplace(std::pair{k.enqueued_at, k.arrival}, &i->second);
  ready_.emplace(k, &i->second);
}

bool waiting_list::remove(const std::string& conversation) {
  auto i = by_id_.find(conversation);
  if (i == by_id_.end())
    return false;
  auto k = i->second;
  by_id_.erase(i); // before the entry its key points into
  by_age_.erase({k.enqueued_at, k.arrival});
  ready_.erase(k);
  order_.erase(k);
  return true;
}

void waiting_list::step_out(const std::string& conversation) {
  if (auto i = by_id_.find(conversation); i != by_id_.end())
    ready_.erase(i->second);
}

void waiting_list::step_back(const std::string& conversation) {
  if (auto i = by_id_.find(conversation); i != by_id_.end())
    ready_.emplace(i->second, &order_.at(i->second));
}

const waiting_list::entry*
waiting_list::find(const std::string& conversation) const {
  auto i = by_id_.find(conversation);
  return i == by_id_.end() ? nullptr : &order_.at(i->second);
}

std::optional<time_ms> waiting_list::oldest_enqueued_at() const {
  if (by_age_.empty())
    return std::nullopt;
  return by_age_.begin()->first.first;
}

const waiting_list::entry* waiting_list::head() const {
  return order_.empty() ? nullptr : &order_.begin()->second;
}

const waiting_list::entry* waiting_list::tail() const {
  return order_.empty() ? nullptr : &order_.rbegin()->second;
}

} // namespace baton::engine
