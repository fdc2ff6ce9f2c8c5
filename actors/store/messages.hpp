#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "engine/conversation/events.hpp"
#include "engine/storage/store.hpp"

/// What the journal (store/journal.hpp) and the reader (store/reader.hpp)
/// handle: events to store, stored conversations and messages to read.
namespace baton::actors {

struct journal_append {
  std::string conversation;
  std::vector<engine::event> events;
  conversation_actor from;

  friend bool operator==(const journal_append&, const journal_append&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, journal_append& x) {
  return f(x.conversation, x.events, x.from);
}

/// The journal to itself: commit what was gathered.
struct flush_timer {
  friend bool operator==(const flush_timer&, const flush_timer&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, flush_timer&) {
  return f();
}

/// To the journal: answered once every append it received before is
/// stored (true), at once when none waits.
struct journal_sync {
  friend bool operator==(const journal_sync&, const journal_sync&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, journal_sync&) {
  return f();
}

/// The journal to itself: the next retention pass.
struct prune_tick {
  friend bool operator==(const prune_tick&, const prune_tick&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, prune_tick&) {
  return f();
}

struct store_read {
  std::string conversation;

  friend bool operator==(const store_read&, const store_read&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, store_read& x) {
  return f(x.conversation);
}

/// A conversation's log as stored: empty when the store does not know it.
struct stored_log {
  /// False: the store could not be read (say so, never "no such
  /// conversation").
  bool readable = false;
  std::vector<engine::event> events;

  friend bool operator==(const stored_log&, const stored_log&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stored_log& x) {
  return f(x.readable, x.events);
}

/// `conversation.history` of a conversation no actor holds, asked by `who`.
struct history_read {
  caller who;
  conversation_history what;

  friend bool operator==(const history_read&, const history_read&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, history_read& x) {
  return f(x.who, x.what);
}

/// `conversation.explain` of a conversation no actor holds, asked by `who`;
/// `supervisor`: the directory found that `who` may supervise.
struct explain_read {
  caller who;
  explain_conversation what;
  bool supervisor = false;

  friend bool operator==(const explain_read&, const explain_read&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, explain_read& x) {
  return f(x.who, x.what, x.supervisor);
}

/// For attribution: the customer-visible messages agents sent `customer`
/// from `from` to `to`, newest first.
struct agent_messages_read {
  std::string customer;
  engine::time_ms from = 0;
  engine::time_ms to = 0;

  friend bool operator==(const agent_messages_read&, const agent_messages_read&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_messages_read& x) {
  return f(x.customer, x.from, x.to);
}

struct stored_agent_messages {
  /// False: the store could not be read.
  bool readable = false;
  std::vector<engine::storage::agent_message> newest_first;

  friend bool
  operator==(const stored_agent_messages&, const stored_agent_messages&)
    = default;
};

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, stored_agent_messages& x) {
  return f(x.readable, x.newest_first);
}

/// The open conversations of these of `shard_count` shards: what a
/// directory that took them over brings back (directory/recovery.cpp).
struct open_logs_read {
  std::vector<std::uint32_t> shards;
  std::uint32_t shard_count = 0;

  friend bool operator==(const open_logs_read&, const open_logs_read&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, open_logs_read& x) {
  return f(x.shards, x.shard_count);
}

struct open_logs {
  /// False: the store could not be read.
  bool readable = false;
  std::vector<engine::storage::conversation_log> logs;

  friend bool operator==(const open_logs&, const open_logs&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, open_logs& x) {
  return f(x.readable, x.logs);
}

} // namespace baton::actors
