#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "actors/agent/messages.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/messages.hpp"
#include "actors/queue/messages.hpp"
#include "engine/storage/store.hpp"

/// What the directory (directory/actor.hpp) handles besides requests and
/// sessions: messages to actors by id, conversations' lifecycle, recovery
/// and reload.
namespace baton::actors {

/// To the directory: a message for a queue, by id.
struct for_queue {
  std::string queue;
  queue_message message;

  friend bool operator==(const for_queue&, const for_queue&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, for_queue& x) {
  return f(x.queue, x.message);
}

/// To the directory: an offer for one named agent (a direct conversation, a
/// transfer or an assignment to that agent).
struct offer_to_agent {
  std::string agent;
  reserve message;

  friend bool operator==(const offer_to_agent&, const offer_to_agent&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_to_agent& x) {
  return f(x.agent, x.message);
}

/// To the directory: an offer's end for one named agent, from a
/// conversation that does not know his actor (brought back by another
/// actor, it ends the offers its earlier actor made).
struct revoke_to_agent {
  std::string agent;
  revoke message;

  friend bool operator==(const revoke_to_agent&, const revoke_to_agent&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, revoke_to_agent& x) {
  return f(x.agent, x.message);
}

/// A message for a conversation actor, by id: an agent's pick, or its
/// claim asked again (its first went straight to the conversation's actor,
/// which may have been on a node that died since); a question about what
/// a queue or an agent holds for it (conversation/messages.hpp).
struct to_conversation {
  std::string conversation;
  std::variant<pick, claim, waits_in, takes_part, offer_open> message;

  /// One of the questions, not an ask that may change the conversation.
  bool question() const {
    return !std::holds_alternative<pick>(message)
           && !std::holds_alternative<claim>(message);
  }
  /// A claim or pick asked again: the agent's timer asks it once more
  /// after its patience if no answer comes.
  bool asked_again() const {
    const auto* c = std::get_if<claim>(&message);
    const auto* p = std::get_if<pick>(&message);
    return (c != nullptr && c->again) || (p != nullptr && p->again);
  }
  /// The offer the ask is about, if any: the answer names it.
  std::string offer() const {
    if (const auto* c = std::get_if<claim>(&message))
      return c->offer;
    if (const auto* o = std::get_if<offer_open>(&message))
      return o->offer;
    return {};
  }

  friend bool operator==(const to_conversation&, const to_conversation&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, to_conversation& x) {
  return f(x.conversation, x.message);
}

/// Queues and agents by id, wherever they run.
using queue_handles = std::vector<std::pair<std::string, queue_actor>>;
using agent_handles = std::vector<std::pair<std::string, agent_actor>>;

/// To a directory sharing the shards (docs/cluster.md, "Joining"): the
/// directory holding each shard, as of `version` (a newer table replaces an
/// older one; an older one is ignored), and the queues and agents the
/// sender runs, and its supervision. Answered with the queues and agents
/// this one runs, and its supervision. A
/// directory given a newer table, or whose own queues and agents changed,
/// tells every other holder the same way, so the table told to one
/// directory reaches all, and each learns every other's queues and agents.
struct join_directories {
  std::vector<directory_actor> holders;
  std::uint64_t version = 0;
  queue_handles queues;
  agent_handles agents;
  /// By shard, the epoch its holder holds it at (empty: not known).
  std::vector<std::uint64_t> epochs;
  /// None from a lease keeper or a test, which are not directories.
  supervision_actor supervision;

  friend bool operator==(const join_directories&, const join_directories&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, join_directories& x) {
  return f(x.holders, x.version, x.queues, x.agents, x.epochs, x.supervision);
}

struct directory_roster {
  queue_handles queues;
  agent_handles agents;
  supervision_actor supervision;

  friend bool operator==(const directory_roster&, const directory_roster&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, directory_roster& x) {
  return f(x.queues, x.agents, x.supervision);
}

/// From the directory holding a conversation to the one holding its bot:
/// the conversation holds these users' inboxes from now on.
struct holds_taken {
  std::string conversation;
  std::vector<std::string> keys;

  friend bool operator==(const holds_taken&, const holds_taken&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, holds_taken& x) {
  return f(x.conversation, x.keys);
}

/// From the directory holding a conversation brought back from the store
/// to the one holding some of its users (its bot, a supervisor who took it
/// over): make their inboxes, held by the conversation from now on, as a
/// live conversation's are (docs/cluster.md, "Inboxes brought back").
/// Answered with those of `keys` it holds.
struct inboxes_wanted {
  std::string conversation;
  std::vector<std::string> keys;

