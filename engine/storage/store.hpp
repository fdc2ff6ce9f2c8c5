#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/config/config.hpp"
#include "engine/conversation/events.hpp"

/// Where conversations live between restarts. A store keeps each
/// conversation's event log and nothing else: the waiting lists with their
/// ages, assignments and client_msg_ids are all folded back out of the log
/// by the engine's `apply`, so there is one truth and no second table to
/// keep in step with it.
namespace baton::engine::storage {

/// The store could not do what was asked (I/O, a lost connection, a full
/// disk, a corrupt file). Nothing of the failed call was written.
struct store_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One event of one conversation, as appended.
struct log_entry {
  std::string conversation;
  event e;
};

struct conversation_log {
  std::string id;
  std::vector<event> events; ///< in seq order

  friend bool operator==(const conversation_log&, const conversation_log&)
    = default;
};

/// A customer-visible message an agent sent a customer, for attribution.
struct agent_message {
  time_ms at = 0;
  std::string agent;

  friend bool operator==(const agent_message&, const agent_message&) = default;
};

/// Which rows of a log to read: the first `limit` after `after_seq`, or
/// with `before_seq` the last `limit` before it.
struct row_range {
  std::uint64_t after_seq = 0;
  std::optional<std::uint64_t> before_seq;
  std::size_t limit = 1;
};

/// Reads stored logs. Blocking; used from one thread at a time.
class log_reader {
public:
  virtual ~log_reader() = default;

  /// The whole log of one conversation, open or closed; empty when unknown
  /// or pruned. Throws store_error when the store cannot answer.
  virtual std::vector<event> load(const std::string& conversation) = 0;

  /// Some rows of one conversation's log, in seq order: a page of its
  /// history without reading the rest. This default reads the whole log
  /// and keeps them; a store that can seek overrides it. Throws
  /// store_error when the store cannot answer.
  virtual std::vector<event> load_rows(const std::string& conversation,
                                       const row_range& rows);

  /// The customer-visible messages agents sent `customer` (its id as the
  /// customer of a conversation) from `from` to `to` inclusive, newest
  /// first, at most `limit`. Conversations pruned by retention are gone.
  /// Throws store_error when the store cannot answer.
  virtual std::vector<agent_message> agent_messages(const std::string& customer,
                                                    time_ms from, time_ms to,
                                                    std::size_t limit)
    = 0;

  /// The open conversations whose ids fall in these of `shard_count`
  /// shards, oldest first, each with its whole log: what a node brings back
  /// of the shards it took over from one that stopped. Throws store_error
  /// when the store cannot answer.
  virtual void load_open_in(std::span<const std::uint32_t> shards,
                            std::uint32_t shard_count,
                            const std::function<void(conversation_log&&)>& each)
    = 0;
};

/// `each`, for the logs whose ids fall in these of `shard_count` shards
/// only: how a store that keeps no shard in its rows picks them.
std::function<void(conversation_log&&)>
only_in_shards(std::span<const std::uint32_t> shards, std::uint32_t shard_count,
               const std::function<void(conversation_log&&)>& each);

/// Of a log's events, the customer-visible messages of agents within
/// [from, to], appended to `out`: what every store's agent_messages picks.
void collect_agent_messages(std::span<const event> events, time_ms from,
                            time_ms to, std::vector<agent_message>& out);

/// Newest first, at most `limit`: how agent_messages answers.
void newest_first(std::vector<agent_message>& messages, std::size_t limit);

/// The customer a log's first event names (conversation_created), or empty.
std::string customer_of(const event& first);

/// Per conversation of `batch`, its last `conversation_closed` or
/// `conversation_reopened`: what the batch makes of its stored state. Any
/// other event leaves that as it is, so most batches change none.
std::vector<const log_entry*>
closes_and_reopens(std::span<const log_entry> batch);

/// Every call is blocking and the store is used from one thread at a time
/// (the journal's).
class store : public log_reader {
public:
  /// Writes the batch in one transaction: all of it or nothing. A
  /// `conversation_closed` marks its conversation closed as of the event's
  /// time, a `conversation_reopened` open again; an event already stored
  /// (same conversation and seq) is an error.
  virtual void append(std::span<const log_entry> batch) = 0;

  /// Calls `each` for every conversation not closed, oldest first, with its
  /// whole log. Streams, so a million of them need not fit twice in memory.
  virtual void load_open(const std::function<void(conversation_log&&)>& each)
    = 0;

  /// A second way in, for reads beside this store's writes: a connection of
  /// its own (SQLite read-only, PostgreSQL), so a read neither waits for a
  /// commit nor forces one. It sees what was committed.
  virtual std::unique_ptr<log_reader> open_reader() = 0;

  /// Deletes up to `limit` conversations closed before `closed_before`, with
  /// their events; returns how many went. Small batches keep each pause
  /// short.
  virtual std::size_t prune_closed(time_ms closed_before, std::size_t limit)
    = 0;
};

class shard_fence;

/// The store `settings` name; throws store_error when it cannot be opened.
/// A node of a cluster passes its fence: only PostgreSQL takes one.
std::unique_ptr<store> open_store(const config::storage_settings& settings,
                                  std::shared_ptr<shard_fence> fence = nullptr);

/// A read-only way into the store `settings` name, for tools beside a
/// running server (`baton export`): it creates nothing and throws
/// store_error when there is no such store (or it is `memory`).
std::unique_ptr<log_reader>
open_reader(const config::storage_settings& settings);

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_log& x) {
  return f(x.id, x.events);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_message& x) {
  return f(x.at, x.agent);
}

} // namespace baton::engine::storage
