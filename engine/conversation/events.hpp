#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/routing/reasons.hpp"
#include "engine/types.hpp"

/// The events of a conversation's log. They are the only way its state
/// changes: the actors apply them live, recovery replays them from storage,
/// and the gateway renders them for clients.
namespace baton::engine {

struct participant {
  std::string id;
  engine::role role = role::customer;
  std::string name;

  friend bool operator==(const participant&, const participant&) = default;
};

struct conversation_created {
  engine::channel channel = channel::web;
  std::string queue;
  std::string topic;
  participant customer;
  /// The bot holding the conversation, empty for a customer start.
  std::string bot;
  std::int32_t priority = 0;
  /// A direct conversation: the member it is offered to, and only them.
  std::string direct_agent;

  friend bool
  operator==(const conversation_created&, const conversation_created&)
    = default;
};

/// Entered (or re-entered) a queue's waiting list. `enqueued_at` is the
/// conversation's original age, kept across requeues.
struct conversation_queued {
  std::string queue;
  std::int32_t priority = 0;
  time_ms enqueued_at = 0;
  std::string text;
  /// What agents read in the waiting list and the offer.
  std::string content;

  friend bool operator==(const conversation_queued&, const conversation_queued&)
    = default;
};

struct offer_target {
  std::string offer;
  std::string agent;

  friend bool operator==(const offer_target&, const offer_target&) = default;
};

/// Offers placed in one round: one agent, or every eligible agent (ring_all).
struct offer_made {
  std::vector<offer_target> targets;
  offer_kind kind = offer_kind::new_;
  time_ms expires_at = 0;

  friend bool operator==(const offer_made&, const offer_made&) = default;
};

struct offer_ended {
  std::string offer;
  std::string agent;
  offer_end reason = offer_end::timeout;

  friend bool operator==(const offer_ended&, const offer_ended&) = default;
};

struct conversation_assigned {
  std::string agent;
  /// The offer that won, empty for a pick from the waiting list.
  std::string offer;

  friend bool
  operator==(const conversation_assigned&, const conversation_assigned&)
    = default;
};

struct participant_joined {
  participant who;
  std::string text;

  friend bool operator==(const participant_joined&, const participant_joined&)
    = default;
};

struct participant_left {
  participant who;
  std::string reason;
  std::string text;

  friend bool operator==(const participant_left&, const participant_left&)
    = default;
};

struct message_posted {
  participant from;
  std::string text;
  engine::visibility visibility = visibility::all;
  std::string client_msg_id;

  friend bool operator==(const message_posted&, const message_posted&)
    = default;
};

struct no_agents {
  std::string text;

  friend bool operator==(const no_agents&, const no_agents&) = default;
};

struct conversation_closed {
  std::string by;
  std::string reason;

  friend bool operator==(const conversation_closed&, const conversation_closed&)
    = default;
};

/// A transfer, conference or supervisor assignment was asked for. Until it
/// ends, the conversation routes to its target.
struct transfer_requested {
  std::string transfer;
  /// transfer, conference or assign.
  offer_kind kind = offer_kind::transfer;
  transfer_mode mode = transfer_mode::cold;
  participant from;
  /// The agent who hands over: the requester, or for an unassign the
  /// assignee. Empty when nobody leaves (conference, assign).
  std::string leaving;
  std::string to_queue;
  std::string to_agent;
  std::string topic;
  std::string note;
  bool needs_consent = false;

  friend bool operator==(const transfer_requested&, const transfer_requested&)
    = default;
};

/// The customer is asked whether the transfer may go ahead.
struct consent_requested {
  std::string transfer;
  std::string text;

  friend bool operator==(const consent_requested&, const consent_requested&)
    = default;
};

/// The customer said yes: routing to the target starts.
struct consent_given {
  std::string transfer;

  friend bool operator==(const consent_given&, const consent_given&) = default;
};

struct transfer_ended {
  std::string transfer;
  offer_kind kind = offer_kind::transfer;
  /// Who asked, to be told how it went.
  std::string requester;
  transfer_result result = transfer_result::completed;
  std::string reason;
  std::string text;

  friend bool operator==(const transfer_ended&, const transfer_ended&)
    = default;
};

/// The member of a direct conversation did not answer in time.
struct agent_absent {
  participant agent;
  std::string text;