  friend bool operator==(const inboxes_wanted&, const inboxes_wanted&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inboxes_wanted& x) {
  return f(x.conversation, x.keys);
}

struct inboxes_given {
  std::vector<std::pair<std::string, user_actor>> inboxes;

  friend bool operator==(const inboxes_given&, const inboxes_given&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inboxes_given& x) {
  return f(x.inboxes);
}

/// From the directory holding a conversation to one that made inboxes for
/// it (a monitor's or a requester's, at the user's holder): the
/// conversation left memory, and holds these users' inboxes no more.
struct holds_released {
  std::string conversation;
  std::vector<std::string> keys;

  friend bool operator==(const holds_released&, const holds_released&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, holds_released& x) {
  return f(x.conversation, x.keys);
}

/// From a conversation: it closed, or was resumed (its customer's bound of
/// open conversations counts it again).
struct conversation_open_changed {
  std::string conversation;
  bool open = false;

  friend bool
  operator==(const conversation_open_changed&, const conversation_open_changed&)
    = default;
};

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, conversation_open_changed& x) {
  return f(x.conversation, x.open);
}

/// To the directory: a reloaded configuration, already validated, staged in
/// this node's runtime source as `version`.
struct new_config {
  std::uint64_t version = 0;

  friend bool operator==(const new_config&, const new_config&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, new_config& x) {
  return f(x.version);
}

/// To the directory, before anything else: spawn these conversations again.
/// Answered (true) once every conversation, queue and agent has been told,
/// so requests that come after see them.
struct recover_conversations {
  std::vector<engine::storage::conversation_log> logs;

  friend bool
  operator==(const recover_conversations&, const recover_conversations&)
    = default;
};

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, recover_conversations& x) {
  return f(x.logs);
}

/// To a directory sharing the shards: bring back the open conversations of
/// these shards, which it holds now, from the store. It reads them through
/// the reader (again a second later while the store cannot answer) and
/// restores them once it knows, under their holders as of its table, every
/// queue and agent they may be in (docs/cluster.md, "Shards that move").
/// A directory asks it of itself for the shards a table gives it.
struct recover_shards {
  std::vector<std::uint32_t> shards;

  friend bool operator==(const recover_shards&, const recover_shards&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, recover_shards& x) {
  return f(x.shards);
}

/// To a directory sharing the shards, from its node's lease keeper (a
/// rebalance; docs/cluster.md, "Evening out"): give these shards up. Their
/// conversations leave memory once all they wrote is stored, their queues,
/// agents and user inboxes stop (sessions attached to them reconnect), and
/// meanwhile what is for their ids is answered "moving". Answered true once
/// all that is done and the journal has stored every write to them; false
/// while something is still under way (asked again, it goes on from there).
struct give_up_shards {
  std::vector<std::uint32_t> shards;
  /// The epoch each is held at: a table naming this directory for one at
  /// a later epoch gives it back (this node claimed it again).
  std::vector<std::uint64_t> epochs;

  friend bool operator==(const give_up_shards&, const give_up_shards&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, give_up_shards& x) {
  return f(x.shards, x.epochs);
}

/// The directory to itself: the next step of the recovery in progress.
struct restore_step {
  friend bool operator==(const restore_step&, const restore_step&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restore_step&) {
  return f();
}

/// What a queue sends a waiting conversation (offers, the end of its wait,
/// its place, a move) once the conversation has asked to sleep: through
/// the directory, which wakes it when the message needs it.
using waiting_message
  = std::variant<offer_to, wait_timer, line_position, queue_moved>;

struct from_queue {
  std::string conversation;
  waiting_message message;

  friend bool operator==(const from_queue&, const from_queue&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, from_queue& x) {
  return f(x.conversation, x.message);
}

/// From a conversation once its passivation settled: it went (`slept`), or
/// something reached it meanwhile and it stays.
struct passivation_done {
  std::string conversation;
  conversation_actor handle;
  bool slept = false;

  friend bool operator==(const passivation_done&, const passivation_done&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, passivation_done& x) {
  return f(x.conversation, x.handle, x.slept);
}

} // namespace baton::actors
