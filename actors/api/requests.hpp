#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/types.hpp"

/// What a session asks of the routing core: one struct per verb of
/// docs/protocol.md, and who asks. Each is answered with one `reply`
/// (actors/api/replies.hpp).
namespace baton::actors {

/// Who is asking: the authenticated user of a session.
struct caller {
  std::string user;
  engine::role role = engine::role::customer;
  std::string name;

  friend bool operator==(const caller&, const caller&) = default;
};

struct start_conversation {
  engine::channel channel = engine::channel::web;
  std::string queue;
  std::string topic;
  std::string text;
  /// A direct conversation with this member (see "Absence").
  std::string agent;
  /// A bot starts for this customer.
  std::string customer;
  /// The customer's display name (`attributes.name`).
  std::string customer_name;

  friend bool operator==(const start_conversation&, const start_conversation&)
    = default;
};

struct send_message {
  std::string conversation;
  std::string text;
  std::string client_msg_id;

  friend bool operator==(const send_message&, const send_message&) = default;
};

/// An agent-only message: agents, supervisors and bots in the conversation
/// see it, the customer never does, not even in history.
struct send_whisper {
  std::string conversation;
  std::string text;

  friend bool operator==(const send_whisper&, const send_whisper&) = default;
};

struct close_conversation {
  std::string conversation;
  std::string wrap_up;

  friend bool operator==(const close_conversation&, const close_conversation&)
    = default;
};

struct set_agent_status {
  engine::agent_status status = engine::agent_status::ready;
  std::string reason;

  friend bool operator==(const set_agent_status&, const set_agent_status&)
    = default;
};

struct accept_offer {
  std::string offer;

  friend bool operator==(const accept_offer&, const accept_offer&) = default;
};

struct reject_offer {
  std::string offer;
  std::string reason;

  friend bool operator==(const reject_offer&, const reject_offer&) = default;
};

struct list_waiting {
  std::string queue; ///< empty: every queue of the agent
  /// Entries in all, the longest waiting: a desk that reads the list every
  /// few seconds shows its top, not a backlog's 500 per queue.
  std::uint32_t limit = 500;

  friend bool operator==(const list_waiting&, const list_waiting&) = default;
};

struct pick_waiting {
  std::string conversation;

  friend bool operator==(const pick_waiting&, const pick_waiting&) = default;
};

struct send_typing {
  std::string conversation;

  friend bool operator==(const send_typing&, const send_typing&) = default;
};

struct list_conversations {
  /// Only conversations in this state; none: the open ones.
  std::optional<engine::conversation_state> state;

  friend bool operator==(const list_conversations&, const list_conversations&)
    = default;
};

struct conversation_history {
  std::string conversation;
  std::optional<std::uint64_t> after_seq;
  std::optional<std::uint64_t> before_seq;
  std::uint32_t limit = 50; ///< at most 500

  friend bool
  operator==(const conversation_history&, const conversation_history&)
    = default;
};

/// `conversation.explain`: the conversation's routing, told from its log.
struct explain_conversation {
  std::string conversation;
  std::optional<std::uint64_t> after_seq;

  friend bool
  operator==(const explain_conversation&, const explain_conversation&)
    = default;
};

struct list_queues {
  friend bool operator==(const list_queues&, const list_queues&) = default;
};

/// `transfer.request` and `conference.request`; exactly one target.
struct request_transfer {
  std::string conversation;
  engine::offer_kind kind = engine::offer_kind::transfer;
  std::string to_queue;
  std::string to_agent;
  std::string topic; ///< the reason
  std::string note;
  engine::transfer_mode mode = engine::transfer_mode::cold;

  friend bool operator==(const request_transfer&, const request_transfer&)
    = default;
};

struct answer_consent {
  std::string conversation;
  std::string transfer;
  bool accept = false;

  friend bool operator==(const answer_consent&, const answer_consent&)
    = default;
};

struct leave_conversation {
  std::string conversation;

  friend bool operator==(const leave_conversation&, const leave_conversation&)
    = default;
};

/// The caller becomes the assignee; `text`, when given, is sent as the
/// caller ("takeover and send").
struct take_over {
  std::string conversation;
  std::string text;

  friend bool operator==(const take_over&, const take_over&) = default;
};

/// A supervisor gives a waiting conversation to one agent.
struct assign_conversation {
  std::string conversation;
  std::string agent;

