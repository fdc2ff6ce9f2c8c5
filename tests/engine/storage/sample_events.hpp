#pragma once

#include <vector>

#include "engine/conversation/events.hpp"

namespace baton::engine::storage::testing {

/// One event of every type, with every field set to something other than
/// its default. A new event type fails the codec test until it is added.
inline std::vector<event_body> one_of_each_event() {
  participant ann{"u1", role::customer, "Ann"};
  participant bob{"a1", role::agent, "Bob"};
  return {
    conversation_created{channel::whatsapp, "sales", "billing", ann, "bot-1",
                         3},
    conversation_queued{"sales", 3, 1700000000000, "I need help",
                        "I need help (from the bot)"},
    offer_made{
      {{"o-1", "a1"}, {"o-2", "a2"}}, offer_kind::transfer, 1700000020000},
    offer_ended{"o-2", "a2", offer_end::agent_offline},
    conversation_assigned{"a1", "o-1"},
    participant_joined{bob, "Bob joined"},
    participant_left{bob, "transfer", "Bob left"},
    message_posted{ann, "hi \"there\"\n\u00e9", visibility::agents, "m-1"},
    no_agents{"nobody is available"},
    conversation_closed{"a1", "resolved"},
    transfer_requested{"t-1", offer_kind::conference, transfer_mode::warm, bob,
                       "a1", "support", "a2", "billing", "VIP", true},
    consent_requested{"t-1", "May we transfer you?"},
    consent_given{"t-1"},
    transfer_ended{"t-1", offer_kind::conference, "a1",
                   transfer_result::declined, "no", "The customer said no"},
    agent_absent{bob, "Bob is away"},
    handed_off{"bot-1", "billing", "wants a refund"},
    returned_to_bot{"bot-1", "a1"},
    conversation_reopened{ann},
    routing_explained{
      routing_decision::wait_expired, "billing",
      routing_reasons{
        strategy::skills,
        "refunds",
        true,
        1,
        {{"a1", 1700000000000, 1, 2, true}},
        {{"a2", pass_reason::missing_topic}, {"a3", pass_reason::absent}},
        {{pass_reason::absent, 4}, {pass_reason::missing_topic, 1}}}},
  };
}

} // namespace baton::engine::storage::testing
