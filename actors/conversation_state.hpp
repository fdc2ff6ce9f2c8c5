#pragma once

#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "caf/stateful_actor.hpp"

#include "actors/messages.hpp"
#include "actors/recovery.hpp"
#include "actors/runtime.hpp"
#include "engine/conversation/conversation.hpp"

/// The conversation actor's state and the helpers its two files share:
/// conversation_actor.cpp (routing: offers, claims, picks, timers) and
/// conversation_requests.cpp (what participants ask of it).
namespace baton::actors::conversation_impl {

struct held_effect {
  std::uint64_t seq = 0;
  std::function<void()> effect;
};

struct conversation_actor_state {
  runtime_ptr rt;
  engine::conversation conv{""};
  /// The log, for history: storage keeps it once the journal lands.
  std::vector<engine::event> history;
  caf::actor queue;
  caf::actor customer;
  /// Agent actors of the participants, and of the agents holding an offer.
  std::unordered_map<std::string, caf::actor> agents;
  std::unordered_map<std::string, caf::actor> offered;
  std::vector<std::string> tried;
  /// Generation of the offer round: a timer of an older round is ignored.
  std::uint64_t round = 0;
  bool assign_at_once = false;
  bool wait_expired = false;
  std::string first_text;
  /// Everyone who ever took part, for access to history after they left.
  std::unordered_set<std::string> past_agents;
  /// The journal has stored the log up to here.
  std::uint64_t durable_seq = 0;
  /// What clients are owed once the log is stored up to `seq`, in order.
  std::deque<held_effect> outbox;
};

using self_ptr = caf::stateful_actor<conversation_actor_state>*;

engine::participant as_participant(const caller& who);

/// Applies events to the conversation and appends them to its log.
std::vector<engine::event> apply(self_ptr self,
                                 std::vector<engine::event_body> bodies);

/// Sends applied events to the journal (conversation_journal.cpp).
void journal(self_ptr self, const std::vector<engine::event>& events);

/// Runs `effect` once everything applied so far is stored: at once when it
/// is, or when nothing is stored. Replies, events and claim results to
/// clients go through here; nothing is acknowledged before it is durable.
void when_durable(self_ptr self, std::function<void()> effect);

/// The journal stored the log up to `seq`: what waited for it goes out.
void on_committed(self_ptr self, std::uint64_t seq);

/// Takes the state and log recovered from the store.
void on_restore(self_ptr self, restore_conversation& r);

/// Sends each event, made once, to everyone allowed to see it.
void publish(self_ptr self, const std::vector<engine::event>& events);

/// Tells agents whose offers just ended why; they release their slots.
void revoke_ended_offers(self_ptr self,
                         const std::vector<engine::event>& events);

/// Counts an ended offer in `baton_offers_total`.
void count_offer_end(routing_metrics& m, engine::offer_end reason);

/// Every agent leaves (the conversation closed).
void release_agents(self_ptr self);

reply on_start(self_ptr self, const caller& who, const start_conversation& r);
reply on_message(self_ptr self, const caller& who, const send_message& r);
reply on_close(self_ptr self, const caller& who, const close_conversation& r);
reply on_typing(self_ptr self, const caller& who, const send_typing& r);
reply on_whisper(self_ptr self, const caller& who, const send_whisper& r);
reply on_history(self_ptr self, const caller& who,
                 const conversation_history& r);
conversation_summary summary_of(const conversation_actor_state& st);

} // namespace baton::actors::conversation_impl
