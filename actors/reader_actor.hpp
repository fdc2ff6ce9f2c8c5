#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/fwd.hpp"

#include "actors/metrics.hpp"
#include "engine/conversation/events.hpp"
#include "engine/storage/store.hpp"

/// The reader: stored conversations (closed ones no actor holds any more)
/// read on a thread and a connection of their own, off the journal's commit
/// path, so a flood of reads neither delays nor forces a commit. It handles
///   store_read   one conversation's whole log
namespace baton::actors {

/// The log of one conversation, handed to `done` on the reader's thread
/// (`done` must only compute and send): empty when the store does not know
/// it, nullopt when the store could not be read.
struct store_read {
  std::string conversation;
  std::function<void(std::optional<std::vector<engine::event>>)> done;
};

struct reader_options {
  std::unique_ptr<engine::storage::log_reader> reader;
  /// Counts failures (store_failures) and marks the store failing.
  std::shared_ptr<routing_metrics> metrics;
};

/// Spawns the reader on a thread of its own (its store calls block).
caf::actor spawn_reader(caf::actor_system& system, reader_options options);

} // namespace baton::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::store_read)
