#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "caf/stateful_actor.hpp"

#include "actors/directory/messages.hpp"
#include "actors/messages.hpp"
#include "actors/runtime.hpp"
#include "actors/timers/messages.hpp"
#include "actors/user/messages.hpp"
#include "engine/conversation/conversation.hpp"
#include "engine/conversation/offer_round.hpp"
#include "engine/routing/availability.hpp"

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
  queue_actor queue;
  user_actor customer;
  /// The inboxes of the agents taking part (their agent actors, or a
  /// supervisor's inbox after a takeover), by agent id.
  std::unordered_map<std::string, inbox_actor> agents;
  std::unordered_map<std::string, agent_actor> offered;
  /// The round of offers out (engine/conversation/offer_round.hpp).
  engine::offer_round round;
  /// Everyone who ever took part, for access to history after they left.
  std::unordered_set<std::string> past_agents;
  /// The directory: it reaches queues other than `queue` and single agents.
  directory_actor directory;
  /// The id of `queue`, the queue the conversation was started in.
  std::string home_queue;
  /// The queue it waits in now; empty when it waits in none.
  std::string waiting_in;
  /// How it last entered that queue: when (its wait counts from then) and
  /// whom the queue was not to offer it. Entered again as it was when the
  /// queue starts anew under another directory (moves.cpp).
  engine::time_ms entered_at = 0;
  std::vector<std::string> excluded;
  /// Its queue started anew under another directory while a round of its
  /// offers was out: it enters the new one when the round ends unwon.
  bool enter_after_round = false;
  /// Its queue said the wait is over, and why nobody took it: logged when
  /// the wait ends (after the offers out, if any). wait_too_long: said on
  /// entering, the wait ends with that text.
  std::optional<engine::routing_explained> wait_over;
  /// Where its queue last said it stands (conversation.position).
  engine::line_place place;
  /// The offer ending now was refused at reserve: its agent never saw it,
  /// and baton_offers_total does not count it.
  std::string refused_offer;
  /// The bot it came from, while that bot holds it.
  user_actor bot;
  /// Silent listeners: they see what agents see; nobody is told.
  std::unordered_map<std::string, inbox_actor> monitors;
  /// Who asked for the pending transfer, conference or assignment.
  inbox_actor requester;
  /// A warm transfer's or conference's waiting-list content.
  std::string routing_content;
  /// The journal has stored the log up to here.
  std::uint64_t durable_seq = 0;
  /// What clients are owed once the log is stored up to `seq`, in order.
  std::deque<held_effect> outbox;
  /// Passivation (passivation.cpp): its last change; an idle_check is on
  /// the clock; it asked to sleep (at `asked_at`) with the log up to
  /// `asked_seq` and its place `asked_place`.
  engine::time_ms changed_at = 0;
  bool idle_check_pending = false;
  bool asked_to_sleep = false;
  engine::time_ms asked_at = 0;
  std::uint64_t asked_seq = 0;
  engine::line_place asked_place;
  /// Its shard is being given up (leave_node): requests are answered
  /// "moving", and it stops once its outbox is empty.
  bool leaving = false;
};

using self_ptr = conversation_actor::stateful_pointer<conversation_actor_state>;

/// `who` as the conversation shows them. Its customer keeps the name the
/// conversation started with (`attributes.name`), whichever session speaks;
/// others are shown by the name their session carries.
engine::participant as_participant(const engine::conversation& c,
                                   const caller& who);

/// The one way a decision takes effect: its events are applied to the
/// conversation and its log, and journalled (apply); agents whose offers
/// they end release their slots (revoke_ended_offers); everyone allowed to
/// see them gets them once they are stored (publish); agents who left are
/// released and a transfer's requester hears how it ended (follow_up).
/// Returns the events as logged.
std::vector<engine::event> carry_out(self_ptr self,
                                     std::vector<engine::event_body> bodies);

/// Sends applied events to the journal (durability.cpp).
void journal(self_ptr self, const std::vector<engine::event>& events);

/// Runs `effect` once everything applied so far is stored: at once when it
/// is, or when nothing is stored. Replies, events and claim results to
/// clients go through here; nothing is acknowledged before it is durable.
void when_durable(self_ptr self, std::function<void()> effect);

/// The journal stored the log up to `seq`: what waited for it goes out.
void on_committed(self_ptr self, std::uint64_t seq);

/// leave_node: `rp` is answered, and the actor stops, once nothing waits
/// in the outbox (durability.cpp).
void leave_when_stored(self_ptr self, caf::typed_response_promise<bool> rp);

/// Takes the state and log recovered from the store.
void on_restore(self_ptr self, restore_conversation& r);

/// Counts an ended offer in `baton_offers_total`.
void count_offer_end(routing_metrics& m, engine::offer_end reason);

/// Every agent leaves (the conversation closed).
void release_agents(self_ptr self);
/// Tells `agent` it left: its slot is free once the log is stored.
void tell_released(self_ptr self, const inbox_actor& agent);

/// `what` comes back to the conversation in `in` ms, through its node's
/// timers actor (timers/actor.hpp).
void set_timer(self_ptr self, engine::duration_ms in, timer_message what);

/// The queue actor of `queue`: directly for the home queue, through the
/// directory for any other, so messages to one queue keep their order.
void send_to_queue(self_ptr self, const std::string& queue,
                   queue_message message);

