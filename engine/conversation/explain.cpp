#include "engine/conversation/explain.hpp"

#include <array>
#include <numeric>
#include <utility>

#include "engine/enum_names.hpp"
#include "engine/overloaded.hpp"

namespace baton::engine {
namespace {

constexpr std::array step_names{"queued",        "offered",  "offer_ended",
                                "assigned",      "transfer", "wait_expired",
                                "wait_too_long", "no_agents"};

/// "a", "a and b", "a, b and c".
std::string and_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string span_text(duration_ms ms) {
  auto s = ms / 1000;
  if (s < 60)
    return std::to_string(s) + " s";
  if (s < 3600)
    return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60)
         + " min";
}

std::string reason_text(pass_reason r, const std::string& topic) {
  switch (r) {
    case pass_reason::offline:
      return "offline";
    case pass_reason::absent:
      return "away, with no session connected";
    case pass_reason::not_ready:
      return "not ready";
    case pass_reason::full:
      return "full";
    case pass_reason::missing_topic:
      return "not allowed the restricted topic " + topic;
    case pass_reason::already_tried:
      return "already offered it in this round";
    case pass_reason::excluded:
      return "already in it, or the one handing it over";
  }
  return "passed over";
}

std::string agents_count(std::int32_t n) {
  return n == 1 ? "1 eligible agent" : std::to_string(n) + " eligible agents";
}

/// Who was passed over and why: those named, then the counts of all when
/// more were passed over than are named.
std::string passed_text(const routing_reasons& why) {
  if (why.passed.empty())
    return {};
  std::vector<std::string> named;
  for (const auto& p : why.passed)
    named.push_back(p.agent + " (" + reason_text(p.reason, why.topic) + ")");
  std::string out = " Passed over: " + and_list(named) + ".";
  auto total = std::accumulate(
    why.passed_counts.begin(), why.passed_counts.end(), std::int32_t{0},
    [](std::int32_t n, const reason_count& c) { return n + c.count; });
  if (total > static_cast<std::int32_t>(why.passed.size())) {
    std::vector<std::string> counts;
    for (const auto& c : why.passed_counts)
      counts.push_back(std::to_string(c.count) + " "
                       + reason_text(c.reason, why.topic));
    out += " In all " + std::to_string(total)
           + " passed over: " + and_list(counts) + ".";
  }
  return out;
}

const ranked_agent* find_ranked(const routing_reasons& why,
                                const std::string& agent) {
  for (const auto& r : why.ranked)
    if (r.agent == agent)
      return &r;
  return nullptr;
}

std::string idle_text(const ranked_agent& a, time_ms at) {
  if (a.idle_since <= 0 || a.idle_since > at)
    return "idle";
  return "idle for " + span_text(at - a.idle_since);
}

/// Why the strategy chose `agents` from the grounds it had.
std::string chosen_text(const routing_reasons& why,
                        const std::vector<std::string>& agents, time_ms at) {
  auto strategy = std::string(to_string(why.strategy));
  auto pool = agents_count(why.eligible);
  if (why.strategy == strategy::ring_all)
    return "Offered to " + and_list(agents) + " at once by ring_all: "
           + (why.eligible == static_cast<std::int32_t>(agents.size())
                ? "every eligible agent."
                : "the longest idle of " + pool + ".");
  std::string out = "Offered to " + and_list(agents) + " by " + strategy;
  const auto* w = agents.empty() ? nullptr : find_ranked(why, agents.front());
  if (w == nullptr)
    return out + ", from " + pool + ".";
  switch (why.strategy) {
    case strategy::least_busy:
      return out + ": " + std::to_string(w->load) + " of "
             + std::to_string(w->capacity) + " slots in use, the most free of "
             + pool + ".";
    case strategy::round_robin:
      return out + ": next in the rotation of " + pool + ".";
    case strategy::random:
      return out + ": drawn at random from " + pool + ".";
    case strategy::skills:
      if (w->topic_match)
        return out + ": lists the topic " + why.topic + ", " + idle_text(*w, at)
               + ", the longest of those who do.";
      return out + ": no eligible agent lists the topic "
             + (why.topic.empty() ? std::string{"(none)"} : why.topic) + ", so "
             + idle_text(*w, at) + ", the longest of " + pool + ".";
    default:
      return out + ": " + idle_text(*w, at) + ", the longest of " + pool + ".";
  }
}

std::string offered_without_grounds(const offer_made& x,
                                    const std::vector<std::string>& agents) {
  switch (x.kind) {
    case offer_kind::direct:
      return "Offered to " + and_list(agents) + ": a direct conversation.";
    case offer_kind::assign:
      return "Offered to " + and_list(agents) + " by a supervisor.";
    case offer_kind::transfer:
    case offer_kind::conference:
      return "Offered to " + and_list(agents) + ", whom the request named.";
    default:
      return "Offered to " + and_list(agents) + ".";
  }
}

std::string offer_ended_text(const offer_ended& x) {
  switch (x.reason) {
    case offer_end::timeout:
      return x.agent + " did not answer in time.";
    case offer_end::rejected:
      return x.agent + " rejected it.";
    case offer_end::taken:
      return "The offer to " + x.agent + " ended: another agent took it.";
    case offer_end::cancelled:
      return "The offer to " + x.agent + " was withdrawn.";
    case offer_end::abandoned:
      return "The customer left before " + x.agent + " answered.";
    case offer_end::agent_full:
      return x.agent + " had no room for it when the offer came.";
    case offer_end::agent_offline:
      return x.agent + " was offline when the offer came.";
    case offer_end::agent_not_ready:
      return x.agent + " was not ready when the offer came.";
  }
  return "The offer to " + x.agent + " ended.";
}

std::string transfer_text(const transfer_requested& x) {
  auto target = !x.to_agent.empty() ? "agent " + x.to_agent
                                    : "queue " + x.to_queue;
  switch (x.kind) {
    case offer_kind::conference:
      return x.from.id + " asked for a conference with " + target + ".";
    case offer_kind::assign:
      return x.from.id + " assigned it to " + target + ".";
    default:
      return x.from.id + " asked for a " + std::string(to_string(x.mode))
             + " transfer to " + target + ".";
  }
}

std::string wait_text(const routing_explained& x) {
  if (x.decision == routing_decision::wait_too_long)
    return "On entering queue " + x.queue
           + " the estimated wait was past the queue's max_estimated_wait_s:"
             " the customer was told at once."
           + passed_text(x.why);
  auto out = "The wait in queue " + x.queue + " ran out. ";
  out += x.why.eligible == 0
           ? std::string{"No agent could take it."}
           : agents_count(x.why.eligible) + " now, but none took it in time.";
  return out + passed_text(x.why);
}

class narrator {
public:
  explicit narrator(std::uint64_t after_seq) : after_seq_(after_seq) {
  }

