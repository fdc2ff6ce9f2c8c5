#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/fwd.hpp"

#include "actors/metrics.hpp"
#include "actors/wire/std_types.hpp"
#include "engine/conversation/events.hpp"
#include "engine/storage/store.hpp"

/// The journal: the one writer of the store. Conversations send it the
/// events they apply; it gathers them for `group_commit_ms`, commits them in
/// one transaction on a thread of its own, and then tells each conversation
/// how far it is stored, so the conversation may release what waited for it
/// (replies and events to clients). It handles
///   journal_append   from a conversation: store these events
///   (and, to itself, the commit and retention timers)
/// Reads go to the reader (reader_actor.hpp), never here.
namespace baton::actors {

struct journal_options {
  std::shared_ptr<engine::storage::store> store;
  /// 0: commit whatever is in the mailbox at once, in one transaction.
  engine::duration_ms group_commit_ms = 2;
  /// Closed conversations older than this are deleted; 0 keeps them.
  std::int64_t retention_days = 0;
  /// store_write_failing is kept here; journal_pending (counted up by the
  /// senders) is counted down as commits land.
  std::shared_ptr<routing_metrics> metrics;
};

struct journal_append {
  std::string conversation;
  std::vector<engine::event> events;
  conversation_actor from;

  friend bool operator==(const journal_append&, const journal_append&)
    = default;
};

/// To a conversation: its events up to `seq` are stored.
struct journal_committed {
  std::uint64_t seq = 0;

  friend bool operator==(const journal_committed&, const journal_committed&)
    = default;
};

/// The journal to itself: commit what was gathered.
struct flush_timer {
  friend bool operator==(const flush_timer&, const flush_timer&) = default;
};
/// The journal to itself: the next retention pass.
struct prune_tick {
  friend bool operator==(const prune_tick&, const prune_tick&) = default;
};

/// Spawns the journal on a thread of its own (its store calls block).
journal_actor spawn_journal(caf::actor_system& system, journal_options options);

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, journal_append& x) {
  return f(x.conversation, x.events, x.from);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, journal_committed& x) {
  return f(x.seq);
}

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, flush_timer&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, prune_tick&) {
  return f();
}

} // namespace baton::actors
