#include "engine/conversation/events.hpp"

#include <array>

#include "engine/enum_names.hpp"
#include "engine/overloaded.hpp"

namespace baton::engine {
namespace {

constexpr std::array decision_names{"offered", "wait_expired", "wait_too_long"};

} // namespace

std::string_view to_string(routing_decision d) noexcept {
  return name_of(decision_names, d);
}

std::optional<routing_decision>
parse_routing_decision(std::string_view s) noexcept {
  return parse_name<routing_decision>(decision_names, s);
}

bool internal(const event_body& body) noexcept {
  return std::visit(overloaded{
                      [](const conversation_created&) { return true; },
                      [](const offer_made&) { return true; },
                      [](const offer_ended&) { return true; },
                      [](const consent_given&) { return true; },
                      [](const handed_off&) { return true; },
                      [](const conversation_reopened&) { return true; },
                      [](const routing_explained&) { return true; },
                      [](const auto&) { return false; },
                    },
                    body);
}

bool customer_visible(const event& e) noexcept {
  if (internal(e.body))
    return false;
  return std::visit(
    overloaded{
      [](const message_posted& m) { return m.visibility == visibility::all; },
      // Staff business: notes, and how a transfer went.
      [](const transfer_requested&) { return false; },
      [](const transfer_ended&) { return false; },
      [](const auto&) { return true; },
    },
    e.body);
}

namespace {

const char* transfer_ended_name(const transfer_ended& t) noexcept {
  if (t.kind != offer_kind::transfer)
    switch (t.result) {
      case transfer_result::completed:
        return t.kind == offer_kind::conference ? "conference.completed"
                                                : "assign.completed";
      case transfer_result::cancelled:
        return t.kind == offer_kind::conference ? "conference.cancelled"
                                                : "assign.cancelled";
      default:
        return t.kind == offer_kind::conference ? "conference.failed"
                                                : "assign.failed";
    }
  switch (t.result) {
    case transfer_result::completed:
      return "transfer.completed";
    case transfer_result::declined:
      return "transfer.declined";
    case transfer_result::failed:
      return "transfer.failed";
    case transfer_result::cancelled:
      return "transfer.cancelled";
  }
  return "transfer.failed";
}

} // namespace

time_ms last_queued_at(const std::vector<event>& log) noexcept {
  for (auto e = log.rbegin(); e != log.rend(); ++e)
    if (std::holds_alternative<conversation_queued>(e->body))
      return e->ts;
  return 0;
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
      [](const transfer_requested& t) {
        switch (t.kind) {
          case offer_kind::conference:
            return "conference.requested";
          case offer_kind::assign:
            return "assign.requested";
          default:
            return "transfer.requested";
        }
      },
      [](const consent_requested&) { return "transfer.consent_request"; },
      [](const consent_given&) { return "transfer.consent_given"; },
      [](const transfer_ended& t) { return transfer_ended_name(t); },
      [](const agent_absent&) { return "agent.absent"; },
      [](const handed_off&) { return "conversation.handed_off"; },
      // The bot is the one the conversation is assigned to again.
      [](const returned_to_bot&) { return "conversation.assigned"; },
      [](const conversation_reopened&) { return "conversation.reopened"; },
      [](const routing_explained&) { return "routing.explained"; },
    },
    body);
}

} // namespace baton::engine
