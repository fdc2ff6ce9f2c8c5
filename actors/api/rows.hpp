#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/conversation/events.hpp"
#include "engine/types.hpp"

/// The rows that replies and events share: a waiting entry, a conversation's
/// summary, a queue's and an agent's row, an offer as its agent sees it.
namespace baton::actors {

struct waiting_entry {
  std::string conversation;
  std::string queue;
  std::string topic;
  engine::channel channel = engine::channel::web;
  engine::participant customer;
  engine::duration_ms waited_ms = 0;
  /// What the agent reads before taking it: the customer's first message.
  std::string content;

  friend bool operator==(const waiting_entry&, const waiting_entry&) = default;
};

/// A conversation as `hello` and `conversation.list` show it.
struct conversation_summary {
  std::string conversation;
  engine::conversation_state state = engine::conversation_state::queued;
  engine::channel channel = engine::channel::web;
  std::string queue;
  std::string topic;
  engine::participant customer;
  std::vector<std::string> agents;
  std::string assignee;
  std::uint64_t last_seq = 0;
  engine::time_ms created_at = 0;
  /// While it waits in a queue: its place as last told to its customer (0:
  /// none told), so that a customer who comes back sees it at once.
  std::int64_t position = 0;
  std::int64_t estimated_wait_s = -1;

  friend bool
  operator==(const conversation_summary&, const conversation_summary&)
    = default;
};

struct queue_row {
  std::string queue;
  std::string name;
  std::uint32_t agents_available = 0; ///< ready and connected
  std::uint32_t agents_ready = 0;
  std::uint32_t agents_busy = 0; ///< holding at least one conversation
  std::uint32_t waiting = 0;
  engine::duration_ms longest_wait_ms = 0;
  /// How long a conversation entering now would wait, in seconds; -1 when
  /// the queue has not seen enough of its line move to say.
  std::int64_t estimated_wait_s = -1;

  friend bool operator==(const queue_row&, const queue_row&) = default;
};

struct agent_row {
  std::string agent;
  std::string name;
  engine::agent_status status = engine::agent_status::offline;
  std::int32_t load = 0;
  std::int32_t capacity = 0;
  std::vector<std::string> queues;

  friend bool operator==(const agent_row&, const agent_row&) = default;
};

/// An offer as the agent sees it (the `offer` event).
struct offer_notice {
  std::string offer;
  engine::offer_kind kind = engine::offer_kind::new_;
  std::string queue;
  std::string topic;
  engine::channel channel = engine::channel::web;
  engine::participant customer;
  std::string content;
  engine::time_ms expires_at = 0;
  /// A transfer or conference: who asked, and the note they left.
  std::string from_agent;
  std::string note;

  friend bool operator==(const offer_notice&, const offer_notice&) = default;
};

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, waiting_entry& x) {
  return f(x.conversation, x.queue, x.topic, x.channel, x.customer, x.waited_ms,
           x.content);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_summary& x) {
  return f(x.conversation, x.state, x.channel, x.queue, x.topic, x.customer,
           x.agents, x.assignee, x.last_seq, x.created_at, x.position,
           x.estimated_wait_s);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_row& x) {
  return f(x.queue, x.name, x.agents_available, x.agents_ready, x.agents_busy,
           x.waiting, x.longest_wait_ms, x.estimated_wait_s);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_row& x) {
  return f(x.agent, x.name, x.status, x.load, x.capacity, x.queues);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_notice& x) {
  return f(x.offer, x.kind, x.queue, x.topic, x.channel, x.customer, x.content,
           x.expires_at, x.from_agent, x.note);
}

} // namespace baton::actors
