#pragma once

#include "actors/store/messages.hpp"

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
///   explain_read   `conversation.explain` from the store: a reply
///   agent_messages_read  agents' messages to a customer, for attribution:
///                  answered with stored_agent_messages
///   open_logs_read the open conversations of some shards, for a directory
///                  that took them over: answered with open_logs
namespace baton::actors {

struct reader_options {
  std::unique_ptr<engine::storage::log_reader> reader;
  /// Counts failures (store_failures) and marks the store failing.
  std::shared_ptr<routing_metrics> metrics;
};

/// Spawns the reader on a thread of its own (its store calls block).
reader_actor spawn_reader(caf::actor_system& system, reader_options options);

} // namespace baton::actors
