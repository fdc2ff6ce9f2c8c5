#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

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
};

struct offer_ended {
  std::string offer;
  std::string agent;
  offer_end reason = offer_end::timeout;
};

struct conversation_assigned {
  std::string agent;
  /// The offer that won, empty for a pick from the waiting list.
  std::string offer;
};

struct participant_joined {
  participant who;
  std::string text;
};

struct participant_left {
  participant who;
  std::string reason;
  std::string text;
};

struct message_posted {
  participant from;
  std::string text;
  engine::visibility visibility = visibility::all;
  std::string client_msg_id;
};

struct no_agents {
  std::string text;
};

struct conversation_closed {
  std::string by;
  std::string reason;
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
};

/// The customer is asked whether the transfer may go ahead.
struct consent_requested {
  std::string transfer;
  std::string text;
};

/// The customer said yes: routing to the target starts.
struct consent_given {
  std::string transfer;
};

struct transfer_ended {
  std::string transfer;
  offer_kind kind = offer_kind::transfer;
  /// Who asked, to be told how it went.
  std::string requester;
  transfer_result result = transfer_result::completed;
  std::string reason;
  std::string text;
};

/// The member of a direct conversation did not answer in time.
struct agent_absent {
  participant agent;
  std::string text;
};

/// The bot handed the conversation to human routing.
struct handed_off {
  std::string bot;
  std::string topic;
  std::string summary;
};

/// A human closed a conversation that came from a bot: the bot has it again.
struct returned_to_bot {
  std::string bot;
  std::string by;
};

/// The customer reopened a closed conversation.
struct conversation_reopened {
  participant by;
};

using event_body
  = std::variant<conversation_created, conversation_queued, offer_made,
                 offer_ended, conversation_assigned, participant_joined,
                 participant_left, message_posted, no_agents,
                 conversation_closed, transfer_requested, consent_requested,
                 consent_given, transfer_ended, agent_absent, handed_off,
                 returned_to_bot, conversation_reopened>;

struct event {
  std::uint64_t seq = 0;
  time_ms ts = 0;
  event_body body;
};

/// Routing bookkeeping that people are not shown, live or in history.
bool internal(const event_body& body) noexcept;

/// True when a customer may see the event (in real time or in history).
bool customer_visible(const event& e) noexcept;

/// The wire name of an event, e.g. "participant.joined"; internal routing
/// events (offers) have names too, for logs and storage.
std::string_view event_name(const event_body& body) noexcept;

} // namespace baton::engine
