#pragma once

#include "caf/replies_to.hpp"
#include "caf/typed_actor.hpp"

/// Every actor's whole interface, checked by the compiler: a handle of one
/// of these types accepts only the messages listed, and a `request` through
/// it expects the listed answer. The messages carry handles of one another
/// (a claim names the agent's actor, an enqueue the conversation's), so the
/// interfaces are declared together, over the messages declared here and
/// defined in messages.hpp (what all share) and each family's folder
/// (conversation/messages.hpp, ...). Timers an actor sends
/// to itself are part of its interface too: CAF delivers them through the
/// same mailbox.
namespace baton::actors {

// -- messages ---------------------------------------------------------------

struct reply;
struct api_call;
struct attach_session;
struct detach_session;
struct deliver;
struct released;
struct session_event;
struct enqueue;
struct dequeue;
struct offer_to;
struct offer_round_ended;
struct reserve;
struct reserve_result;
struct revoke;
struct claim;
struct claim_result;
struct decline;
struct pick;
struct for_queue;
struct offer_to_agent;
struct agent_update;
struct waiting_query;
struct waiting_answer;
struct offer_timer;
struct wait_timer;
struct retire_timer;
struct consent_timer;
struct choice_timer;
struct retry_timer;
struct wait_tick;
struct position_tick;
struct line_position;
struct grace_timer;
struct claim_timer;
struct summary_query;
struct queue_stats_query;
struct agent_row_query;
struct conversation_summary;
struct queue_row;
struct agent_row;
struct conversation_retired;
struct track_conversation;
struct inbox_close;
struct conversation_open_changed;
struct to_conversation;
struct subscribe_supervisor;
struct sessions_ended;
struct supervised_queues;
struct stats_tick;
struct supervision_peers;
struct subscriptions_shared;
struct config_changed;
struct new_config;
struct agent_reconfigured;
struct agent_left;
struct queue_retired;
struct queue_moved;
struct members_moved;
struct recover_conversations;
struct restore_step;
struct recover_shards;
struct give_up_shards;
struct leave_node;
struct restore_conversation;
struct sleeping_conversation;
struct passivate;
struct passivation_settled;
struct passivation_done;
struct join_directories;
struct directory_roster;
struct holds_released;
struct holds_taken;
struct inboxes_wanted;
struct inboxes_given;
struct idle_check;
struct from_queue;
struct restore_assignment;
struct shards_moved;
struct waits_in;
struct takes_part;
struct offer_open;
struct places_check_timer;
struct slot_check_timer;
struct revoke_to_agent;
struct journal_append;
struct journal_committed;
struct flush_timer;
struct prune_tick;
struct journal_sync;
struct store_read;
struct stored_log;
struct history_read;
struct explain_read;
struct agent_messages_read;
struct stored_agent_messages;
struct open_logs_read;
struct open_logs;
struct hub_connect;
struct hub_disconnect;
struct hub_submit;
struct arm_timer;
struct timers_due;

// -- interfaces ---------------------------------------------------------------

/// What every user's actor handles, an agent's or the inbox of a customer,
/// supervisor or bot: its sessions opening (answered for `hello`) and
/// closing, events for them, its own verbs, and leaving a conversation.
using inbox_actor
  = caf::typed_actor<caf::replies_to<attach_session>::with<reply>, //
                     caf::reacts_to<detach_session>,               //
                     caf::reacts_to<deliver>,                      //
                     caf::replies_to<api_call>::with<reply>,       //
                     caf::reacts_to<released>>;

/// One configured agent (agent/actor.hpp): the only owner of its capacity,
/// status and sessions.
using agent_actor
  = inbox_actor::extend<caf::replies_to<agent_row_query>::with<agent_row>, //
                        caf::reacts_to<config_changed>,                    //
                        caf::reacts_to<agent_reconfigured>,                //
                        caf::reacts_to<reserve>,                           //
                        caf::reacts_to<revoke>,                            //
                        caf::reacts_to<claim_result>,                      //
                        caf::reacts_to<restore_assignment>,                //
                        caf::reacts_to<shards_moved>,                      //
                        caf::reacts_to<grace_timer>,                       //
                        caf::reacts_to<claim_timer>,                       //
                        caf::reacts_to<slot_check_timer>>;

/// The inbox of a user who is not a configured agent (user/actor.hpp).
using user_actor = inbox_actor::extend<caf::reacts_to<track_conversation>,   //
                                       caf::reacts_to<conversation_retired>, //
                                       caf::reacts_to<passivate>,            //
                                       caf::reacts_to<inbox_close>>;

/// One conversation (conversation/actor.hpp): the only owner of its
/// participants and the only judge of who wins it.
using conversation_actor = caf::typed_actor<
  caf::replies_to<api_call>::with<reply>,                     //
  caf::replies_to<summary_query>::with<conversation_summary>, //
  caf::reacts_to<offer_to>,                                   //
  caf::reacts_to<reserve_result>,                             //
  caf::replies_to<claim>::with<claim_result>,                 //
  caf::replies_to<pick>::with<claim_result>,                  //
  caf::replies_to<waits_in>::with<claim_result>,              //
  caf::replies_to<takes_part>::with<claim_result>,            //
  caf::replies_to<offer_open>::with<claim_result>,            //
  caf::reacts_to<decline>,                                    //
  caf::reacts_to<journal_committed>,                          //
  caf::reacts_to<restore_conversation>,                       //
  caf::reacts_to<config_changed>,                             //
  caf::reacts_to<queue_moved>,                                //
  caf::reacts_to<members_moved>,                              //
  caf::reacts_to<offer_timer>,                                //
  caf::reacts_to<wait_timer>,                                 //
  caf::reacts_to<line_position>,                              //
  caf::reacts_to<consent_timer>,                              //
  caf::reacts_to<choice_timer>,                               //
  caf::reacts_to<retire_timer>,                               //
  caf::reacts_to<idle_check>,                                 //
  caf::reacts_to<sleeping_conversation>,                      //
  caf::reacts_to<passivation_settled>,                        //
  caf::replies_to<leave_node>::with<bool>>;

/// One queue (queue/actor.hpp): its waiting list and its strategy.
using queue_actor
  = caf::typed_actor<caf::reacts_to<enqueue>,                              //
                     caf::reacts_to<dequeue>,                              //
                     caf::reacts_to<offer_round_ended>,                    //
                     caf::reacts_to<agent_update>,                         //
                     caf::reacts_to<agent_left>,                           //
                     caf::replies_to<waiting_query>::with<waiting_answer>, //
                     caf::replies_to<queue_stats_query>::with<queue_row>,  //
                     caf::reacts_to<config_changed>,                       //
                     caf::reacts_to<queue_retired>,                        //
                     caf::reacts_to<retry_timer>,                          //
                     caf::reacts_to<wait_tick>,                            //
                     caf::reacts_to<position_tick>,                        //
                     caf::reacts_to<shards_moved>,                         //
                     caf::reacts_to<places_check_timer>,                   //
                     caf::reacts_to<passivate>>;

/// Supervision (supervision/actor.hpp): what supervisors see, kept current.
using supervision_actor
  = caf::typed_actor<caf::replies_to<subscribe_supervisor>::with<reply>, //
                     caf::reacts_to<sessions_ended>,                     //
                     caf::reacts_to<conversation_summary>,               //
                     caf::reacts_to<agent_row>,                          //
                     caf::reacts_to<supervised_queues>,                  //
                     caf::reacts_to<supervision_peers>,                  //
                     caf::reacts_to<subscriptions_shared>,               //
                     caf::reacts_to<config_changed>,                     //
                     caf::reacts_to<stats_tick>>;

/// The journal (store/journal.hpp): the one writer of the store.
using journal_actor
  = caf::typed_actor<caf::reacts_to<journal_append>, //
                     caf::reacts_to<flush_timer>,    //
                     caf::reacts_to<prune_tick>,     //
                     caf::replies_to<journal_sync>::with<bool>>;

/// The reader (store/reader.hpp): stored conversations no actor holds.
using reader_actor = caf::typed_actor<
  caf::replies_to<store_read>::with<stored_log>,                     //
  caf::replies_to<history_read>::with<reply>,                        //
  caf::replies_to<explain_read>::with<reply>,                        //
  caf::replies_to<agent_messages_read>::with<stored_agent_messages>, //
  caf::replies_to<open_logs_read>::with<open_logs>>;

/// The timers of conversations (timers/actor.hpp): one wake-up on CAF's
/// clock for all of them.
using timers_actor = caf::typed_actor<caf::reacts_to<arm_timer>, //
                                      caf::reacts_to<timers_due>>;

/// The hub (session/hub.hpp): the sessions of this process.
using session_hub_actor = caf::typed_actor<caf::reacts_to<hub_connect>,    //
                                           caf::reacts_to<hub_disconnect>, //
                                           caf::reacts_to<hub_submit>,     //
                                           caf::reacts_to<session_event>>;

/// The directory (directory/actor.hpp): id → actor, and what needs them all
/// (recovery, reload).
using directory_actor
  = caf::typed_actor<caf::replies_to<api_call>::with<reply>,               //
                     caf::replies_to<attach_session>::with<reply>,         //
                     caf::reacts_to<detach_session>,                       //
                     caf::replies_to<to_conversation>::with<claim_result>, //
                     caf::reacts_to<for_queue>,                            //
                     caf::reacts_to<offer_to_agent>,                       //
                     caf::reacts_to<revoke_to_agent>,                      //
                     caf::reacts_to<conversation_open_changed>,            //
                     caf::reacts_to<conversation_retired>,                 //
                     caf::replies_to<recover_conversations>::with<bool>,   //
                     caf::reacts_to<restore_step>,                         //
                     caf::reacts_to<recover_shards>,                       //
                     caf::reacts_to<new_config>,                           //
                     caf::reacts_to<passivate>,                            //
                     caf::reacts_to<passivation_done>,                     //
                     caf::reacts_to<from_queue>,                           //
                     caf::replies_to<join_directories>::with<directory_roster>,
                     caf::reacts_to<holds_released>,
                     caf::reacts_to<holds_taken>,
                     caf::replies_to<inboxes_wanted>::with<inboxes_given>,
                     caf::replies_to<give_up_shards>::with<bool>>;

} // namespace baton::actors
