#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/make_message.hpp"
#include "caf/typed_response_promise.hpp"

#include "actors/api.hpp"
#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"
#include "actors/wire/std_types.hpp"
#include "engine/routing/agent_view.hpp"

/// The messages between Baton's actors. Each actor's header lists which of
/// these it handles. Every one is a value with an `inspect`, registered in
/// wire/type_ids.hpp, so it can cross to another node: handles, never
/// callbacks or pointers. Replies travel as CAF responses
/// (`request(...).then(...)`, response promises).
namespace baton::actors {

// -- from the API ------------------------------------------------------------

/// A request from a session, on its way to the actor that owns it; answered
/// with a `reply`.
struct api_call {
  caller who;
  request what;
  /// Where the caller's events go (its agent actor or user inbox), set by
  /// the directory: a takeover or monitor adds the caller to a conversation.
  inbox_actor inbox;

  friend bool operator==(const api_call&, const api_call&) = default;
};

/// How an actor answers an api_call it cannot answer at once.
using reply_promise = caf::typed_response_promise<reply>;

/// One session of a user: the hub that holds it (session_hub.hpp) and its
/// number there.
struct session_ref {
  session_hub_actor hub;
  std::uint64_t session = 0;

  friend bool operator==(const session_ref&, const session_ref&) = default;
};

/// A session opened for a user; answered with a `reply` for `hello` (open
/// conversations and offers).
struct attach_session {
  caller who;
  session_ref session;

  friend bool operator==(const attach_session&, const attach_session&)
    = default;
};
/// The session closed.
struct detach_session {
  caller who;
  session_ref session;

  friend bool operator==(const detach_session&, const detach_session&)
    = default;
};

/// An event for a user actor (or agent actor) to hand to its sessions.
struct deliver {
  notification what;

  friend bool operator==(const deliver&, const deliver&) = default;
};

/// `deliver` made into a message once, so every inbox it goes to shares it.
inline caf::message event_message(notification what) {
  return caf::make_message(deliver{std::move(what)});
}

/// Sends an event made by event_message. The message is a `deliver`, which
/// every inbox handles, but the compiler cannot see inside a prebuilt
/// message: it goes through the untyped handle, unchecked (`anon_send` still
/// names `self` as the sender).
template <class Self>
void send_event(Self* self, const inbox_actor& to, const caf::message& event) {
  self->anon_send(caf::actor_cast<caf::actor>(to), event);
}

/// To a hub: an event for these sessions of one user.
struct session_event {
  std::vector<std::uint64_t> sessions;
  notification what;

  friend bool operator==(const session_event&, const session_event&) = default;
};

// -- conversation ⇄ queue
// ------------------------------------------------------

/// The conversation waits in this queue; sent on start and on every requeue.
struct enqueue {
  std::string conversation;
  conversation_actor handle;
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

  friend bool operator==(const enqueue&, const enqueue&) = default;
};

/// The conversation left the waiting list (assigned by a pick, closed).
struct dequeue {
  std::string conversation;

  friend bool operator==(const dequeue&, const dequeue&) = default;
};

/// The queue matched agents to a conversation: offer it to them.
struct offer_to {
  struct target {
    std::string offer;
    std::string agent;
    agent_actor handle;

    friend bool operator==(const target&, const target&) = default;
  };
  std::vector<target> targets;
  engine::offer_kind kind = engine::offer_kind::new_;
  engine::duration_ms timeout_ms = 0;
  /// `auto` mode: assign as soon as an agent reserves, without asking.
  bool assign_at_once = false;

  friend bool operator==(const offer_to&, const offer_to&) = default;
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

  friend bool operator==(const offer_round_ended&, const offer_round_ended&)
    = default;
};

// -- conversation ⇄ agent
// ------------------------------------------------------

/// Hold a slot for this offer, and show it to the agent.
struct reserve {
  std::string conversation;
  conversation_actor handle;
  offer_notice notice;

  friend bool operator==(const reserve&, const reserve&) = default;
};

struct reserve_result {
  std::string offer;
  std::string agent;
  bool reserved = false;

  friend bool operator==(const reserve_result&, const reserve_result&)
    = default;
};

/// The offer is over for this agent; release the slot.
struct revoke {
  std::string conversation;
  std::string offer;
  engine::offer_end reason = engine::offer_end::timeout;

  friend bool operator==(const revoke&, const revoke&) = default;
};

/// The agent accepted: the conversation decides who wins, and answers with
/// a claim_result once its log is stored.
struct claim {
  std::string offer;
  engine::participant agent;
  agent_actor handle;

  friend bool operator==(const claim&, const claim&) = default;
};

/// The agent gave an offer back (reject, going offline).
struct decline {
  std::string offer;
  std::string agent;
  engine::offer_end reason = engine::offer_end::rejected;

