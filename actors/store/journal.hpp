#pragma once

#include "actors/store/messages.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "caf/fwd.hpp"

#include "actors/metrics.hpp"
#include "actors/wire/std_types.hpp"
#include "engine/conversation/events.hpp"
#include "engine/storage/store.hpp"

/// The journal: the one writer of the store. Conversations send it the
/// events they apply; it commits what has arrived in one transaction on a
/// thread of its own (after `group_commit_ms`, if set), and then tells each
/// conversation how far it is stored, so the conversation may release what
/// waited for it (replies and events to clients). It handles
///   journal_append   from a conversation: store these events
///   (and, to itself, the commit and retention timers)
/// Reads go to the reader (store/reader.hpp), never here.
namespace baton::actors {

struct journal_options {
  std::shared_ptr<engine::storage::store> store;
  /// 0: commit whatever is in the mailbox at once, in one transaction.
  engine::duration_ms group_commit_ms = 0;
  /// Closed conversations older than this are deleted; 0 keeps them.
  std::int64_t retention_days = 0;
  /// store_write_failing is kept here; journal_pending (counted up by the
  /// senders) is counted down as commits land.
  std::shared_ptr<routing_metrics> metrics;
};

/// Spawns the journal on a thread of its own (its store calls block).
journal_actor spawn_journal(caf::actor_system& system, journal_options options);

} // namespace baton::actors
