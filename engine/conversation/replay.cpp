#include "engine/conversation/replay.hpp"

#include <algorithm>

namespace baton::engine {
namespace {

std::int32_t passed_for(const routing_reasons& why, pass_reason r) {
  for (const auto& c : why.passed_counts)
    if (c.reason == r)
      return c.count;
  return 0;
}

std::string names(const std::vector<std::string>& agents) {
  std::string out;
  for (const auto& a : agents)
    out += (out.empty() ? "" : ", ") + a;
  return out.empty() ? "nobody" : out;
}

/// The recorded eligible agents in the order `how` ranks them; ties keep
/// the recorded order, as the pool breaks them by when it met the agent.
std::vector<ranked_agent> rank(std::vector<ranked_agent> agents, strategy how) {
  auto idle = [](const ranked_agent& a, const ranked_agent& b) {
    return a.idle_since < b.idle_since;
  };
  switch (how) {
    case strategy::least_busy:
      std::ranges::stable_sort(agents, [&](const auto& a, const auto& b) {
        auto free_a = a.capacity - a.load, free_b = b.capacity - b.load;
        return free_a != free_b ? free_a > free_b : idle(a, b);
      });
      break;
    case strategy::skills:
      std::ranges::stable_sort(agents, [&](const auto& a, const auto& b) {
        return a.topic_match != b.topic_match ? a.topic_match : idle(a, b);
      });
      break;
    case strategy::round_robin:
    case strategy::random:
      break;
    default:
      std::ranges::stable_sort(agents, idle);
  }
  return agents;
}

class replayer {
public:
  explicit replayer(const config::config& cfg) : cfg_(cfg) {
  }

  void step(const routing_step& s) {
    if (!s.why)
      return;
    ++result_.decisions;
    const auto& why = *s.why;
    const auto* q = cfg_.find_queue(s.queue);
    if (q == nullptr)
      return differ(s, "queue " + s.queue + " decided",
                    "queue " + s.queue + " is not in this configuration");
    const auto* topic = why.topic.empty() ? nullptr
                                          : cfg_.find_topic(why.topic);
    bool restricted = topic != nullptr && topic->restricted;
    if (auto n = passed_for(why, pass_reason::missing_topic);
        why.restricted && !restricted && n > 0)
      return differ(s, recorded(s),
                    (n == 1 ? std::string{"1 more agent"}
                            : std::to_string(n) + " more agents")
                      + " could take it: topic " + why.topic
                      + " is not restricted in this configuration");
    if (s.kind != routing_step_kind::offered)
      return;
    std::vector<ranked_agent> eligible;
    for (const auto& a : why.ranked)
      if (!restricted || a.topic_match)
        eligible.push_back(a);
    offered(s, why, q->strategy, eligible);
  }

  replay_result done() && {
    return std::move(result_);
  }

private:
  void offered(const routing_step& s, const routing_reasons& why, strategy how,
               const std::vector<ranked_agent>& eligible) {
    if (how == strategy::round_robin && why.strategy != strategy::round_robin)
      return differ(s, recorded(s),
                    "by round_robin, whose rotation the grounds do not hold");
    auto order = rank(eligible, how);
    if (how == strategy::random) {
      bool among = !s.agents.empty()
                   && std::ranges::any_of(order, [&](const ranked_agent& a) {
                        return a.agent == s.agents.front();
                      });
      if (!among)
        differ(s, recorded(s), "by random, one of " + names(ids(order)));
      return;
    }
    // ring_all offers to every eligible agent: the grounds name the first.
    std::size_t n = how == strategy::ring_all
                      ? std::min(order.size(), s.agents.size())
                      : std::min<std::size_t>(order.size(), 1);
    std::vector<std::string> chosen = ids(order);
    chosen.resize(n);
    std::vector<std::string> had(
      s.agents.begin(),
      s.agents.begin()
        + static_cast<std::ptrdiff_t>(std::min(n, s.agents.size())));
    if (chosen != had || (how != strategy::ring_all && s.agents.size() > 1))
      differ(s, recorded(s),
             "offered to " + names(chosen) + " by "
               + std::string(to_string(how)));
  }

  static std::vector<std::string> ids(const std::vector<ranked_agent>& a) {
    std::vector<std::string> out;
    for (const auto& r : a)
      out.push_back(r.agent);
    return out;
  }

  static std::string recorded(const routing_step& s) {
    return s.kind == routing_step_kind::offered
             ? "offered to " + names(s.agents) + " by "
                 + std::string(to_string(s.why->strategy))
             : std::string(to_string(s.kind)) + " with nobody eligible";
  }

  void differ(const routing_step& s, std::string was, std::string now) {
    result_.differences.push_back({s.seq, std::move(was), std::move(now)});
  }

  const config::config& cfg_;
  replay_result result_;
};

} // namespace

replay_result replay_routing(const std::vector<routing_step>& steps,
                             const config::config& cfg) {
  replayer r(cfg);
  for (const auto& s : steps)
    r.step(s);
  return std::move(r).done();
}

} // namespace baton::engine
