#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/actor.hpp"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/typed_response_promise.hpp"

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
};

/// The directory to itself: the next step of a recovery.
struct restore_step {
  std::shared_ptr<recover_conversations> all;
  std::size_t next = 0;
  caf::typed_response_promise<bool> done;
};

/// To a new conversation actor, first of all: its state and log as stored,
/// and the actors of the agents in it.
struct restore_conversation {
  engine::conversation conv{""};
  std::vector<engine::event> history;
  std::unordered_map<std::string, caf::actor> agents;
  /// The inbox of the bot it came from, if any.
  caf::actor bot;
};

/// To an agent actor: it takes part in this conversation (it did before the
/// restart); the conversation counts against its capacity.
struct restore_assignment {
  std::string conversation;
  caf::actor handle;
};

/// The directory to itself: a conversation's stored log, read to resume it.
struct revive_conversation {
  std::vector<engine::event> log;
  api_call call;
};

} // namespace baton::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::revive_conversation)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::recover_conversations)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::restore_step)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::restore_conversation)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::restore_assignment)
