#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "actors/messages.hpp"
#include "engine/conversation/events.hpp"
#include "engine/routing/agent_view.hpp"
#include "engine/routing/wait_estimate.hpp"

/// What a queue (queue/actor.hpp) handles: conversations entering and
/// leaving, the outcome of offer rounds, agents' standing, queries, reload.
namespace baton::actors {

/// The conversation waits in this queue; sent on start and on every requeue.
struct enqueue {
  std::string conversation;
  /// Null for a conversation back from the store asleep: the queue reaches
  /// it through the directory.
  conversation_actor handle;
  std::int32_t priority = 0;
  engine::time_ms enqueued_at = 0;
  std::string topic;
  engine::channel channel = engine::channel::web;
  engine::participant customer;
  std::string content;
  /// When it entered this queue: its wait timeout counts from here, while
  /// `enqueued_at` (its original age) orders it.
  engine::time_ms entered_at = 0;
  /// Agents never offered this conversation here: those already in it.
  std::vector<std::string> exclude;

  friend bool operator==(const enqueue&, const enqueue&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, enqueue& x) {
  return f(x.conversation, x.handle, x.priority, x.enqueued_at, x.topic,
           x.channel, x.customer, x.content, x.entered_at, x.exclude);
}

/// The conversation left the waiting list (assigned by a pick, closed).
struct dequeue {
  std::string conversation;

  friend bool operator==(const dequeue&, const dequeue&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dequeue& x) {
  return f(x.conversation);
}

/// How an offer round ended, for the queue's bookkeeping.
enum class round_outcome : std::uint8_t {
  assigned,    ///< someone accepted: the conversation leaves the queue
  failed,      ///< everyone declined, timed out or was full: try others
  not_waiting, ///< the conversation was no longer waiting
};

struct offer_round_ended {
  std::string conversation;
  round_outcome outcome = round_outcome::failed;
  /// Agents that declined or timed out: not asked again this round.
  std::vector<std::string> tried;

  friend bool operator==(const offer_round_ended&, const offer_round_ended&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_round_ended& x) {
  return f(x.conversation, x.outcome, x.tried);
}

/// A conversation waiting in a queue with nothing in flight, as the
/// directory keeps it once its actor has gone (docs/architecture.md,
/// "Passivation"): its log and where it waits. Sent to a new actor as its
/// first message, it is that conversation again.
struct sleeping_conversation {
  std::string conversation;
  /// The queue it was started in, and the one it waits in now.
  std::string home_queue;
  std::string waiting_in;
  /// Where its queue last said it stands.
  engine::line_place place;
  std::vector<engine::event> log;
  /// When it wakes: the inbox of the bot that started it, if any, which
  /// hears from it again.
  user_actor bot;

  friend bool
  operator==(const sleeping_conversation&, const sleeping_conversation&)
    = default;
};

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, sleeping_conversation& x) {
  return f(x.conversation, x.home_queue, x.waiting_in, x.place.position,
           x.place.estimated_wait_s, x.log, x.bot);
}

/// A conversation with nothing in flight asks to leave memory. The request
/// goes from it to its queue, the directory, the inbox of the bot that
/// started it and its customer's inbox, each of which sends to it through
/// the directory from then on, and comes back as `passivation_settled`:
/// whatever they sent it before is then in its mailbox ahead of that, and
/// nothing after.
struct passivate {
  conversation_actor handle;
  sleeping_conversation record;
  /// What its customer's inbox (and its bot's) lists while it sleeps.
  conversation_summary summary;
  /// The inbox an inbox passes the request on to, instead of answering it.
  user_actor then;

  friend bool operator==(const passivate&, const passivate&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, passivate& x) {
  return f(x.handle, x.record, x.summary, x.then);
}

/// What a conversation tells a queue.
using queue_message
  = std::variant<enqueue, dequeue, offer_round_ended, passivate>;

struct agent_update {
  engine::agent_view view;
  agent_actor handle;

  friend bool operator==(const agent_update&, const agent_update&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_update& x) {
  return f(x.view, x.handle);
}

/// To a queue: this agent is no longer a member.
struct agent_left {
  std::string agent;

  friend bool operator==(const agent_left&, const agent_left&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_left& x) {
  return f(x.agent);
}

/// For `waitlist.list`: the queue's waiting conversations this agent may take.
/// Answered with a waiting_answer.
struct waiting_query {
  std::vector<std::string> topics;
  std::uint32_t limit = 500; ///< at most; a queue lists 500 at most

  friend bool operator==(const waiting_query&, const waiting_query&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, waiting_query& x) {
  return f(x.topics, x.limit);
}

struct waiting_answer {
  std::vector<waiting_entry> entries;

  friend bool operator==(const waiting_answer&, const waiting_answer&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, waiting_answer& x) {
  return f(x.entries);
}

/// To a queue: its row of queue.list.
struct queue_stats_query {
  friend bool operator==(const queue_stats_query&, const queue_stats_query&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_stats_query&) {
  return f();
}

/// To a queue removed from the configuration: it hands every waiting
/// conversation to `queue` and makes no more offers.
struct queue_retired {
  std::string queue;
  queue_actor handle;

  friend bool operator==(const queue_retired&, const queue_retired&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_retired& x) {
  return f(x.queue, x.handle);
}

struct retry_timer {
  friend bool operator==(const retry_timer&, const retry_timer&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, retry_timer&) {
  return f();
}

/// Time to tell the waiting customers where they stand.
struct position_tick {
  friend bool operator==(const position_tick&, const position_tick&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position_tick&) {
  return f();
}

/// Time to ask again after the places in line whose shard moved and
/// that no answer settled yet.
struct places_check_timer {
  friend bool operator==(const places_check_timer&, const places_check_timer&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, places_check_timer&) {
  return f();
}

struct wait_tick {
  friend bool operator==(const wait_tick&, const wait_tick&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wait_tick&) {
  return f();
}

} // namespace baton::actors