/// Puts the conversation in `queue`'s waiting list; its wait counts from now.
void enter_queue(self_ptr self, const std::string& queue,
                 std::vector<std::string> exclude = {},
                 engine::time_ms entered_at = 0);

/// Takes it out of the waiting list it is in, if any.
void leave_queue(self_ptr self);

/// Offers the conversation to one agent, without a queue: a direct
/// conversation, a transfer or assignment to that agent. `reach`: past
/// which of the agent's limits (a supervisor's assignment reaches further).
void offer_one(self_ptr self, const std::string& agent, engine::offer_kind kind,
               engine::duration_ms timeout_ms, bool assign_at_once,
               engine::reach reach = engine::reach::routing);

/// What an agent reads in the offer: the transfer's summary while one
/// routes, else the waiting-list content.
const std::string& offer_content(const conversation_actor_state& st);

/// What follows events once published (carry_out's last step): agents who
/// left are released, the requester of a transfer hears how it ended.
void follow_up(self_ptr self, const std::vector<engine::event>& events);

/// A one-agent offer round ended with nobody: the transfer fails, or the
/// member of a direct conversation is absent; `end` says why.
void direct_round_failed(self_ptr self, const engine::round_end& end);

/// The pending transfer, conference or assignment found nobody; `cause`:
/// how its one agent's offer ended, if it had one.
void fail_transfer(self_ptr self, const std::string& reason,
                   engine::offer_end cause = engine::offer_end::timeout);

/// After a restart: routing goes on where it stood. A waiting conversation
/// re-enters its queue with its age and the wait it had left, a transfer its
/// target, a direct conversation its member; a consent request waits again.
void resume_routing(self_ptr self, user_actor bot);

/// Routing to a transfer's target starts (after consent, if any).
void begin_routing(self_ptr self, std::string content);

/// A closed conversation lets its actor go after `retire_delay`, once its
/// log is stored: late answers to its offers are settled first, and reads
/// and resumes come from the store afterwards. Without a store it stays.
void retire_later(self_ptr self);
/// The conversation closed (false) or was resumed (true): counted in
/// `/metrics` and in its customer's bound of open conversations.
void count_open(self_ptr self, bool open);
void on_retire_timer(self_ptr self);
/// A closed conversation's actor goes (`gone`): the inboxes that list it
/// (its customer's, its bot's) keep its summary instead of its handle.
void tell_inboxes_retired(self_ptr self, const conversation_retired& gone);

// -- passivation.cpp ----------------------------------------------------------

/// The conversation changed: its quiet time starts over, and an idle_check
/// is set if none is pending, so one that comes to rest is looked at.
void note_change(self_ptr self);
/// The timer: quiet for passivate_after_ms and resting, the conversation
/// asks to sleep (`passivate`, through its queue), and is answered
/// (passivation_settled); still waiting, it looks again when it will have
/// been quiet that long.
void on_idle_check(self_ptr self);
/// The request came back: nothing reached it meanwhile, it goes; else, or
/// refused, it stays.
void on_passivation_settled(self_ptr self, const passivation_settled& s);
/// Its first message after the directory spawned it for a sleeping one.
void on_wake(self_ptr self, sleeping_conversation& r);

/// An error reply that says what went wrong in words.
reply refusal(engine::errc code, const char* what);

reply on_start(self_ptr self, const caller& who, const start_conversation& r);
reply on_message(self_ptr self, const caller& who, const send_message& r);
reply on_close(self_ptr self, const caller& who, const close_conversation& r);
reply on_typing(self_ptr self, const caller& who, const send_typing& r);
reply on_whisper(self_ptr self, const caller& who, const send_whisper& r);
reply on_history(self_ptr self, const caller& who,
                 const conversation_history& r);
/// `conversation.explain`: for supervisors and staff who took part.
reply on_explain(self_ptr self, const caller& who,
                 const explain_conversation& r);
reply on_transfer(self_ptr self, const api_call& call,
                  const request_transfer& r);
reply on_unassign(self_ptr self, const api_call& call,
                  const unassign_conversation& r);
reply on_consent(self_ptr self, const caller& who, const answer_consent& r);
reply on_leave(self_ptr self, const caller& who, const leave_conversation& r);
reply on_takeover(self_ptr self, const api_call& call, const take_over& r);
reply on_assign(self_ptr self, const api_call& call,
                const assign_conversation& r);
reply on_monitor(self_ptr self, const api_call& call,
                 const monitor_conversation& r);
reply on_resume(self_ptr self, const caller& who, const resume_conversation& r);
/// `limit_reached` once the conversation holds
/// limits.messages_per_conversation events, or when `text_bytes` more of
/// message text would take it past limits.text_bytes_per_conversation:
/// what a client adds to it (a message, a whisper, a resume, a takeover, a
/// transfer, conference, unassign, assignment or hand-off) is refused.
std::optional<reply> refused_when_full(self_ptr self,
                                       std::size_t text_bytes = 0);
reply on_handoff(self_ptr self, const caller& who, const hand_off& r);
reply on_request_other(self_ptr self, const caller& who,
                       const request_other& r);
void on_consent_timer(self_ptr self, const consent_timer& t);
void on_choice_timer(self_ptr self);
conversation_summary summary_of(const conversation_actor_state& st);

} // namespace baton::actors::conversation_impl
