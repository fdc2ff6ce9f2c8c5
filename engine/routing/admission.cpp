#include "engine/routing/admission.hpp"

namespace baton::engine {
namespace {

admission refuse(errc error, std::string why) {
  return admission{error, std::move(why), {}};
}

/// Why this caller may not start this conversation at all.
std::optional<admission> caller_problem(const config::config& cfg,
                                        const start_ask& ask) {
  bool bot = ask.by == role::bot;
  if (ask.by != role::customer && !bot)
    return refuse(errc::forbidden,
                  "only customers and bots start conversations");
  if (bot && ask.customer.empty())
    return refuse(errc::bad_request,
                  "a bot names the customer it starts for: 'customer'");
  if (!bot && !ask.customer.empty())
    return refuse(errc::bad_request, "'customer' is for bots");
  if (bot && !ask.agent.empty())
    return refuse(errc::bad_request,
                  "a bot hands off to a queue, not to one member");
  if (!ask.agent.empty() && cfg.find_agent(ask.agent) == nullptr)
    return refuse(errc::not_found, "no such member: " + ask.agent);
  return std::nullopt;
}

} // namespace

admission admit_start(const config::config& cfg, const start_ask& ask,
                      std::int64_t open_now) {
  if (auto problem = caller_problem(cfg, ask))
    return *problem;
  if (!ask.topic.empty() && cfg.find_topic(ask.topic) == nullptr)
    return refuse(errc::not_found, "no such topic: " + ask.topic);
  admission out;
  if (!ask.queue.empty()) {
    if (cfg.find_queue(ask.queue) == nullptr)
      return refuse(errc::not_found, "no such queue: " + ask.queue);
    out.queue = ask.queue;
  } else if (const auto* topic = cfg.find_topic(ask.topic);
             topic != nullptr && !topic->queue.empty()) {
    out.queue = topic->queue;
  } else {
    out.queue = cfg.routing.default_queue;
  }
  if (auto why = open_limit_refusal(cfg, open_now))
    return refuse(errc::limit_reached, std::move(*why));
  return out;
}

std::optional<std::string> open_limit_refusal(const config::config& cfg,
                                              std::int64_t open_now) {
  auto limit = cfg.limits.open_conversations_per_customer;
  if (open_now < limit)
    return std::nullopt;
  return "too many open conversations: at most " + std::to_string(limit)
         + " per customer (limits.open_conversations_per_customer)";
}

} // namespace baton::engine