  friend bool operator==(const agent_absent&, const agent_absent&) = default;
};

/// The bot handed the conversation to human routing.
struct handed_off {
  std::string bot;
  std::string topic;
  std::string summary;

  friend bool operator==(const handed_off&, const handed_off&) = default;
};

/// A human closed a conversation that came from a bot: the bot has it again.
struct returned_to_bot {
  std::string bot;
  std::string by;

  friend bool operator==(const returned_to_bot&, const returned_to_bot&)
    = default;
};

/// The customer reopened a closed conversation.
struct conversation_reopened {
  participant by;

  friend bool
  operator==(const conversation_reopened&, const conversation_reopened&)
    = default;
};

/// The routing decisions whose grounds a conversation's log records.
enum class routing_decision : std::uint8_t {
  offered,       ///< the queue chose agents to offer it to (offer.made follows)
  wait_expired,  ///< the queue's wait timeout: nobody took it
  wait_too_long, ///< on entering, the estimated wait was past the queue's bound
};

std::string_view to_string(routing_decision d) noexcept;
std::optional<routing_decision>
parse_routing_decision(std::string_view s) noexcept;

/// Why the queue decided as it did (docs/routing.md, "Why this agent"):
/// staff business, read through `conversation.explain`.
struct routing_explained {
  routing_decision decision = routing_decision::offered;
  std::string queue;
  routing_reasons why;

  friend bool operator==(const routing_explained&, const routing_explained&)
    = default;
};

using event_body
  = std::variant<conversation_created, conversation_queued, offer_made,
                 offer_ended, conversation_assigned, participant_joined,
                 participant_left, message_posted, no_agents,
                 conversation_closed, transfer_requested, consent_requested,
                 consent_given, transfer_ended, agent_absent, handed_off,
                 returned_to_bot, conversation_reopened, routing_explained>;

struct event {
  std::uint64_t seq = 0;
  time_ms ts = 0;
  event_body body;

  friend bool operator==(const event&, const event&) = default;
};

/// Routing bookkeeping that people are not shown, live or in history.
bool internal(const event_body& body) noexcept;

/// True when a customer may see the event (in real time or in history).
bool customer_visible(const event& e) noexcept;

/// When `log` last put the conversation in a queue's line; 0 if never. Its
/// wait counts from there when it enters that queue again (a restart, a
/// wake, a queue started anew).
time_ms last_queued_at(const std::vector<event>& log) noexcept;

/// The wire name of an event, e.g. "participant.joined"; internal routing
/// events (offers) have names too, for logs and storage.
std::string_view event_name(const event_body& body) noexcept;

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_created& x) {
  return f(x.channel, x.queue, x.topic, x.customer, x.bot, x.priority,
           x.direct_agent);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_queued& x) {
  return f(x.queue, x.priority, x.enqueued_at, x.text, x.content);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_target& x) {
  return f(x.offer, x.agent);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_made& x) {
  return f(x.targets, x.kind, x.expires_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_ended& x) {
  return f(x.offer, x.agent, x.reason);
}

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, conversation_assigned& x) {
  return f(x.agent, x.offer);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, participant_joined& x) {
  return f(x.who, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, participant_left& x) {
  return f(x.who, x.reason, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, message_posted& x) {
  return f(x.from, x.text, x.visibility, x.client_msg_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, no_agents& x) {
  return f(x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_closed& x) {
  return f(x.by, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transfer_requested& x) {
  return f(x.transfer, x.kind, x.mode, x.from, x.leaving, x.to_queue,
           x.to_agent, x.topic, x.note, x.needs_consent);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, consent_requested& x) {
  return f(x.transfer, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, consent_given& x) {
  return f(x.transfer);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transfer_ended& x) {
  return f(x.transfer, x.kind, x.requester, x.result, x.reason, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_absent& x) {
  return f(x.agent, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, handed_off& x) {
  return f(x.bot, x.topic, x.summary);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, returned_to_bot& x) {
  return f(x.bot, x.by);
}

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, conversation_reopened& x) {
  return f(x.by);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, routing_explained& x) {
  return f(x.decision, x.queue, x.why);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, participant& x) {
  return f(x.id, x.role, x.name);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event& x) {
  return f(x.seq, x.ts, x.body);
}

} // namespace baton::engine
