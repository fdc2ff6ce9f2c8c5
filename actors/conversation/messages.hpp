#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "actors/messages.hpp"
#include "engine/conversation/events.hpp"
#include "engine/routing/wait_estimate.hpp"

/// What a conversation (conversation/actor.hpp) handles besides requests:
/// the offer round (offers from its queue, agents' answers, claims and
/// picks), its timers, the journal's progress, restore and queue moves.
namespace baton::actors {

/// The queue matched agents to a conversation: offer it to them.
struct offer_to {
  struct target {
    std::string offer;
    std::string agent;
    agent_actor handle;

    friend bool operator==(const target&, const target&) = default;
  };
  /// The queue offering: it hears if the conversation no longer waits.
  std::string queue;
  std::vector<target> targets;
  engine::offer_kind kind = engine::offer_kind::new_;
  engine::duration_ms timeout_ms = 0;
  /// `auto` mode: assign as soon as an agent reserves, without asking.
  bool assign_at_once = false;
  /// Why these agents (engine/routing/reasons.hpp): logged with the offer.
  engine::routing_reasons why;

  friend bool operator==(const offer_to&, const offer_to&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_to::target& x) {
  return f(x.offer, x.agent, x.handle);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_to& x) {
  return f(x.queue, x.targets, x.kind, x.timeout_ms, x.assign_at_once, x.why);
}

struct reserve_result {
  std::string offer;
  std::string agent;
  bool reserved = false;
  /// When not reserved: agent_offline, agent_not_ready or agent_full.
  engine::offer_end refused = engine::offer_end::agent_full;

  friend bool operator==(const reserve_result&, const reserve_result&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reserve_result& x) {
  return f(x.offer, x.agent, x.reserved, x.refused);
}

/// The agent accepted: the conversation decides who wins, and answers with
/// a claim_result once its log is stored.
struct claim {
  std::string offer;
  engine::participant agent;
  agent_actor handle;
  /// Asked again after no answer came in time: answered from whether the
  /// agent is in the conversation (its first ask won), never decided anew.
  bool again = false;

  friend bool operator==(const claim&, const claim&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, claim& x) {
  return f(x.offer, x.agent, x.handle, x.again);
}

/// The agent gave an offer back (reject, going offline).
struct decline {
  std::string offer;
  std::string agent;
  engine::offer_end reason = engine::offer_end::rejected;

  friend bool operator==(const decline&, const decline&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, decline& x) {
  return f(x.offer, x.agent, x.reason);
}

/// An agent picks a waiting conversation (pull mode); it holds a slot until
/// the claim_result answers.
struct pick {
  engine::participant agent;
  agent_actor handle;
  std::vector<std::string> queues;
  std::vector<std::string> topics;
  /// As claim's.
  bool again = false;

  friend bool operator==(const pick&, const pick&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pick& x) {
  return f(x.agent, x.handle, x.queues, x.topics, x.again);
}

// Questions a queue or an agent asks by id through the directory after
// the conversation's shard moved (shards_moved), about what it holds for
// it. Each is answered with a claim_result, `ok` or `conflict`, from what
// is now; never decided anew.

/// From a queue: does it still wait in `queue`?
struct waits_in {
  std::string queue;

  friend bool operator==(const waits_in&, const waits_in&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, waits_in& x) {
  return f(x.queue);
}

/// From an agent holding a slot for it: is `agent` still in it?
struct takes_part {
  std::string agent;

  friend bool operator==(const takes_part&, const takes_part&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, takes_part& x) {
  return f(x.agent);
}

/// From an agent holding a slot for `offer`: is it still open to `agent`?
struct offer_open {
  std::string offer;
  std::string agent;

  friend bool operator==(const offer_open&, const offer_open&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_open& x) {
  return f(x.offer, x.agent);
}

/// How a conversation answers a claim or pick once its log is stored.
struct claim_result;

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

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, claim_result& x) {
  return f(x.conversation, x.handle, x.offer, x.code);
}

using claim_promise = caf::typed_response_promise<claim_result>;

/// To a conversation: its summary (hello, conversation.list).
struct summary_query {
  friend bool operator==(const summary_query&, const summary_query&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, summary_query&) {
  return f();
}

/// To a waiting conversation whose queue was removed: it waits in `queue`
/// from now on, with its age.
struct queue_moved {
  std::string queue;
  queue_actor handle;

