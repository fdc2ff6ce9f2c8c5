#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "caf/stateful_actor.hpp"

#include "actors/messages.hpp"
#include "actors/runtime.hpp"
#include "engine/conversation/conversation.hpp"

/// The conversation actor's state and the helpers its two files share:
/// conversation_actor.cpp (routing: offers, claims, picks, timers) and
/// conversation_requests.cpp (what participants ask of it).
namespace baton::actors::conversation_impl {

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
};

using self_ptr = caf::stateful_actor<conversation_actor_state>*;

engine::participant as_participant(const caller& who);

/// Applies events to the conversation and appends them to its log.
std::vector<engine::event> apply(self_ptr self,
                                 std::vector<engine::event_body> bodies);

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
