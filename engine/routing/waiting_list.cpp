#include "engine/routing/waiting_list.hpp"

namespace baton::engine {

void waiting_list::push(entry e) {
  remove(e.conversation);
  key k{-e.priority, e.enqueued_at, next_ticket_++};
  by_id_.emplace(e.conversation, k);
  ages_.insert(e.enqueued_at);
  order_.emplace(k, std::move(e));
}

bool waiting_list::remove(const std::string& conversation) {
  auto i = by_id_.find(conversation);
  if (i == by_id_.end())
    return false;
  ages_.erase(ages_.find(i->second.enqueued_at));
  order_.erase(i->second);
  by_id_.erase(i);
  return true;
}

const waiting_list::entry*
waiting_list::find(const std::string& conversation) const {
  auto i = by_id_.find(conversation);
  return i == by_id_.end() ? nullptr : &order_.at(i->second);
}

std::optional<time_ms> waiting_list::oldest_enqueued_at() const {
  if (ages_.empty())
    return std::nullopt;
  return *ages_.begin();
}

const waiting_list::entry* waiting_list::head() const {
  return order_.empty() ? nullptr : &order_.begin()->second;
}

} // namespace baton::engine
