#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/messages.hpp"

#include "engine/types.hpp"

namespace baton::actors {

/// The directory's book of user inboxes (customers, supervisors, bots; not
/// configured agents, who have agent actors), keyed by engine::user_key so
/// that a customer whose id equals a supervisor's never shares her inbox,
/// and of what keeps each in memory: its sessions, its resumes in flight
/// and the conversations in memory that hold its handle (as customer, bot,
/// monitor, requester or takeover). An inbox with neither is dropped, so memory
/// follows the users present, not every user ever seen. Bookkeeping only: the
/// directory does the sending.
class user_table {
public:
  struct entry {
    user_actor inbox;
    /// Its sessions attached here, each once: a detach of a session never
    /// attached here (its attach refused, or made at another holder) finds
    /// none to take away, where a count would lose a live one's.
    std::vector<session_ref> sessions;
    /// Open conversations of this user as their customer.
    std::int64_t open = 0;
    /// The conversations its resumes in flight may open: sent on, not
    /// answered yet, not counted in `open` yet. One per resume; a vector,
    /// as it is almost always empty (an empty set costs 56 bytes).
    std::vector<std::string> resuming;
    /// Conversations in memory holding this inbox.
    std::unordered_set<std::string> holds;
    /// Its inbox lists closed conversations retired from memory: it does
    /// not rest while its conversations sleep (the list would be lost).
    bool lists_closed = false;
    /// Starts of this bot's on their way to another directory: its inbox
    /// went with them, and the conversations will send to it.
    std::int32_t starting = 0;
  };

  entry* find(const std::string& key);
  const entry* find(const std::string& key) const;
  /// Adds an entry with no inbox yet when there is none.
  entry& at(const std::string& key);
  /// The key as stored, which stays put until its entry is dropped.
  const std::string& stored_key(const std::string& key);

  /// `conversation` holds `key`'s inbox until it is released. A customer's
  /// hold on its own inbox (`by_customer`) is not indexed by conversation:
  /// the directory's entry names the customer, and release is told it.
  /// `held_at`: the directory holding a conversation that is not here,
  /// which releases it. `sure`: its own word (or this directory's, for a
  /// conversation here), which replaces what was noted; otherwise this
  /// directory's guess by its table, noted for a new hold only.
  void hold(const std::string& key, const std::string& conversation,
            bool by_customer = false, directory_actor held_at = {},
            bool sure = true);
  /// `conversation` holds `key`'s inbox no more (not as its customer).
  void release_one(const std::string& key, const std::string& conversation);
  /// The conversation left memory: the keys whose inboxes it held, its
  /// customer's among them.
  std::vector<std::string> release(const std::string& conversation,
                                   const std::string& customer_key);

  /// The holds (key, conversation) for conversations held elsewhere whose
  /// directory `holds_it(conversation, directory)` says is gone: one that
  /// went with its node cannot release them.
  template <class HoldsIt>
  std::vector<std::pair<std::string, std::string>>
  holds_not_held_at(HoldsIt&& holds_it) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [conversation, holdings] : holders_)
      for (const auto& h : holdings)
        if (h.held_at && !holds_it(conversation, h.held_at))
          out.emplace_back(h.key, conversation);
    return out;
  }

  /// Removes `key` when nothing keeps it; returns its inbox then (to be
  /// told to stop), else null.
  user_actor drop_if_idle(const std::string& key);

  std::size_t size() const noexcept {
    return users_.size();
  }

  /// Every inbox in memory.
  std::vector<user_actor> inboxes() const;

  /// Calls `f(key, entry)` for every entry; `f` may change the entry, not
  /// the table.
  template <class F>
  void each(F&& f) {
    for (auto& [key, e] : users_)
      f(key, e);
  }

private:
  /// A user a conversation holds, and where that conversation is held
  /// when not here.
  struct holding {
    std::string key;
    directory_actor held_at;
  };

  std::unordered_map<std::string, entry> users_;
  std::unordered_map<std::string, std::vector<holding>> holders_;
};

} // namespace baton::actors