  friend bool operator==(const queue_moved&, const queue_moved&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_moved& x) {
  return f(x.queue, x.handle);
}

/// To a conversation, when queues or agents whose handles it may hold run
/// under another directory now (their shards moved, docs/cluster.md): it
/// reaches them there, enters again a queue it waits in (the new one starts
/// with an empty line) and tells an agent it takes part in that it does.
/// Users' inboxes made anew at their holders: each pair's first is replaced
/// by its second wherever the conversation holds it.
struct members_moved {
  std::vector<std::pair<std::string, queue_actor>> queues;
  std::vector<std::pair<std::string, agent_actor>> agents;
  std::vector<std::pair<inbox_actor, inbox_actor>> inboxes;

  friend bool operator==(const members_moved&, const members_moved&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, members_moved& x) {
  return f(x.queues, x.agents, x.inboxes);
}

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

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restore_conversation& x) {
  return f(x.history, x.agents, x.bot);
}

/// From the directory giving the conversation's shard up: answered once
/// everything it wrote is stored and every answer waiting for that is
/// given; then it stops. Requests that come meanwhile are answered
/// "moving".
struct leave_node {
  friend bool operator==(const leave_node&, const leave_node&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, leave_node&) {
  return f();
}

/// What is asked of an id on its way between nodes is answered this: its
/// shard given up here, its holder gone, or its conversations not back from
/// the store yet (the directory, its mover, a conversation leaving).
inline reply moving_elsewhere() {
  return reply::error(engine::errc::unavailable,
                      "this is moving between nodes: try again in a moment");
}

/// To a conversation: its events up to `seq` are stored.
struct journal_committed {
  std::uint64_t seq = 0;

  friend bool operator==(const journal_committed&, const journal_committed&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, journal_committed& x) {
  return f(x.seq);
}

struct offer_timer {
  std::uint64_t round = 0;

  friend bool operator==(const offer_timer&, const offer_timer&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_timer& x) {
  return f(x.round);
}

/// From its queue: where the conversation stands in line, for the customer
/// (conversation.position).
struct line_position {
  engine::line_place place;

  friend bool operator==(const line_position&, const line_position&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, line_position& x) {
  return f(x.place.position, x.place.estimated_wait_s);
}

/// From its queue: the wait is over. `too_long`: at once, on entering,
/// because the estimated wait passed the queue's max_estimated_wait_s.
struct wait_timer {
  bool too_long = false;
  /// Why nobody took it: the queue's agents as its strategy saw them.
  engine::routing_reasons why;

  friend bool operator==(const wait_timer&, const wait_timer&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wait_timer& x) {
  return f(x.too_long, x.why);
}

/// A closed conversation's actor may go: its log is in the store.
struct retire_timer {
  friend bool operator==(const retire_timer&, const retire_timer&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, retire_timer&) {
  return f();
}

/// The customer did not choose after `agent.absent`.
struct choice_timer {
  friend bool operator==(const choice_timer&, const choice_timer&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, choice_timer&) {
  return f();
}

/// The customer did not answer a consent request.
struct consent_timer {
  std::string transfer;

  friend bool operator==(const consent_timer&, const consent_timer&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, consent_timer& x) {
  return f(x.transfer);
}

/// The end of `passivate`'s way: nobody sends to the actor directly any
/// more. Unchanged since it asked, it goes; changed, it stays. `refused`:
/// its queue or the directory would not have it sleep (it was offered
/// meanwhile, or is not the actor they know); it stays.
struct passivation_settled {
  bool refused = false;

  friend bool operator==(const passivation_settled&, const passivation_settled&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, passivation_settled& x) {
  return f(x.refused);
}

/// The conversation's own timer: has it been quiet long enough to go?
struct idle_check {
  friend bool operator==(const idle_check&, const idle_check&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, idle_check&) {
  return f();
}

} // namespace baton::actors