  friend bool operator==(const decline&, const decline&) = default;
};

/// An agent picks a waiting conversation (pull mode); it holds a slot until
/// the claim_result answers.
struct pick {
  engine::participant agent;
  agent_actor handle;
  std::vector<std::string> queues;
  std::vector<std::string> topics;

  friend bool operator==(const pick&, const pick&) = default;
};

/// What a conversation tells a queue.
using queue_message = std::variant<enqueue, dequeue, offer_round_ended>;

/// To the directory: a message for a queue, by id.
struct for_queue {
  std::string queue;
  queue_message message;

  friend bool operator==(const for_queue&, const for_queue&) = default;
};

/// To the directory: an offer for one named agent (a direct conversation, a
/// transfer or an assignment to that agent).
struct offer_to_agent {
  std::string agent;
  reserve message;

  friend bool operator==(const offer_to_agent&, const offer_to_agent&)
    = default;
};

/// How a conversation answers a claim or pick once its log is stored.
struct claim_result;
using claim_promise = caf::typed_response_promise<claim_result>;

/// The conversation settled a claim or pick: the slot becomes a load or is
/// freed. The answer to claim and pick; sent as a message of its own to an
/// agent assigned without asking (`auto` mode).
struct claim_result {
  std::string conversation;
  conversation_actor handle;            ///< the conversation's actor
  std::string offer;                    ///< empty for a pick
  engine::errc code = engine::errc::ok; ///< ok: won

  friend bool operator==(const claim_result&, const claim_result&) = default;
};

/// The agent no longer takes part in the conversation (closed, left).
struct released {
  std::string conversation;

  friend bool operator==(const released&, const released&) = default;
};

// -- agent → queue
// -------------------------------------------------------------

struct agent_update {
  engine::agent_view view;
  agent_actor handle;

  friend bool operator==(const agent_update&, const agent_update&) = default;
};

/// For `waitlist.list`: the queue's waiting conversations this agent may take.
/// Answered with a waiting_answer.
struct waiting_query {
  std::vector<std::string> topics;

  friend bool operator==(const waiting_query&, const waiting_query&) = default;
};

struct waiting_answer {
  std::vector<waiting_entry> entries;

  friend bool operator==(const waiting_answer&, const waiting_answer&)
    = default;
};

// -- timers (to self, carrying the generation they belong to) -----------------

struct offer_timer {
  std::uint64_t round = 0;

  friend bool operator==(const offer_timer&, const offer_timer&) = default;
};
/// From the queue: the conversation waited `wait_timeout_ms`.
struct wait_timer {
  friend bool operator==(const wait_timer&, const wait_timer&) = default;
};
/// A closed conversation's actor may go: its log is in the store.
struct retire_timer {
  friend bool operator==(const retire_timer&, const retire_timer&) = default;
};
/// The customer did not answer a consent request.
struct consent_timer {
  std::string transfer;

  friend bool operator==(const consent_timer&, const consent_timer&) = default;
};
struct retry_timer {
  friend bool operator==(const retry_timer&, const retry_timer&) = default;
};
struct wait_tick {
  friend bool operator==(const wait_tick&, const wait_tick&) = default;
};
struct grace_timer {
  std::uint64_t generation = 0;

  friend bool operator==(const grace_timer&, const grace_timer&) = default;
};

// -- queries answered by a value (see fan_out.hpp)
// ------------------------------

/// To a conversation: its summary (hello, conversation.list).
struct summary_query {
  friend bool operator==(const summary_query&, const summary_query&) = default;
};
/// To a queue: its row of queue.list.
struct queue_stats_query {
  friend bool operator==(const queue_stats_query&, const queue_stats_query&)
    = default;
};
/// To an agent: its row of agent.list.
struct agent_row_query {
  friend bool operator==(const agent_row_query&, const agent_row_query&)
    = default;
};

/// A closed conversation's actor went: the directory forgets it, and its
/// customer's inbox keeps its summary instead of its handle.
struct conversation_retired {
  std::string conversation;
  conversation_actor handle;
  conversation_summary summary;

  friend bool
  operator==(const conversation_retired&, const conversation_retired&)
    = default;
};

/// The directory tells a customer's inbox about a conversation it started.
struct track_conversation {
  std::string conversation;
  conversation_actor handle;

  friend bool operator==(const track_conversation&, const track_conversation&)
    = default;
};

/// From the directory: nothing keeps this user inbox any more; it stops.
struct inbox_close {
  friend bool operator==(const inbox_close&, const inbox_close&) = default;
};

/// From a conversation: it closed, or was resumed (its customer's bound of
/// open conversations counts it again).
struct conversation_open_changed {
  std::string conversation;
  bool open = false;

  friend bool
  operator==(const conversation_open_changed&, const conversation_open_changed&)
    = default;
};

// -- to the directory
// ----------------------------------------------------------

/// A message for a conversation actor, by id (from an agent picking).
struct to_conversation {
  std::string conversation;
  pick message;