  void read(const event& e) {
    std::visit(overloaded{
                 [&](const conversation_queued& x) {
                   queue_ = x.queue;
                   add(e, routing_step_kind::queued,
                       (queued_before_ ? "Back in queue " : "Entered queue ")
                         + x.queue + ".");
                   queued_before_ = true;
                 },
                 [&](const routing_explained& x) { on_grounds(e, x); },
                 [&](const offer_made& x) { on_offer(e, x); },
                 [&](const offer_ended& x) {
                   add(e, routing_step_kind::offer_ended, offer_ended_text(x),
                       {x.agent});
                 },
                 [&](const conversation_assigned& x) {
                   add(e, routing_step_kind::assigned,
                       x.offer.empty()
                         ? x.agent + " picked it from the waiting list."
                         : "Assigned to " + x.agent + ".",
                       {x.agent});
                 },
                 [&](const transfer_requested& x) {
                   add(e, routing_step_kind::transfer, transfer_text(x));
                 },
                 [&](const no_agents&) {
                   if (!grounds_told_)
                     add(e, routing_step_kind::no_agents,
                         "Nobody took it: it ended for want of agents.");
                   grounds_told_ = false;
                 },
                 [](const auto&) {},
               },
               e.body);
  }

  std::vector<routing_step> steps() && {
    return std::move(steps_);
  }

private:
  void on_grounds(const event& e, const routing_explained& x) {
    if (!x.queue.empty())
      queue_ = x.queue;
    if (x.decision == routing_decision::offered) {
      grounds_ = x.why;
      return;
    }
    auto kind = x.decision == routing_decision::wait_too_long
                  ? routing_step_kind::wait_too_long
                  : routing_step_kind::wait_expired;
    if (auto* step = add(e, kind, wait_text(x)))
      step->why = x.why;
    grounds_told_ = true;
  }

  void on_offer(const event& e, const offer_made& x) {
    std::vector<std::string> agents;
    for (const auto& t : x.targets)
      agents.push_back(t.agent);
    auto why = std::exchange(grounds_, std::nullopt);
    auto text = why ? chosen_text(*why, agents, e.ts) + passed_text(*why)
                    : offered_without_grounds(x, agents);
    if (auto* step = add(e, routing_step_kind::offered, std::move(text),
                         std::move(agents)))
      step->why = std::move(why);
  }

  /// The step, or nullptr when it is not past `after_seq`.
  routing_step* add(const event& e, routing_step_kind kind, std::string text,
                    std::vector<std::string> agents = {}) {
    if (e.seq <= after_seq_)
      return nullptr;
    return &steps_.emplace_back(routing_step{
      e.seq, e.ts, kind, std::move(text), queue_, std::move(agents), {}});
  }

  std::uint64_t after_seq_;
  std::vector<routing_step> steps_;
  std::string queue_;
  bool queued_before_ = false;
  /// The grounds of the offer the next offer.made records.
  std::optional<routing_reasons> grounds_;
  /// The end for want of agents was told with its grounds already.
  bool grounds_told_ = false;
};

} // namespace

std::string_view to_string(routing_step_kind k) noexcept {
  return name_of(step_names, k);
}

std::vector<routing_step> explain_routing(const std::vector<event>& log,
                                          std::uint64_t after_seq) {
  narrator n(after_seq);
  for (const auto& e : log)
    n.read(e);
  return std::move(n).steps();
}

} // namespace baton::engine
