#include "engine/storage/memory_store.hpp"

#include <algorithm>

namespace baton::engine::storage {

namespace {

/// The open conversations, oldest first.
void each_open(memory_store::data& d,
               const std::function<void(conversation_log&&)>& each) {
  std::lock_guard guard{d.mutex};
  std::vector<std::pair<std::uint64_t, const std::string*>> open;
  for (const auto& [id, r] : d.conversations)
    if (!r.closed_at)
      open.emplace_back(r.created, &id);
  std::sort(open.begin(), open.end());
  for (const auto& [created, id] : open)
    each(conversation_log{*id, d.conversations.at(*id).events});
}

class memory_reader final : public log_reader {
public:
  explicit memory_reader(std::shared_ptr<memory_store::data> d)
    : data_(std::move(d)) {
  }
  std::vector<event> load(const std::string& conversation) override {
    std::lock_guard guard{data_->mutex};
    auto i = data_->conversations.find(conversation);
    return i == data_->conversations.end() ? std::vector<event>{}
                                           : i->second.events;
  }
  std::vector<agent_message> agent_messages(const std::string& customer,
                                            time_ms from, time_ms to,
                                            std::size_t limit) override {
    // Every conversation is looked at: this store is for tests and
    // measurements, not for a centre's years of customers.
    std::lock_guard guard{data_->mutex};
    std::vector<agent_message> out;
    for (const auto& [id, r] : data_->conversations)
      if (r.customer == customer)
        collect_agent_messages(r.events, from, to, out);
    newest_first(out, limit);
    return out;
  }
  void
  load_open_in(std::span<const std::uint32_t> shards, std::uint32_t shard_count,
               const std::function<void(conversation_log&&)>& each) override {
    each_open(*data_, only_in_shards(shards, shard_count, each));
  }

private:
  std::shared_ptr<memory_store::data> data_;
};

} // namespace

memory_store::memory_store() : data_(std::make_shared<data>()) {
}

std::unique_ptr<log_reader> memory_store::open_reader() {
  return std::make_unique<memory_reader>(data_);
}

void memory_store::append(std::span<const log_entry> batch) {
  auto& d = *data_;
  std::lock_guard guard{d.mutex};
  // Check everything first: a failed batch leaves nothing behind.
  std::unordered_map<std::string, std::uint64_t> last;
  for (const auto& entry : batch) {
    auto [i, fresh] = last.try_emplace(entry.conversation, 0);
    if (fresh) {
      auto c = d.conversations.find(entry.conversation);
      if (c != d.conversations.end() && !c->second.events.empty())
        i->second = c->second.events.back().seq;
    }
    if (entry.e.seq <= i->second)
      throw store_error("event " + std::to_string(entry.e.seq) + " of "
                        + entry.conversation + " is already stored");
    i->second = entry.e.seq;
  }
  for (const auto& entry : batch) {
    auto [i, fresh] = d.conversations.try_emplace(entry.conversation);
    if (fresh) {
      i->second.created = d.next++;
      i->second.customer = customer_of(entry.e);
    }
    i->second.events.push_back(entry.e);
    if (std::holds_alternative<conversation_closed>(entry.e.body))
      i->second.closed_at = entry.e.ts;
    else if (std::holds_alternative<conversation_reopened>(entry.e.body))
      i->second.closed_at.reset();
  }
}

void memory_store::load_open(
  const std::function<void(conversation_log&&)>& each) {
  each_open(*data_, each);
}

void memory_store::load_open_in(
  std::span<const std::uint32_t> shards, std::uint32_t shard_count,
  const std::function<void(conversation_log&&)>& each) {
  memory_reader(data_).load_open_in(shards, shard_count, each);
}

std::vector<event> memory_store::load(const std::string& conversation) {
  return memory_reader(data_).load(conversation);
}

std::vector<agent_message>
memory_store::agent_messages(const std::string& customer, time_ms from,
                             time_ms to, std::size_t limit) {
  return memory_reader(data_).agent_messages(customer, from, to, limit);
}

std::size_t memory_store::prune_closed(time_ms closed_before,
                                       std::size_t limit) {
  auto& d = *data_;
  std::lock_guard guard{d.mutex};
  std::size_t gone = 0;
  for (auto i = d.conversations.begin();
       i != d.conversations.end() && gone < limit;) {
    if (i->second.closed_at && *i->second.closed_at < closed_before) {
      i = d.conversations.erase(i);
      ++gone;
    } else {
      ++i;
    }
  }
  return gone;
}

} // namespace baton::engine::storage