  friend bool operator==(const assign_conversation&, const assign_conversation&)
    = default;
};

/// A supervisor removes the assignee and transfers, cold.
struct unassign_conversation {
  std::string conversation;
  std::string to_queue;
  std::string to_agent;
  std::string topic;
  std::string note;

  friend bool
  operator==(const unassign_conversation&, const unassign_conversation&)
    = default;
};

/// Silent listening: every event, whispers included; nobody is told.
struct monitor_conversation {
  std::string conversation;

  friend bool
  operator==(const monitor_conversation&, const monitor_conversation&)
    = default;
};

struct resume_conversation {
  std::string conversation;

  friend bool operator==(const resume_conversation&, const resume_conversation&)
    = default;
};

/// A bot hands its conversation to human routing.
struct hand_off {
  std::string conversation;
  std::string queue;
  std::string topic;
  std::string summary;

  friend bool operator==(const hand_off&, const hand_off&) = default;
};

/// After `agent.absent`: anyone of the queue will do.
struct request_other {
  std::string conversation;

  friend bool operator==(const request_other&, const request_other&) = default;
};

/// A page of the agents, by id: those after `after_agent`, at most `limit`.
struct list_agents {
  std::string queue;       ///< empty: every agent
  std::string after_agent; ///< empty: from the first
  std::uint32_t limit = 500;

  friend bool operator==(const list_agents&, const list_agents&) = default;
};

/// A supervisor's dashboard: `queue.stats`, `conversation.updated` and
/// `agent.updated` events for these queues until the user's last session
/// closes.
struct supervise_subscribe {
  std::vector<std::string> queues; ///< empty: every queue

  friend bool operator==(const supervise_subscribe&, const supervise_subscribe&)
    = default;
};

/// `GET /v1/attribution`: the agent to credit with an order `customer`
/// placed at `at` (docs/protocol.md, "The HTTP side"). HTTP only.
struct attribution_query {
  std::string customer;
  engine::time_ms at = 0;

  friend bool operator==(const attribution_query&, const attribution_query&)
    = default;
};

using request = std::variant<
  start_conversation, send_message, close_conversation, set_agent_status,
  accept_offer, reject_offer, list_waiting, pick_waiting, send_typing,
  list_conversations, conversation_history, list_queues, list_agents,
  send_whisper, supervise_subscribe, attribution_query, request_transfer,
  answer_consent, leave_conversation, take_over, assign_conversation,
  unassign_conversation, monitor_conversation, resume_conversation, hand_off,
  request_other, explain_conversation>;

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, caller& x) {
  return f(x.user, x.role, x.name);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, start_conversation& x) {
  return f(x.channel, x.queue, x.topic, x.text, x.agent, x.customer,
           x.customer_name);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, send_message& x) {
  return f(x.conversation, x.text, x.client_msg_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, send_whisper& x) {
  return f(x.conversation, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, close_conversation& x) {
  return f(x.conversation, x.wrap_up);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, set_agent_status& x) {
  return f(x.status, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, accept_offer& x) {
  return f(x.offer);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reject_offer& x) {
  return f(x.offer, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_waiting& x) {
  return f(x.queue, x.limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pick_waiting& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, send_typing& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_conversations& x) {
  return f(x.state);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_history& x) {
  return f(x.conversation, x.after_seq, x.before_seq, x.limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, explain_conversation& x) {
  return f(x.conversation, x.after_seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_queues&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, request_transfer& x) {
  return f(x.conversation, x.kind, x.to_queue, x.to_agent, x.topic, x.note,
           x.mode);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, answer_consent& x) {
  return f(x.conversation, x.transfer, x.accept);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, leave_conversation& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, take_over& x) {
  return f(x.conversation, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, assign_conversation& x) {
  return f(x.conversation, x.agent);
}

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, unassign_conversation& x) {
  return f(x.conversation, x.to_queue, x.to_agent, x.topic, x.note);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, monitor_conversation& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resume_conversation& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hand_off& x) {
  return f(x.conversation, x.queue, x.topic, x.summary);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, request_other& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_agents& x) {
  return f(x.queue, x.after_agent, x.limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervise_subscribe& x) {
  return f(x.queues);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, attribution_query& x) {
  return f(x.customer, x.at);
}

} // namespace baton::actors
