#include "actors/conversation/summary.hpp"

namespace baton::actors {

conversation_summary summarize(const engine::conversation& c, bool in_queue,
                               const engine::line_place& place) {
  conversation_summary s;
  s.conversation = c.id();
  s.state = c.state();
  s.channel = c.channel();
  s.queue = c.queue();
  s.topic = c.topic();
  s.customer = c.customer();
  for (const auto& a : c.agents())
    s.agents.push_back(a.id);
  s.assignee = c.assignee();
  s.last_seq = c.last_seq();
  s.created_at = c.created_at();
  bool waiting = c.state() == engine::conversation_state::queued
                 || c.state() == engine::conversation_state::offered;
  if (waiting && in_queue) {
    s.position = place.position;
    s.estimated_wait_s = place.estimated_wait_s;
  }
  return s;
}

} // namespace baton::actors
