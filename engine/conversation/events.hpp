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
};

/// Entered (or re-entered) a queue's waiting list. `enqueued_at` is the
/// conversation's original age, kept across requeues.
struct conversation_queued {
  std::string queue;
  std::int32_t priority = 0;
  time_ms enqueued_at = 0;
  std::string text;
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

using event_body = std::variant<conversation_created, conversation_queued,
                                offer_made, offer_ended, conversation_assigned,
                                participant_joined, participant_left,
                                message_posted, no_agents, conversation_closed>;

struct event {
  std::uint64_t seq = 0;
  time_ms ts = 0;
  event_body body;
};

/// True when a customer may see the event (in real time or in history).
bool customer_visible(const event& e) noexcept;

/// The wire name of an event, e.g. "participant.joined"; internal routing
/// events (offers) have names too, for logs and storage.
std::string_view event_name(const event_body& body) noexcept;

} // namespace baton::engine
