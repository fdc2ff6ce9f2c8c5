#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "caf/fwd.hpp"

#include "actors/api.hpp"
#include "actors/metrics.hpp"
#include "actors/wire/std_types.hpp"
#include "engine/conversation/events.hpp"
#include "engine/storage/store.hpp"

/// The reader: stored conversations (closed ones no actor holds any more)
/// read on a thread and a connection of their own, off the journal's commit
/// path, so a flood of reads neither delays nor forces a commit. It handles
///   store_read     one conversation's whole log: answered with stored_log
///   history_read   `conversation.history` from the store: answered with a
///                  reply
namespace baton::actors {

struct store_read {
  std::string conversation;

  friend bool operator==(const store_read&, const store_read&) = default;
};

/// A conversation's log as stored: empty when the store does not know it.
struct stored_log {
  /// False: the store could not be read (say so, never "no such
  /// conversation").
  bool readable = false;
  std::vector<engine::event> events;

  friend bool operator==(const stored_log&, const stored_log&) = default;
};

/// `conversation.history` of a conversation no actor holds, asked by `who`.
struct history_read {
  caller who;
  conversation_history what;

  friend bool operator==(const history_read&, const history_read&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, store_read& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stored_log& x) {
  return f(x.readable, x.events);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, history_read& x) {
  return f(x.who, x.what);
}

struct reader_options {
  std::unique_ptr<engine::storage::log_reader> reader;
  /// Counts failures (store_failures) and marks the store failing.
  std::shared_ptr<routing_metrics> metrics;
};

/// Spawns the reader on a thread of its own (its store calls block).
reader_actor spawn_reader(caf::actor_system& system, reader_options options);

} // namespace baton::actors
