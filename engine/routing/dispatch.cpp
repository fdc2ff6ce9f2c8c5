#include "engine/routing/dispatch.hpp"

#include <algorithm>
#include <array>

#include "engine/routing/availability.hpp"
#include "engine/routing/eligibility.hpp"

namespace baton::engine {
namespace {

bool in(const std::unordered_set<std::string>* set, const std::string& agent) {
  return set != nullptr && set->count(agent) > 0;
}

agent_pool::skip_fn skipping(const passed_over& passed) {
  return [&passed](const std::string& agent) {
    return in(passed.tried, agent) || in(passed.excluded, agent);
  };
}

/// Why the strategy cannot choose `a`, or nothing when it can. Availability
/// first: an agent both tried and gone not ready is not ready now.
std::optional<pass_reason>
passed_because(const agent_view& a, const std::string& topic, bool restricted,
               const passed_over& passed) {
  if (auto why = unavailable({a.status, a.connected, a.load, a.capacity},
                             reach::routing)) {
    switch (*why) {
      case offer_end::agent_offline:
        return a.status == agent_status::offline ? pass_reason::offline
                                                 : pass_reason::absent;
      case offer_end::agent_not_ready:
        return pass_reason::not_ready;
      default:
        return pass_reason::full;
    }
  }
  if (!may_take_topic(restricted, topic, a.topics))
    return pass_reason::missing_topic;
  if (in(passed.tried, a.id))
    return pass_reason::already_tried;
  if (in(passed.excluded, a.id))
    return pass_reason::excluded;
  return std::nullopt;
}

/// The eligible agents, best first, at most `ranked_named`: `skills` ranks
/// those who list the topic first.
std::vector<std::string> ranking(const agent_pool& pool,
                                 const std::string& topic, bool restricted,
                                 const passed_over& passed) {
  auto skip = skipping(passed);
  if (pool.strategy() != strategy::skills || restricted || topic.empty())
    return pool.pick_all(topic, restricted, skip, ranked_named);
  auto out = pool.pick_all(topic, true, skip, ranked_named);
  for (auto& id : pool.pick_all(topic, false, skip, ranked_named)) {
    if (out.size() >= ranked_named)
      break;
    if (std::ranges::find(out, id) == out.end())
      out.push_back(std::move(id));
  }
  return out;
}

std::vector<std::string> choose(agent_pool& pool, const dispatch_rules& rules,
                                const std::string& topic, bool restricted,
                                const passed_over& passed) {
  auto skip = skipping(passed);
  if (rules.how == strategy::ring_all)
    return pool.pick_all(topic, restricted, skip, rules.max_ring_all_targets);
  std::vector<std::string> chosen;
  if (auto one = pool.pick(topic, restricted, skip))
    chosen.push_back(std::move(*one));
  return chosen;
}

} // namespace

dispatch_plan plan_dispatch(
  const waiting_list& line, agent_pool& pool, const dispatch_rules& rules,
  const std::function<bool(const std::string& topic)>& restricted,
  const std::function<passed_over(const std::string& conversation)>& passed,
  time_ms now) {
  dispatch_plan plan;
  int skipped = 0;
  std::unordered_set<std::string> nobody_for;
  line.for_each_ready([&](const waiting_list::entry& e) {
    if (pool.eligible_count() == 0 || skipped >= rules.max_skipped)
      return false;
    if (nobody_for.count(e.topic) > 0)
      return true;
    auto turns = passed(e.conversation);
    bool had_turns = turns.tried != nullptr && !turns.tried->empty();
    bool has_exclusions = turns.excluded != nullptr && !turns.excluded->empty();
    bool is_restricted = restricted(e.topic);
    auto chosen = choose(pool, rules, e.topic, is_restricted, turns);
    if (chosen.empty()) {
      if (had_turns)
        plan.start_over.push_back(e.conversation);
      // Nobody for this one says nothing of its topic when it passes over
      // agents of its own (those already in it): the next may have them.
      else if (!has_exclusions)
        nobody_for.insert(e.topic);
      skipped += had_turns || has_exclusions ? 1 : 0;
      return true;
    }
    // The grounds as the strategy saw them, before the offer takes a slot.
    auto why = reasons_for(pool, e.topic, is_restricted, turns);
    for (const auto& agent : chosen)
      pool.note_offer(agent, now);
    plan.offers.push_back({e.conversation, std::move(chosen), std::move(why)});
    return true;
  });
  return plan;
}

routing_reasons reasons_for(const agent_pool& pool, const std::string& topic,
                            bool restricted, const passed_over& passed) {
  routing_reasons why;
  why.strategy = pool.strategy();
  why.topic = topic;
  why.restricted = restricted;
  std::array<std::int32_t, pass_reason_count> counts{};
  pool.for_each([&](const agent_view& a) {
    auto reason = passed_because(a, topic, restricted, passed);
    if (!reason) {
      ++why.eligible;
      return;
    }
    ++counts[static_cast<std::size_t>(*reason)];
    if (why.passed.size() < passed_named)
      why.passed.push_back({a.id, *reason});
  });
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (counts[i] > 0)
      why.passed_counts.push_back({static_cast<pass_reason>(i), counts[i]});
  for (auto& id : ranking(pool, topic, restricted, passed)) {
    const auto* a = pool.find(id);
    why.ranked.push_back(
      {std::move(id), a->idle_since, a->load, a->capacity,
       std::ranges::find(a->topics, topic) != a->topics.end()});
  }
  return why;
}

} // namespace baton::engine
