#include "engine/routing/agent_pool.hpp"
#include "engine/routing/availability.hpp"
#include "engine/routing/eligibility.hpp"

#include <algorithm>

namespace baton::engine {
namespace {

/// The queue's view, judged by the rule the agent itself answers by.
bool is_eligible(const agent_view& a) {
  return !unavailable({a.status, a.connected, a.load, a.capacity},
                      reach::routing);
}

} // namespace

agent_pool::agent_pool(engine::strategy s, std::uint64_t seed)
  : strategy_(s), rng_(seed) {
}

agent_pool::rank agent_pool::key_of(const record& r) const {
  const auto& v = r.view;
  switch (strategy_) {
    case strategy::least_busy:
      return {-(v.capacity - v.load), v.idle_since, r.serial};
    case strategy::round_robin:
      return {r.rr_tick, 0, r.serial};
    default:
      return {v.idle_since, 0, r.serial};
  }
}

void agent_pool::insert_into(bucket& b, const record& r) {
  b.order.insert(r.key);
  b.ids.emplace(r.serial, &r.view.id);
  if (strategy_ == strategy::random) {
    b.positions.emplace(r.serial, b.members.size());
    b.members.push_back(r.serial);
  }
}

void agent_pool::erase_from(bucket& b, const record& r) {
  b.order.erase(r.key);
  b.ids.erase(r.serial);
  if (strategy_ == strategy::random) {
    auto pos = b.positions.at(r.serial);
    auto last = b.members.back();
    b.members[pos] = last;
    b.positions[last] = pos;
    b.members.pop_back();
    b.positions.erase(r.serial);
  }
}

void agent_pool::index(record& r) {
  if (!is_eligible(r.view))
    return;
  r.key = key_of(r);
  r.indexed = true;
  insert_into(buckets_[""], r);
  for (const auto& topic : r.view.topics)
    insert_into(buckets_[topic], r);
}

void agent_pool::unindex(record& r) {
  if (!r.indexed)
    return;
  r.indexed = false;
  erase_from(buckets_[""], r);
  for (const auto& topic : r.view.topics)
    erase_from(buckets_[topic], r);
}

void agent_pool::upsert(agent_view a) {
  auto [i, added] = agents_.try_emplace(a.id);
  auto& r = i->second;
  if (added)
    r.serial = next_serial_++;
  else
    unindex(r);
  r.view = std::move(a);
  index(r);
}

void agent_pool::remove(const std::string& agent) {
  auto i = agents_.find(agent);
  if (i == agents_.end())
    return;
  unindex(i->second);
  agents_.erase(i);
}

const agent_view* agent_pool::find(const std::string& agent) const {
  auto i = agents_.find(agent);
  return i == agents_.end() ? nullptr : &i->second.view;
}

void agent_pool::note_offer(const std::string& agent, time_ms now) {
  auto i = agents_.find(agent);
  if (i == agents_.end())
    return;
  auto& r = i->second;
  unindex(r);
  r.view.load += 1;
  r.view.idle_since = now;
  r.rr_tick = ++rr_counter_;
  index(r);
}

void agent_pool::note_offer_dropped(const std::string& agent) {
  auto i = agents_.find(agent);
  if (i == agents_.end() || i->second.view.load == 0)
    return;
  auto& r = i->second;
  unindex(r);
  r.view.load -= 1;
  index(r);
}

bool agent_pool::eligible(const std::string& agent, const std::string& topic,
                          bool restricted) const {
  auto i = agents_.find(agent);
  if (i == agents_.end() || !i->second.indexed)
    return false;
  return may_take_topic(restricted, topic, i->second.view.topics);
}

const agent_pool::bucket* agent_pool::bucket_for(const std::string& topic,
                                                 bool restricted) const {
  auto i = buckets_.find(restricted ? topic : std::string{});
  return i == buckets_.end() ? nullptr : &i->second;
}

std::optional<std::string> agent_pool::pick_in(const bucket& b,
                                               const skip_fn& skip) {
  auto skipped = [&](std::uint64_t serial) -> const std::string* {
    const auto* id = b.ids.at(serial);
    return skip && skip(*id) ? nullptr : id;
  };
  if (strategy_ == strategy::random && !b.members.empty()) {
    // A few random draws, then a walk: the skip set is small in practice.
    std::uniform_int_distribution<std::size_t> draw(0, b.members.size() - 1);
    for (int attempt = 0; attempt < 4; ++attempt)
      if (const auto* id = skipped(b.members[draw(rng_)]))
        return *id;
  }
  for (const auto& k : b.order)
    if (const auto* id = skipped(k.serial))
      return *id;
  return std::nullopt;
}

std::optional<std::string> agent_pool::pick(const std::string& topic,
                                            bool restricted,
                                            const skip_fn& skip) {
  // `skills` prefers agents who list the topic, then anyone allowed.
  if (strategy_ == strategy::skills && !restricted && !topic.empty()) {
    if (const auto* b = bucket_for(topic, true))
      if (auto id = pick_in(*b, skip))
        return id;
  }
  const auto* b = bucket_for(topic, restricted);
  return b == nullptr ? std::nullopt : pick_in(*b, skip);
}

std::vector<std::string>
agent_pool::pick_all(const std::string& topic, bool restricted,
                     const skip_fn& skip, std::size_t limit) const {
  std::vector<std::string> out;
  const auto* b = bucket_for(topic, restricted);
  if (b == nullptr)
    return out;
  for (const auto& k : b->order) {
    if (out.size() >= limit)
      break;
    const auto* id = b->ids.at(k.serial);
    if (!skip || !skip(*id))
      out.push_back(*id);
  }
  return out;
}

std::size_t agent_pool::eligible_count() const noexcept {
  auto i = buckets_.find(std::string{});
  return i == buckets_.end() ? 0 : i->second.order.size();
}

} // namespace baton::engine
