#include "engine/routing/dispatch.hpp"

namespace baton::engine {
namespace {

std::vector<std::string> choose(agent_pool& pool, const dispatch_rules& rules,
                                const std::string& topic, bool restricted,
                                const passed_over& passed) {
  auto skip = [&passed](const std::string& agent) {
    return (passed.tried != nullptr && passed.tried->count(agent) > 0)
           || (passed.excluded != nullptr && passed.excluded->count(agent) > 0);
  };
  if (rules.how == strategy::ring_all)
    return pool.pick_all(topic, restricted, skip, rules.max_ring_all_targets);
  std::vector<std::string> chosen;
  if (auto one = pool.pick(topic, restricted, skip))
    chosen.push_back(std::move(*one));
  return chosen;
}

} // namespace

dispatch_plan plan_dispatch(
  const waiting_list& ready, agent_pool& pool, const dispatch_rules& rules,
  const std::function<bool(const std::string& topic)>& restricted,
  const std::function<passed_over(const std::string& conversation)>& passed,
  time_ms now) {
  dispatch_plan plan;
  int skipped = 0;
  std::unordered_set<std::string> nobody_for;
  ready.for_each([&](const waiting_list::entry& e) {
    if (pool.eligible_count() == 0 || skipped >= rules.max_skipped)
      return false;
    if (nobody_for.count(e.topic) > 0)
      return true;
    auto turns = passed(e.conversation);
    bool had_turns = turns.tried != nullptr && !turns.tried->empty();
    auto chosen = choose(pool, rules, e.topic, restricted(e.topic), turns);
    if (chosen.empty()) {
      if (had_turns)
        plan.start_over.push_back(e.conversation);
      else
        nobody_for.insert(e.topic);
      skipped += had_turns ? 1 : 0;
      return true;
    }
    for (const auto& agent : chosen)
      pool.note_offer(agent, now);
    plan.offers.push_back({e.conversation, std::move(chosen)});
    return true;
  });
  return plan;
}

} // namespace baton::engine
