#include "actors/directory/user_table.hpp"

#include <algorithm>

namespace baton::actors {

user_table::entry* user_table::find(const std::string& key) {
  auto i = users_.find(key);
  return i == users_.end() ? nullptr : &i->second;
}

const user_table::entry* user_table::find(const std::string& key) const {
  auto i = users_.find(key);
  return i == users_.end() ? nullptr : &i->second;
}

user_table::entry& user_table::at(const std::string& key) {
  return users_[key];
}

const std::string& user_table::stored_key(const std::string& key) {
  return users_.try_emplace(key).first->first;
}

void user_table::hold(const std::string& key, const std::string& conversation,
                      bool by_customer, directory_actor held_at, bool sure) {
  bool fresh = users_[key].holds.insert(conversation).second;
  if (by_customer)
    return;
  if (fresh) {
    holders_[conversation].push_back({key, std::move(held_at)});
    return;
  }
  // Held again: by where the conversation's directory says it is now.
  if (!sure)
    return;
  if (auto i = holders_.find(conversation); i != holders_.end())
    if (auto h = std::ranges::find(i->second, key, &holding::key);
        h != i->second.end())
      h->held_at = std::move(held_at);
}

std::vector<std::string> user_table::release(const std::string& conversation,
                                             const std::string& customer_key) {
  std::vector<std::string> keys;
  if (auto i = holders_.find(conversation); i != holders_.end()) {
    for (auto& h : i->second)
      keys.push_back(std::move(h.key));
    holders_.erase(i);
  }
  if (std::find(keys.begin(), keys.end(), customer_key) == keys.end())
    keys.push_back(customer_key);
  for (const auto& key : keys)
    if (auto* e = find(key))
      e->holds.erase(conversation);
  return keys;
}

void user_table::release_one(const std::string& key,
                             const std::string& conversation) {
  if (auto* e = find(key))
    e->holds.erase(conversation);
  auto i = holders_.find(conversation);
  if (i == holders_.end())
    return;
  std::erase_if(i->second, [&key](const auto& h) { return h.key == key; });
  if (i->second.empty())
    holders_.erase(i);
}

user_actor user_table::drop_if_idle(const std::string& key) {
  auto i = users_.find(key);
  if (i == users_.end() || !i->second.sessions.empty()
      || !i->second.holds.empty() || !i->second.resuming.empty()
      || i->second.starting > 0)
    return {};
  auto inbox = std::move(i->second.inbox);
  users_.erase(i);
  return inbox;
}

std::vector<user_actor> user_table::inboxes() const {
  std::vector<user_actor> all;
  for (const auto& [key, e] : users_)
    if (e.inbox)
      all.push_back(e.inbox);
  return all;
}

} // namespace baton::actors