  friend bool operator==(const to_conversation&, const to_conversation&)
    = default;
};

// -- supervision
// ---------------------------------------------------------------

/// From the directory: `supervise.subscribe` by a user whose events go to
/// `inbox` (its agent actor or user actor); answered with a `reply`.
struct subscribe_supervisor {
  inbox_actor inbox;
  std::vector<std::string> queues; ///< empty: every queue

  friend bool
  operator==(const subscribe_supervisor&, const subscribe_supervisor&)
    = default;
};

/// From a user's inbox: its last session closed.
struct sessions_ended {
  inbox_actor inbox;

  friend bool operator==(const sessions_ended&, const sessions_ended&)
    = default;
};

/// From the directory: the queues supervisors see, in configuration order.
struct supervised_queues {
  std::vector<std::pair<std::string, queue_actor>> queues;

  friend bool operator==(const supervised_queues&, const supervised_queues&)
    = default;
};

struct stats_tick {
  friend bool operator==(const stats_tick&, const stats_tick&) = default;
};

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

/// To an agent, after config_changed: the actors of its queues in the new
/// configuration, where it reads its entry (an agent removed from the file
/// keeps its name and capacity, and gets no queue).
struct agent_reconfigured {
  std::vector<queue_actor> queues;

  friend bool operator==(const agent_reconfigured&, const agent_reconfigured&)
    = default;
};

/// To a queue: this agent is no longer a member.
struct agent_left {
  std::string agent;

  friend bool operator==(const agent_left&, const agent_left&) = default;
};

/// To a queue removed from the configuration: it hands every waiting
/// conversation to `queue` and makes no more offers.
struct queue_retired {
  std::string queue;
  queue_actor handle;

  friend bool operator==(const queue_retired&, const queue_retired&) = default;
};

/// To a waiting conversation whose queue was removed: it waits in `queue`
/// from now on, with its age.
struct queue_moved {
  std::string queue;
  queue_actor handle;

  friend bool operator==(const queue_moved&, const queue_moved&) = default;
};

/// From a conversation: an agent sent its customer a customer-visible
/// message, for attribution.
struct agent_spoke {
  std::string customer;
  std::string agent;
  engine::time_ms at = 0;

  friend bool operator==(const agent_spoke&, const agent_spoke&) = default;
};

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, enqueue& x) {
  return f(x.conversation, x.handle, x.priority, x.enqueued_at, x.topic,
           x.channel, x.customer, x.content, x.entered_at, x.exclude);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dequeue& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_to::target& x) {
  return f(x.offer, x.agent, x.handle);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_to& x) {
  return f(x.targets, x.kind, x.timeout_ms, x.assign_at_once);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_round_ended& x) {
  return f(x.conversation, x.outcome, x.tried);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reserve& x) {
  return f(x.conversation, x.handle, x.notice);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reserve_result& x) {
  return f(x.offer, x.agent, x.reserved);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, revoke& x) {
  return f(x.conversation, x.offer, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, decline& x) {
  return f(x.offer, x.agent, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, released& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_update& x) {
  return f(x.view, x.handle);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, waiting_query& x) {
  return f(x.topics);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, waiting_answer& x) {
  return f(x.entries);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_timer& x) {
  return f(x.round);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wait_timer&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, retire_timer&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, consent_timer& x) {
  return f(x.transfer);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, retry_timer&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wait_tick&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, grace_timer& x) {
  return f(x.generation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, summary_query&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_stats_query&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_row_query&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_retired& x) {
  return f(x.conversation, x.handle, x.summary);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, track_conversation& x) {
  return f(x.conversation, x.handle);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbox_close&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, conversation_open_changed& x) {
  return f(x.conversation, x.open);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sessions_ended& x) {
  return f(x.inbox);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervised_queues& x) {
  return f(x.queues);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stats_tick&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_reconfigured& x) {
  return f(x.queues);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_left& x) {
  return f(x.agent);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_retired& x) {
  return f(x.queue, x.handle);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_moved& x) {
  return f(x.queue, x.handle);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_spoke& x) {
  return f(x.customer, x.agent, x.at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, for_queue& x) {
  return f(x.queue, x.message);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_to_agent& x) {
  return f(x.agent, x.message);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, api_call& x) {
  return f(x.who, x.what, x.inbox);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_ref& x) {
  return f(x.hub, x.session);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, attach_session& x) {
  return f(x.who, x.session);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, detach_session& x) {
  return f(x.who, x.session);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deliver& x) {
  return f(x.what);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_event& x) {
  return f(x.sessions, x.what);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, claim& x) {
  return f(x.offer, x.agent, x.handle);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pick& x) {
  return f(x.agent, x.handle, x.queues, x.topics);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, claim_result& x) {
  return f(x.conversation, x.handle, x.offer, x.code);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, to_conversation& x) {
  return f(x.conversation, x.message);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscribe_supervisor& x) {
  return f(x.inbox, x.queues);
}

} // namespace baton::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::config_changed)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baton::actors::new_config)
