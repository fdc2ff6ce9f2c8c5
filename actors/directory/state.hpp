#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "caf/actor_addr.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_response_promise.hpp"

#include "actors/actor_addr_hash.hpp"
#include "actors/directory/actor.hpp"
#include "actors/directory/messages.hpp"
#include "actors/directory/user_table.hpp"
#include "actors/messages.hpp"
#include "actors/user/messages.hpp"
#include "engine/cluster/shards.hpp"
#include "engine/ids.hpp"

namespace baton::engine {
class conversation;
} // namespace baton::engine

/// The directory's state and its parts, one file each: registry.cpp (id →
/// actor, user inboxes), holders.cpp (ids held by other directories),
/// joining.cpp (how directories learn of each other), remote_holds.cpp
/// (inboxes held across them), inboxes_back.cpp (those of conversations
/// back from the store), moves.cpp (shards taken over), giving_up.cpp
/// (shards handed to another directory), mover.cpp (what stands for a
/// holder meanwhile), passivation.cpp (sleeping
/// conversations), requests.cpp (each request to the actor that owns it;
/// admission is the engine's), attribution.cpp (an order's credit, from the
/// stored messages), recovery.cpp (conversations back from the store) and
/// reload.cpp (a new configuration); actor.cpp is the behaviour.
namespace baton::actors::directory_impl {

using engine::errc;

/// A sleeping conversation as the directory keeps it: its log in CAF's
/// binary form, a fraction of the events' size in memory.
struct sleeper {
  std::string home_queue;
  std::string waiting_in;
  engine::line_place place;
  std::vector<char> log;
};

/// A conversation in memory, and whose open conversation it is: its actor,
/// or, passivated, its record and no actor (passivation.cpp).
struct conversation_entry {
  conversation_actor handle;
  /// The customer's inbox key, as the user table stores it: the
  /// conversation holds that entry from its start to its retirement, so the
  /// key outlives this entry (a million waiting, a million strings fewer).
  const std::string* customer = nullptr;
  bool open = true;
  /// Asleep, and a bot started it: its bot's inbox lists it too.
  bool bot_lists = false;
  std::unique_ptr<sleeper> asleep;
};

/// The inbox of a bot another directory holds, and the conversations here
/// it started.
struct remote_bot {
  user_actor inbox;
  std::unordered_set<std::string> conversations;
};

/// What waits for a conversation whose passivation is settling: done in
/// order once it went or stayed.
using held_back_calls = std::vector<std::function<void()>>;

/// Open conversations read from the store (at start, or of shards taken
/// over), restored a batch at a time (restore_step).
struct recovery {
  std::vector<engine::storage::conversation_log> logs;
  std::size_t next = 0;
  bool under_way = false;
  /// recover_conversations asked: answered once all are back.
  std::vector<caf::typed_response_promise<bool>> done;
  /// Queues and agents another directory runs now that a newer table moved
  /// there, not learnt anew yet: conversations of shards taken over wait
  /// for them, or they would enter a queue that stopped.
  std::unordered_set<std::string> awaited;
  /// Brought back by a resume after `logs` were read: theirs is stale.
  std::unordered_set<std::string> revived;
  /// Shards taken over whose conversations are not read yet, and those
  /// read and not all restored yet: a conversation of theirs not in memory
  /// is on its way, not unknown.
  std::unordered_set<std::uint32_t> unread;
  std::unordered_set<std::uint32_t> unrestored;
  /// Agents' claims and picks for conversations of those shards: asked
  /// again once what was read is restored (answered "not found" meanwhile,
  /// an agent would give up a conversation that comes back hers).
  held_back_calls after_restore;
};

/// An inbox another directory made for a user of a conversation held
/// here, by the user's key; `holder` is this directory itself for an inbox
/// it made before it gave the user's shard up.
struct remote_hold {
  directory_actor holder;
  std::string key;
  inbox_actor inbox;
  /// Asked of the user's holder, no answer yet: not asked again meanwhile.
  bool asking = false;
};

struct directory_state {
  runtime_ptr rt;
  /// The conversations, users, queues and agents whose ids fall in these
  /// shards run under this directory; spread, the others' go to their
  /// holders (holders.cpp).
  engine::cluster::shard_set shards;
  /// Spread: the directory holding each shard, this one among them, as of
  /// `holders_version` (join_directories).
  std::vector<directory_actor> holders;
  std::uint64_t holders_version = 0;
  /// By shard, the epoch its holder holds it at, as the table says (empty
  /// when it did not say).
  std::vector<std::uint64_t> holders_epochs;
  /// Shards given up (giving_up.cpp), by shard the epoch they were held
  /// at, while the table still names this directory for them: what is for
  /// their ids goes to the mover, which answers "moving".
  std::unordered_map<std::uint32_t, std::uint64_t> moving;
  /// The other directories the table names, watched; those that went down
  /// (their node died or its link broke): what is for their shards goes to
  /// the mover too, until a newer table names their new holders.
  std::unordered_set<caf::actor_addr, actor_addr_hash> holders_watched;
  std::unordered_set<caf::actor_addr, actor_addr_hash> holders_down;
  /// The supervision of each directory in `holders_watched`, by the
  /// directory's address, as its join or roster told it (joining.cpp):
  /// this one's supervision shares its subscriptions with them.
  std::unordered_map<caf::actor_addr, supervision_actor, actor_addr_hash>
    peer_supervisions;
  /// mover.cpp: made when first needed.
  directory_actor mover;
  /// Its agents run: they start once every queue is known.
  bool agents_started = false;
  /// Spread: every queue and agent was known once; from then on it takes
  /// calls, whatever a reload adds later.
  bool roster_complete = false;
  /// Agents of its shards a reload added or changed, waiting to learn a
  /// queue they serve that another directory holds.
  std::unordered_set<std::string> agents_awaiting_queues;
  /// Agents of its shards a reload removed, still running, by actor: each
  /// stops once nothing of his is left, and his entry goes then
  /// (on_agent_stopped). One a later reload added back before he stopped
  /// stays until he stops (his stop may be on its way) or his shard is
  /// given up: at most one per agent.
  std::unordered_map<caf::actor_addr, std::string, actor_addr_hash>
    agents_removed;
  /// Conversations of this directory holding inboxes other directories
  /// made (their users', by key): told when each leaves memory, and asked
  /// again when a user's shard moves (inboxes_back.cpp).
  std::unordered_map<std::string, std::vector<remote_hold>> remote_holds;
  /// Verbs in flight that may have a conversation keep their caller's
  /// inbox, by user key and conversation (hold_asked).
  struct hold_asks {
    int in_flight = 0;
    bool took = false; ///< one of them took the hold
    bool kept = false; ///< one of them was accepted
  };
  std::unordered_map<std::string, hold_asks> asks_for_holds;
  /// Bots another directory holds that started conversations here, by
  /// key: a sleeping one's record names its bot by id only, and its bot's
  /// inbox hears of it.
  std::unordered_map<std::string, remote_bot> remote_bots;
  recovery recovering;
  std::unordered_map<std::string, queue_actor> queues;
  std::unordered_map<std::string, agent_actor> agents;
  std::unordered_map<std::string, conversation_entry> conversations;
  /// Conversations that asked to sleep and have not said yet whether they
  /// went: what came for them meanwhile.
  std::unordered_map<std::string, held_back_calls> settling;
  user_table users;
  /// Sessions attached through hubs of other nodes (a relay's), by hub and
  /// session number: a node that dies or loses its link sends no detach,
  /// so each such hub is monitored and its going down detaches its
  /// sessions. A hub may carry thousands: each detach finds its own.
  std::unordered_map<caf::actor_addr,
                     std::unordered_map<std::uint64_t, detach_session>,
                     actor_addr_hash>
    remote_sessions;
  engine::id_generator conversation_ids{"c-", engine::made_order::counted};
};

using self_ptr = directory_actor::stateful_pointer<directory_state>;

// -- registry.cpp -------------------------------------------------------------

user_actor user_inbox(self_ptr self, const std::string& key);

user_actor user_inbox(self_ptr self, engine::role role,
                      const std::string& user);

/// `key`'s inbox if it is in memory now, else null: what goes to it only
/// if it exists (a sleeping conversation's place, its summary).
user_actor inbox_if_any(self_ptr self, const std::string& key);

/// Stops `key`'s inbox when no session and no conversation keeps it (its
/// entry goes too), or only sleeping ones do (rest_inbox_if_all_asleep).
void drop_if_idle(self_ptr self, const std::string& key);

/// `conversation` keeps the inbox of `key` (its events go there) until the
/// conversation leaves memory; `held_at`: the directory holding it, when
/// not this one (`sure`: user_table::hold).
user_actor held_inbox(self_ptr self, const std::string& key,
                      const std::string& conversation, bool by_customer = false,
                      directory_actor held_at = {}, bool sure = true);

/// A conversation is in memory now: its actor, or (`asleep`) its record.
void add_conversation(self_ptr self, const std::string& id,
                      conversation_actor handle,
                      const std::string& customer_key, bool open,
                      std::unique_ptr<sleeper> asleep = nullptr);

/// The configured agent's actor, for a caller of role agent on the roster.
agent_actor agent_of(self_ptr self, const caller& who);

/// Where a caller's events go: its agent actor, or its user inbox.
inbox_actor inbox_of(self_ptr self, const caller& who);

/// The verbs after which a conversation may keep sending to the caller's
/// inbox (as its bot, monitor, requester or new assignee).
bool may_keep_caller(const request& r);

/// Whether `call` may have the conversation keep its caller's inbox: a
/// user's (not a configured agent's) for a verb that may_keep_caller.
bool keeps_caller(self_ptr self, const api_call& call);

/// Such a call of `key` goes to `conversation`; asked before inbox_for,
/// which may take the hold. Once every such call in flight is answered, a
/// hold one of them took goes unless one was accepted: a caller refused
/// again and again would pin an inbox per session for as long as the
/// conversation lives.
void hold_asked(self_ptr self, const std::string& key,
                const std::string& conversation);
void hold_answered(self_ptr self, const std::string& key,
                   const std::string& conversation, bool accepted);

/// `conversation` holds `key`'s inbox no more; the inbox goes if nothing
/// else keeps it.
void let_go_hold(self_ptr self, const std::string& key,
                 const std::string& conversation);

/// The inbox the caller of `call` for `conversation` gets: its agent actor,
/// or its user inbox, held by the conversation when it may keep it
/// (`held_at`: the directory holding it, when not this one; `sure`:
/// user_table::hold).
inbox_actor inbox_for(self_ptr self, const api_call& call,
                      const std::string& conversation,
                      const directory_actor& held_at = {}, bool sure = true);

/// Called once a request the directory counts (a customer's resume) is
/// answered, whatever the answer.
using settled_fn = std::function<void()>;

/// Every conversation verb goes to the conversation's actor; one that is
/// not in memory is not_found. With `settled`, the answer passes through
/// the directory, which calls it first: only for a conversation this
/// directory holds (passed on, it is called at once).
void to_conversation_actor(self_ptr self, const std::string& id, api_call& call,
                           reply_promise& rp, settled_fn settled = {});

// -- holders.cpp -------------------------------------------------------------

/// `id`'s shard is on its way to another holder: given up here and still
/// named here, or its holder gone, until a newer table names where it went.
bool on_its_way(const directory_state& st, std::string_view id);

/// The agent `id`'s actor stopped with his shard, or went with its node:
/// the shard is on its way, or a newer table named its new holder, whose
/// actor for him is not known yet.
bool agent_on_its_way(const directory_state& st, const std::string& id);

/// The directory holding `id`'s shard, when it is another; null when it is
/// this one. The mover (answering "moving") while the shard is on its way.
directory_actor holder_elsewhere(self_ptr self, std::string_view id);

/// `call` is for `id`, held by another directory: it goes there, and the
/// answer comes from there.
bool sent_to_holder(self_ptr self, std::string_view id, api_call& call,
                    reply_promise& rp);

/// A verb for `conversation` goes where it can be done: first to the
/// holder of its caller (not an agent) to have the caller's inbox made, then
/// with that inbox to the holder of the conversation. False when both are
/// here.
bool passed_on(self_ptr self, const std::string& conversation, api_call& call,
               reply_promise& rp);

/// The queue actors of the queues `a` serves, as this directory knows them.
std::vector<queue_actor> queues_of(const directory_state& st,
                                   const engine::config::agent& a);

/// Supervision hears the configured queues as this directory knows them
/// (one another directory holds is listed once learnt).
void tell_supervision_the_queues(self_ptr self);

/// Drops the peers' supervisions of directories no longer watched, and
/// tells this one's supervision the peers when they changed (joining.cpp).
void forget_unwatched_supervisions(self_ptr self);

/// Starts the queues this directory holds.
void start_queues(self_ptr self);

/// Once every queue is known: tells supervision the queues and starts the
/// agents this directory holds. Whether they started now.
bool start_agents_once_queues_known(self_ptr self);

/// Whether the directory can take requests: alone, at once; sharing the
/// shards, once it knows the holders and every queue and agent.
bool joined(const directory_state& st);

/// What a directory not joined yet answers every request and session.
reply not_joined_yet();

/// Watches the other directories the table names (from the table's
/// change on), and forgets those it names no more.
void watch_holders(self_ptr self);

/// A watched directory went down: whether `source` was one.
bool on_holder_down(self_ptr self, const caf::actor_addr& source,
                    const caf::error& reason);

// -- mover.cpp ---------------------------------------------------------------

/// The actor that stands where the holder of a shard on its way to another
/// directory would (given up here, or its holder gone): it answers every
/// request "moving" and drops the rest. One per directory, made when first
/// needed, stopped with it.
directory_actor mover_of(self_ptr self);

// -- joining.cpp -------------------------------------------------------------

/// `join_directories`: a newer table of holders, and the queues and agents
/// its sender runs. A table may give this directory shards it did not hold
/// (their holder stopped): it takes them over (moves.cpp). Answered with
/// this directory's own queues and agents.
directory_roster on_join(self_ptr self, join_directories& j);

/// Every other holder hears this directory's table and own queues and
/// agents, and answers with its own (learnt as they come).
void tell_roster(self_ptr self);

// -- moves.cpp ---------------------------------------------------------------

/// This directory holds `shards` from now on: their queues and agents start
/// here (new actors, with empty lines and no assignments, told again by
/// what holds them); those that ran elsewhere are added to `moved`. Their
/// conversations come back by recovery, after the join.
void take_shards(self_ptr self, const std::vector<std::uint32_t>& shards,
                 members_moved& moved);

/// `id` runs under `now` instead of `before` (a queue's actor, or an
/// agent's, which is also the inbox of a monitor or a transfer's requester
/// who is that configured agent): added to `moved`.
void note_moved(members_moved& moved, const std::string& id,
                const queue_actor& before, queue_actor now);
void note_moved(members_moved& moved, const std::string& id,
                const agent_actor& before, agent_actor now);

/// The shards whose holder `before` (the table this directory had) names
/// differently from its table now: this directory's queues and agents
/// hear of them (shards_moved), and ask after the places in line and the
/// slots they hold for their conversations. Nothing at a first table.
void tell_members_of_moved_shards(self_ptr self,
                                  const std::vector<directory_actor>& before);

/// Queues and agents in `moved` run under new actors now: this directory's
/// conversations reach them there (a waiting one enters its queue again,
/// one asleep through its record), its agents serving a moved queue
/// announce themselves to it, and supervision lists the new queues.
void tell_moved(self_ptr self, const members_moved& moved);

// -- giving_up.cpp -----------------------------------------------------------

/// give_up_shards: the shards' conversations leave memory once stored,
/// their queues, agents and inboxes stop; answered once the journal has
/// stored every write to them.
void on_give_up(self_ptr self, give_up_shards& g,
                caf::typed_response_promise<bool> rp);

/// Whether `shard`, given up, is still on its way out by a table that
/// names `named` for it at `epochs`: it names this directory, at the epoch
/// the shard was given up at (a table read before the keeper freed it). A
/// later epoch is this node's claim of it again: it is taken over anew.
bool still_moving(self_ptr self, std::uint32_t shard,
                  const directory_actor& named,
                  const std::vector<std::uint64_t>& epochs);

/// A newer table was taken: the shards given up that it does not leave
/// on their way out (still_moving) moved, or came back.
void settle_moving(self_ptr self);

// -- remote_holds.cpp --------------------------------------------------------

/// The caller's inbox is made here, then `call` goes to `holder`, the
/// conversation's; when the conversation may keep the inbox, the answer
/// comes back through here, and a hold it did not keep is let go.
void send_with_inbox(self_ptr self, const directory_actor& holder,
                     const std::string& conversation, api_call& call,
                     reply_promise& rp);

/// `conversation`, held here, keeps `inbox`, the inbox of `key` that
/// `holder` made: `holder` is told when it leaves memory.
void note_hold_of(self_ptr self, const std::string& conversation,
                  directory_actor holder, std::string key, inbox_actor inbox);

/// `call` came with an inbox another directory made (send_with_inbox,
/// start_for_bot), and that directory, the one asking through `rp`, holds
/// the caller by this directory's table. Otherwise one of the two tables
/// is behind a shard's move: a hold noted here would name a directory
/// that holds nothing, and the maker's would never be let go, so the call
/// is answered "moving" until the tables agree.
bool asked_by_callers_holder(self_ptr self, const api_call& call,
                             reply_promise& rp);

/// `conversation`, held here, keeps the inbox another directory made for
/// the caller of `call`: that directory is told when it leaves memory.
void note_remote_hold(self_ptr self, const std::string& conversation,
                      const api_call& call);

/// At the bot's holder: a bot starts a conversation for a customer held
/// elsewhere. Its inbox is made here and goes with the start; once the
/// conversation's id comes back, the conversation holds the inbox here.
void start_for_bot(self_ptr self, const directory_actor& customer_holder,
                   api_call& call, reply_promise& rp);

/// At the customer's holder: the conversation `id` was started by a bot
/// another directory holds, whose inbox came with `call`.
void track_remote_bot(self_ptr self, const std::string& id,
                      const conversation_actor& handle, const api_call& call);

/// The inbox of the bot `key` when another directory holds it and a
/// conversation here was started by it; else null.
user_actor remote_bot_inbox(self_ptr self, const std::string& key);

/// `holds_taken`: a conversation of another directory holds these users'
/// inboxes here.
void on_holds_taken(self_ptr self, const holds_taken& t);

/// `holds_released`: the users' inboxes that conversation held here.
void on_holds_released(self_ptr self, const holds_released& r);

/// A newer table: the holds here of conversations held by a directory in
/// no table any more (gone with its node) are let go.
void let_go_holds_of_moved_conversations(self_ptr self);

/// `conversation` left memory: the directories that made inboxes for it
/// release them.
void release_remote_holds(self_ptr self, const std::string& conversation);

// -- inboxes_back.cpp --------------------------------------------------------

/// `conversation`, just restored here, holds inboxes made here for `keys`:
/// those another directory holds are asked of it, and replace these once
/// they come.
void ask_holders_for_inboxes(self_ptr self, const std::string& conversation,
                             const std::vector<std::string>& keys);

/// At each join: users whose inboxes conversations here hold elsewhere
/// than at their holders now (a table moved them, or an ask was not
/// answered) are asked of those holders (made here when that is this
/// directory), and the conversations hold those instead.
void follow_moved_users(self_ptr self);

/// `inboxes_wanted`: the inboxes of the keys held here, held for the
/// conversation.
inboxes_given on_inboxes_wanted(self_ptr self, const inboxes_wanted& w);

// -- passivation.cpp ---------------------------------------------------------

/// What a sleeping conversation's record shows its users in their lists.
conversation_summary summary_of(self_ptr self, const std::string& id,
                                const sleeper& s);

/// Whether `id`'s passivation is settling; then `later` runs once it has
/// (and finds the conversation asleep or awake).
bool held_back(self_ptr self, const std::string& id,
               std::function<void()> later);

/// A sleeping conversation's record; null if its log does not serialise.
std::unique_ptr<sleeper>
make_sleeper(self_ptr self, std::string home_queue, std::string waiting_in,
             engine::line_place place, std::vector<engine::event>& log);

/// The actor of a conversation in memory: its own, or a new one taking up
/// its record if it sleeps. Not while it settles (held_back first).
conversation_actor awake(self_ptr self, const std::string& id,
                         conversation_entry& entry);

/// A sleeping conversation enters `queue` again, reached through the
/// directory as when it fell asleep: that queue started anew.
void enter_again_asleep(self_ptr self, const std::string& id,
                        const conversation_entry& entry,
                        const queue_actor& queue);

/// A conversation's request to sleep reached the directory by way of its
/// queue: the record is kept, its customer's inbox told; the answer goes
/// back to it from there.
void on_passivate(self_ptr self, passivate& p);

/// A new inbox of `key` hears of its user's sleeping conversations (their
/// summaries, from their records).
void tell_of_sleepers(self_ptr self, const std::string& key,
                      const user_actor& inbox);

/// `key`'s inbox stops when no session or resume needs it and every
/// conversation holding it sleeps; it comes back with the next of them
/// (user_inbox). Its book entry stays, with its count of open ones.
void rest_inbox_if_all_asleep(self_ptr self, const std::string& key);
void on_passivation_done(self_ptr self, const passivation_done& d);

/// A queue's message for a conversation that asked to sleep: a place in
/// line is noted in its record and told its customer; anything else wakes
/// it.
void on_from_queue(self_ptr self, from_queue& m);

/// `to_conversation` (an agent's pick, or its claim asked again): to the
/// conversation's actor.
void ask_conversation(self_ptr self, to_conversation& m,
                      caf::typed_response_promise<claim_result> rp);

// -- requests.cpp -------------------------------------------------------------

/// Every request, to the actor that owns it (or refused here).
void route(self_ptr self, api_call& call, reply_promise& rp);

/// This node's store is behind (failing, or slower than the traffic) and
/// `call` would change what it stores: refused (`unavailable`). Asked
/// where the change is made, so a request passed on to another holder is
/// refused or not by that holder's node, not by the front's.
bool refused_while_store_behind(self_ptr self, const api_call& call,
                                reply_promise& rp);

// -- attribution.cpp ----------------------------------------------------------

/// `GET /v1/attribution`: the reader reads the window's messages from the
/// store; the credit is decided here, with the configuration of now.
void credit_order(self_ptr self, const attribution_query& q, reply_promise& rp);

// -- recovery.cpp -------------------------------------------------------------

/// One open conversation from the store: its actor again, its place in its
/// queue (the queue orders by priority and original age, so the order is
/// the one before), its agents' capacity, its customer's list.
conversation_actor restore(self_ptr self,
                           engine::storage::conversation_log& log,
                           bool closed_too = false);

/// What a queue is told of a conversation that waits in it asleep: its
/// priority, original age and the wait it had left, no handle.
enqueue asleep_in_line(const engine::conversation& c,
                       const std::vector<engine::event>& log);

/// Whether `who` is the customer of the conversation `log` records.
bool customer_of_log(const std::vector<engine::event>& log, const caller& who);

/// A conversation's stored log came back for `call` (a resume): its actor
/// comes back, and the resume goes to it.
void revive(self_ptr self, std::vector<engine::event> log, api_call& call,
            reply_promise& rp, settled_fn settled);

/// recover_conversations: restores the logs a batch at a time; answered
/// once all are back.
caf::result<bool> on_recover(self_ptr self, recover_conversations& r);
void on_restore_step(self_ptr self);
/// recover_shards: reads their open conversations through the reader and
/// restores them once nothing is awaited.
void on_recover_shards(self_ptr self, std::vector<std::uint32_t> shards);
/// Starts restoring what was read, unless already under way or a queue or
/// agent is still awaited.
void restore_when_ready(self_ptr self);
/// Whether `id` falls in a shard taken over whose conversations are not
/// all back yet.
bool still_recovering(const directory_state& st, std::string_view id);
/// Everything read is restored: the calls held back meanwhile go on.
void restored(self_ptr self);

// -- reload.cpp ---------------------------------------------------------------

/// SIGHUP: every actor reads the new configuration from now on. Queues and
/// agents new to it start; a removed queue hands its waiting conversations
/// to the default queue; a removed agent leaves its queues but keeps its
/// sessions and conversations, and stops once none is left. Nothing open is
/// dropped.
void reload(self_ptr self, std::uint64_t version);

/// The agents a reload left waiting for a queue start, or read their entry
/// again, once every queue they serve is known; whether one started.
bool start_agents_whose_queues_are_known(self_ptr self);

/// A member linked to the directory stopped normally: one a reload removed
/// (agents_removed) is forgotten, or, added back meanwhile, started anew.
void on_agent_stopped(self_ptr self, const caf::actor_addr& source);

} // namespace baton::actors::directory_impl
