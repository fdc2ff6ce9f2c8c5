#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/fwd.hpp"

#include "engine/conversation/events.hpp"
#include "engine/storage/store.hpp"

/// The journal: the one writer of the store. Conversations send it the
/// events they apply; it gathers them for `group_commit_ms`, commits them in
/// one transaction on a thread of its own, and then tells each conversation
/// how far it is stored, so the conversation may release what waited for it
/// (replies and events to clients). It handles
///   journal_append   from a conversation: store these events
///   journal_read     a conversation's whole log, for history and export
///   (and, to itself, the commit and retention timers)
namespace baton::actors {

struct journal_options {
  std::shared_ptr<engine::storage::store> store;
  /// 0: commit whatever is in the mailbox at once, in one transaction.
  engine::duration_ms group_commit_ms = 2;
  /// Closed conversations older than this are deleted; 0 keeps them.
  std::int64_t retention_days = 0;
  /// Where failures are told (the store is retried; nothing is lost).
  std::function<void(const std::string&)> log_error;
};

struct journal_append {
  std::string conversation;
  std::vector<engine::event> events;
  caf::actor from;
};

/// To a conversation: its events up to `seq` are stored.
struct journal_committed {
  std::uint64_t seq = 0;
};

/// Reads one conversation's log (empty when unknown) and hands it to
/// `done`, on the journal's thread: `done` must only compute and send.
struct journal_read {
  std::string conversation;
  std::function<void(std::vector<engine::event>)> done;
};

/// Spawns the journal on a thread of its own (its store calls block).
caf::actor spawn_journal(caf::actor_system& system, journal_options options);

} // namespace baton::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::journal_append)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::journal_committed)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::journal_read)
