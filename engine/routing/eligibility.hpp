#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.hpp"

namespace baton::engine {

/// The one rule of who may take work of a topic (docs/routing.md): a topic
/// that is not restricted is anyone's; a restricted one goes only to agents
/// who list it. Offers, picks, the waiting list an agent sees and transfers
/// to an agent all ask this.
inline bool may_take_topic(bool restricted, std::string_view topic,
                           const std::vector<std::string>& agent_topics) {
  return !restricted
         || std::ranges::find(agent_topics, topic) != agent_topics.end();
}

/// The same, with the topic looked up in the configuration: an empty or
/// unknown topic restricts nothing.
inline bool may_take_topic(const config::config& cfg, std::string_view topic,
                           const std::vector<std::string>& agent_topics) {
  const auto* t = topic.empty() ? nullptr : cfg.find_topic(topic);
  return may_take_topic(t != nullptr && t->restricted, topic, agent_topics);
}

} // namespace baton::engine
