#include "engine/conversation/events.hpp"

#include "engine/overloaded.hpp"

namespace baton::engine {
bool customer_visible(const event& e) noexcept {
  return std::visit(
    overloaded{
      [](const offer_made&) { return false; },
      [](const offer_ended&) { return false; },
      [](const message_posted& m) { return m.visibility == visibility::all; },
      [](const auto&) { return true; },
    },
    e.body);
}

std::string_view event_name(const event_body& body) noexcept {
  return std::visit(
    overloaded{
      [](const conversation_created&) { return "conversation.created"; },
      [](const conversation_queued&) { return "conversation.queued"; },
      [](const offer_made&) { return "offer.made"; },
      [](const offer_ended&) { return "offer.ended"; },
      [](const conversation_assigned&) { return "conversation.assigned"; },
      [](const participant_joined&) { return "participant.joined"; },
      [](const participant_left&) { return "participant.left"; },
      [](const message_posted&) { return "message"; },
      [](const no_agents&) { return "conversation.no_agents"; },
      [](const conversation_closed&) { return "conversation.closed"; },
    },
    body);
}

} // namespace baton::engine
