#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/actor.hpp"

#include "actors/messages.hpp"
#include "engine/conversation/conversation.hpp"
#include "engine/storage/store.hpp"

/// Bringing open conversations back from the store at start-up.
namespace baton::actors {

/// To the directory, before anything else: spawn these conversations again.
/// Answered (true) once every conversation, queue and agent has been told,
/// so requests that come after see them.
struct recover_conversations {
  std::vector<engine::storage::conversation_log> logs;

  friend bool
  operator==(const recover_conversations&, const recover_conversations&)
    = default;
};

/// The directory to itself: the next step of the recovery in progress.
struct restore_step {
  friend bool operator==(const restore_step&, const restore_step&) = default;
};

/// To a new conversation actor, first of all: its log as stored (it replays
/// it into its state), and the actors of the agents in it.
struct restore_conversation {
  std::vector<engine::event> history;
  std::unordered_map<std::string, inbox_actor> agents;
  /// The inbox of the bot it came from, if any.
  user_actor bot;

  friend bool
  operator==(const restore_conversation&, const restore_conversation&)
    = default;
};

/// To an agent actor: it takes part in this conversation (it did before the
/// restart); the conversation counts against its capacity.
struct restore_assignment {
  std::string conversation;
  conversation_actor handle;

  friend bool operator==(const restore_assignment&, const restore_assignment&)
    = default;
};

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, recover_conversations& x) {
  return f(x.logs);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restore_step&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restore_conversation& x) {
  return f(x.history, x.agents, x.bot);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restore_assignment& x) {
  return f(x.conversation, x.handle);
}

} // namespace baton::actors
