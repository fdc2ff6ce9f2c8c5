#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "caf/stateful_actor.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/directory/messages.hpp"
#include "actors/messages.hpp"
#include "actors/queue/messages.hpp"
#include "actors/runtime.hpp"
#include "engine/ids.hpp"
#include "engine/routing/agent_pool.hpp"
#include "engine/routing/reasons.hpp"
#include "engine/routing/wait_estimate.hpp"
#include "engine/routing/waiting_list.hpp"

/// The queue actor's state and what its files share: actor.cpp (the line,
/// dispatch, rounds, retirement and lists), line_ticks.cpp (wait deadlines
/// and the places customers are told) and place_checks.cpp (places asked
/// after when their shard moved).
namespace baton::actors::queue_impl {

/// When each waiting conversation's wait runs out, soonest first: the id is
/// the key of its `waiters` entry, not a copy (a million waiting, a million
/// strings fewer).
using deadline_map = std::multimap<engine::time_ms, const std::string*>;

struct waiter {
  /// Null once it asked to sleep (passivate), or when it came back from
  /// the store asleep: what it is sent goes through the directory, which
  /// holds its actor or its record.
  conversation_actor handle;
  engine::channel channel = engine::channel::web;
  engine::participant customer;
  std::string content;
  bool in_round = false;
  /// The agents of the round out, whose slots this queue counts as taken.
  std::vector<std::string> offered_to;
  deadline_map::iterator deadline;
  /// Made when first needed: most waiting conversations have neither, and
  /// an empty set costs 56 bytes.
  std::unique_ptr<std::unordered_set<std::string>> tried;
  /// Agents already in the conversation: never offered it here.
  std::unique_ptr<std::unordered_set<std::string>> excluded;
  /// Where its customer was last told it stands.
  engine::line_place told;
};

struct queue_actor_state {
  runtime_ptr rt;
  /// Reaches the conversations that asked to sleep.
  directory_actor directory;
  engine::config::queue cfg;
  /// Every waiting conversation: what agents and supervisors see. Those in
  /// an offer round are stepped out of it: a dispatch walks the rest.
  engine::waiting_list waiting;
  /// How fast `waiting` moves: the wait estimates.
  engine::line_speed speed;
  engine::agent_pool pool{engine::strategy::longest_idle};
  engine::id_generator offer_ids{"o-"};
  std::unordered_map<std::string, waiter> waiters;
  deadline_map deadlines;
  std::unordered_map<std::string, agent_actor> agents;
  std::unordered_set<std::string> restricted_topics;
  bool retry_pending = false;
  /// Conversations every allowed agent has had a turn at: their turns
  /// start over when the retry comes, not before, so that an agent who
  /// becomes free meanwhile is asked before one who just said no.
  std::unordered_set<std::string> turns_over;
  bool wait_tick_pending = false;
  bool position_tick_pending = false;
  /// Removed by a reload: where its waiting conversations go instead.
  std::optional<queue_retired> retired;
  /// The places in line whose shard moved, asked after by id, with the
  /// actor each was known by: one that entered again since is left alone.
  std::unordered_map<std::string, conversation_actor> checking;
  bool places_check_pending = false;
};

using self_ptr = queue_actor::stateful_pointer<queue_actor_state>;

// -- actor.cpp ---------------------------------------------------------------

/// To a waiting conversation: to its actor, or, with no handle (it asked
/// to sleep), through the directory.
void send_to(self_ptr self, const std::string& conversation,
             const conversation_actor& handle, waiting_message message);

/// Why the queue's agents cannot take the conversation now, for its log.
engine::routing_reasons grounds(const queue_actor_state& st, const waiter& w,
                                const std::string& topic);

/// The conversation left without being assigned here: its place goes, and
/// the slots of a round this queue started are freed.
void leave(self_ptr self, const std::string& conversation);

// -- line_ticks.cpp ----------------------------------------------------------

void arm_wait_tick(self_ptr self);
void on_wait_tick(self_ptr self);
void tell_place(self_ptr self, const std::string& conversation, waiter& w,
                std::size_t position);
bool too_long_to_wait(const queue_actor_state& st, std::size_t position);
std::size_t arrival_position(const engine::waiting_list& line,
                             const std::string& conversation, bool& exact);

void arm_position_tick(self_ptr self);
void on_position_tick(self_ptr self);

// -- place_checks.cpp --------------------------------------------------------

void on_shards_moved(self_ptr self, const shards_moved& m);
void on_places_check_timer(self_ptr self);

} // namespace baton::actors::queue_impl
