#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/allowed_unsafe_message_type.hpp"

#include "actors/api.hpp"
#include "actors/runtime.hpp"
#include "engine/routing/agent_view.hpp"

/// The messages between Baton's actors. Each actor's header lists which of
/// these it handles. They stay in this process for now, so they are allowed
/// without serialisation; crossing nodes (DESIGN.md, "Growing past one
/// machine") will give them `inspect` functions.
namespace baton::actors {

// -- from the API ------------------------------------------------------------

/// A request from a session, on its way to the actor that owns it.
struct api_call {
  caller who;
  request what;
  reply_fn done;
  /// Where the caller's events go (its agent actor or user inbox), set by
  /// the directory: a takeover or monitor adds the caller to a conversation.
  caf::actor inbox;
};

/// A session opened or closed for a user.
struct attach_sink {
  caller who;
  sink_ptr sink;
  reply_fn done; ///< answers `hello`: open conversations and offers
};
struct detach_sink {
  caller who;
  sink_ptr sink;
};

/// An event for a user actor (or agent actor) to hand to its sinks.
struct deliver {
  notification_ptr what;
};

// -- conversation ⇄ queue
// ------------------------------------------------------

/// The conversation waits in this queue; sent on start and on every requeue.
struct enqueue {
  std::string conversation;
  caf::actor handle;
  std::int32_t priority = 0;
  engine::time_ms enqueued_at = 0;
  std::string topic;
  engine::channel channel = engine::channel::web;
  engine::participant customer;
  std::string content;
  /// When it entered this queue: its wait timeout counts from here, while
  /// `enqueued_at` (its original age) orders it.
  engine::time_ms entered_at = 0;
  /// Agents never offered this conversation here: those already in it.
  std::vector<std::string> exclude;
};

/// The conversation left the waiting list (assigned by a pick, closed).
struct dequeue {
  std::string conversation;
};

/// The queue matched agents to a conversation: offer it to them.
struct offer_to {
  struct target {
    std::string offer;
    std::string agent;
    caf::actor handle;
  };
  std::vector<target> targets;
  engine::offer_kind kind = engine::offer_kind::new_;
  engine::duration_ms timeout_ms = 0;
  /// `auto` mode: assign as soon as an agent reserves, without asking.
  bool assign_at_once = false;
};

/// How an offer round ended, for the queue's bookkeeping.
enum class round_outcome : std::uint8_t {
  assigned,    ///< someone accepted: the conversation leaves the queue
  failed,      ///< everyone declined, timed out or was full: try others
  not_waiting, ///< the conversation was no longer waiting
};

struct offer_round_ended {
  std::string conversation;
  round_outcome outcome = round_outcome::failed;
  /// Agents that declined or timed out: not asked again this round.
  std::vector<std::string> tried;
};

// -- conversation ⇄ agent
// ------------------------------------------------------

/// Hold a slot for this offer, and show it to the agent.
struct reserve {
  std::string conversation;
  caf::actor handle;
  offer_notice notice;
};

struct reserve_result {
  std::string offer;
  std::string agent;
  bool reserved = false;
};

/// The offer is over for this agent; release the slot.
struct revoke {
  std::string conversation;
  std::string offer;
  engine::offer_end reason = engine::offer_end::timeout;
};

/// The agent accepted: the conversation decides who wins.
struct claim {
  std::string offer;
  engine::participant agent;
  caf::actor handle;
  reply_fn done;
};

/// The agent gave an offer back (reject, going offline).
struct decline {
  std::string offer;
  std::string agent;
  engine::offer_end reason = engine::offer_end::rejected;
};

/// An agent picks a waiting conversation (pull mode); it holds a slot.
struct pick {
  engine::participant agent;
  caf::actor handle;
  std::vector<std::string> queues;
  std::vector<std::string> topics;
  reply_fn done;
};

/// What a conversation tells a queue.
using queue_message = std::variant<enqueue, dequeue, offer_round_ended>;

/// To the directory: a message for a queue, by id.
struct for_queue {
  std::string queue;
  queue_message message;
};

/// To the directory: an offer for one named agent (a direct conversation, a
/// transfer or an assignment to that agent).
struct offer_to_agent {
  std::string agent;
  reserve message;
};

/// The conversation settled a claim or pick: the slot becomes a load or is
/// freed.
struct claim_result {
  std::string conversation;
  caf::actor handle;                    ///< the conversation's actor
  std::string offer;                    ///< empty for a pick
  engine::errc code = engine::errc::ok; ///< ok: won
  reply_fn done; ///< the agent's request, answered once settled
};

/// The agent no longer takes part in the conversation (closed, left).
struct released {
  std::string conversation;
};

// -- agent → queue
// -------------------------------------------------------------

struct agent_update {
  engine::agent_view view;
  caf::actor handle;
};

/// For `waitlist.list`: the queue's waiting conversations this agent may take.
struct waiting_query {
  std::vector<std::string> topics;
  caf::actor reply_to;
  std::uint64_t query = 0;
};

struct waiting_answer {
  std::uint64_t query = 0;
  std::vector<waiting_entry> entries;
};

// -- timers (to self, carrying the generation they belong to) -----------------

struct offer_timer {
  std::uint64_t round = 0;
};
/// From the queue: the conversation waited `wait_timeout_ms`.
struct wait_timer {};
/// A closed conversation's actor may go: its log is in the store.
struct retire_timer {};
/// The customer did not answer a consent request.
struct consent_timer {
  std::string transfer;
};
struct retry_timer {};
struct wait_tick {};
struct grace_timer {
  std::uint64_t generation = 0;
};

// -- queries answered by a value (see fan_out.hpp)
// ------------------------------

/// To a conversation: its summary (hello, conversation.list).
struct summary_query {};
/// To a queue: its row of queue.list.
struct queue_stats_query {};
/// To an agent: its row of agent.list.
struct agent_row_query {};

/// A closed conversation's actor went: the directory forgets it, and its
/// customer's inbox keeps its summary instead of its handle.
struct conversation_retired {
  std::string conversation;
  caf::actor handle;
  conversation_summary summary;
};

/// The directory tells a customer's inbox about a conversation it started.
struct track_conversation {
  std::string conversation;
  caf::actor handle;
};

/// From the directory: nothing keeps this user inbox any more; it stops.
struct inbox_close {};

/// From a conversation: it closed, or was resumed (its customer's bound of
/// open conversations counts it again).
struct conversation_open_changed {
  std::string conversation;
  bool open = false;
};

// -- to the directory
// ----------------------------------------------------------

/// A message for a conversation actor, by id (from an agent picking).
struct to_conversation {
  std::string conversation;
  pick message;
};

// -- supervision
// ---------------------------------------------------------------

/// From the directory: `supervise.subscribe` by a user whose events go to
/// `inbox` (its agent actor or user actor).
struct subscribe_supervisor {
  caf::actor inbox;
  std::vector<std::string> queues; ///< empty: every queue
  reply_fn done;
};

/// From a user's inbox: its last session closed.
struct sessions_ended {
  caf::actor inbox;
};

/// From the directory: the queues supervisors see, in configuration order.
struct supervised_queues {
  std::vector<std::pair<std::string, caf::actor>> queues;
};

struct stats_tick {};

// -- reload (SIGHUP)
// ------------------------------------------------------------

/// From the directory: the configuration changed. The actor reads its
/// settings, texts and timeouts through `rt` from now on.
struct config_changed {
  runtime_ptr rt;
};

/// To the directory: a reloaded configuration, already validated.
struct new_config {
  std::shared_ptr<const engine::config::config> cfg;
};

/// To an agent: its entry in the new configuration, with the actors of its
/// queues (an agent removed from the file gets no queue).
struct agent_reconfigured {
  engine::config::agent cfg;
  std::vector<caf::actor> queues;
};

/// To a queue: this agent is no longer a member.
struct agent_left {
  std::string agent;
};

/// To a queue removed from the configuration: it hands every waiting
/// conversation to `queue` and makes no more offers.
struct queue_retired {
  std::string queue;
  caf::actor handle;
};

/// To a waiting conversation whose queue was removed: it waits in `queue`
/// from now on, with its age.
struct queue_moved {
  std::string queue;
  caf::actor handle;
};

/// From a conversation: an agent sent its customer a customer-visible
/// message, for attribution.
struct agent_spoke {
  std::string customer;
  std::string agent;
  engine::time_ms at = 0;
};

} // namespace baton::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::api_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::attach_sink)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::detach_sink)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::deliver)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::enqueue)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::dequeue)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::offer_to)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::offer_round_ended)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::reserve)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::reserve_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::revoke)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::claim)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::decline)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::pick)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::claim_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::released)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::agent_update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::waiting_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::waiting_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::offer_timer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::wait_timer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::retire_timer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::conversation_retired)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::consent_timer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::offer_to_agent)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::for_queue)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::retry_timer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::wait_tick)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::grace_timer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::to_conversation)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::summary_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::queue_stats_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::agent_row_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::track_conversation)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::inbox_close)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::conversation_open_changed)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::conversation_summary)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::queue_row)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::agent_row)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::subscribe_supervisor)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::sessions_ended)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::supervised_queues)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::stats_tick)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::agent_spoke)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::config_changed)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::new_config)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::agent_reconfigured)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::agent_left)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::queue_retired)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::queue_moved)
