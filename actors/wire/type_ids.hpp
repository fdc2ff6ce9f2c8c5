#pragma once

#include "caf/type_id.hpp"

#include "actors/agent/messages.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/directory/messages.hpp"
#include "actors/messages.hpp"
#include "actors/queue/messages.hpp"
#include "actors/session/messages.hpp"
#include "actors/store/journal.hpp"
#include "actors/store/messages.hpp"
#include "actors/store/reader.hpp"
#include "actors/supervision/messages.hpp"
#include "actors/user/messages.hpp"

/// Every message Baton's actors send one another, by name. CAF 0.17.6 takes
/// the block through `actor_system_config::add_message_types` (see
/// registry.hpp): each type gets a name the middleman sends with it, and
/// its `inspect` reads and writes it. On the wire a type is known by its
/// name, so renaming one breaks nodes of different versions; reordering
/// does not. A field added to one is read by neither an older node nor a
/// newer: the nodes of a cluster run one version. docs/architecture.md,
/// "Messages", lists them by actor.
CAF_BEGIN_TYPE_ID_BLOCK(baton, caf::first_custom_type_id)

// sessions and their requests
CAF_ADD_TYPE_ID(baton, (baton::actors::api_call))
CAF_ADD_TYPE_ID(baton, (baton::actors::reply))
CAF_ADD_TYPE_ID(baton, (baton::actors::attach_session))
CAF_ADD_TYPE_ID(baton, (baton::actors::detach_session))
CAF_ADD_TYPE_ID(baton, (baton::actors::deliver))
CAF_ADD_TYPE_ID(baton, (baton::actors::session_event))

// conversation ⇄ queue
CAF_ADD_TYPE_ID(baton, (baton::actors::enqueue))
CAF_ADD_TYPE_ID(baton, (baton::actors::dequeue))
CAF_ADD_TYPE_ID(baton, (baton::actors::offer_to))
CAF_ADD_TYPE_ID(baton, (baton::actors::offer_round_ended))
CAF_ADD_TYPE_ID(baton, (baton::actors::for_queue))
CAF_ADD_TYPE_ID(baton, (baton::actors::queue_moved))
CAF_ADD_TYPE_ID(baton, (baton::actors::members_moved))
CAF_ADD_TYPE_ID(baton, (baton::actors::line_position))

// conversation ⇄ agent
CAF_ADD_TYPE_ID(baton, (baton::actors::reserve))
CAF_ADD_TYPE_ID(baton, (baton::actors::reserve_result))
CAF_ADD_TYPE_ID(baton, (baton::actors::revoke))
CAF_ADD_TYPE_ID(baton, (baton::actors::decline))
CAF_ADD_TYPE_ID(baton, (baton::actors::released))
CAF_ADD_TYPE_ID(baton, (baton::actors::offer_to_agent))
CAF_ADD_TYPE_ID(baton, (baton::actors::revoke_to_agent))
CAF_ADD_TYPE_ID(baton, (baton::actors::claim))
CAF_ADD_TYPE_ID(baton, (baton::actors::pick))
CAF_ADD_TYPE_ID(baton, (baton::actors::waits_in))
CAF_ADD_TYPE_ID(baton, (baton::actors::takes_part))
CAF_ADD_TYPE_ID(baton, (baton::actors::offer_open))
CAF_ADD_TYPE_ID(baton, (baton::actors::claim_result))
CAF_ADD_TYPE_ID(baton, (baton::actors::to_conversation))

// agent ⇄ queue
CAF_ADD_TYPE_ID(baton, (baton::actors::agent_update))
CAF_ADD_TYPE_ID(baton, (baton::actors::waiting_query))
CAF_ADD_TYPE_ID(baton, (baton::actors::waiting_answer))
CAF_ADD_TYPE_ID(baton, (baton::actors::agent_left))

// queries and their answers
CAF_ADD_TYPE_ID(baton, (baton::actors::summary_query))
CAF_ADD_TYPE_ID(baton, (baton::actors::queue_stats_query))
CAF_ADD_TYPE_ID(baton, (baton::actors::agent_row_query))
CAF_ADD_TYPE_ID(baton, (baton::actors::conversation_summary))
CAF_ADD_TYPE_ID(baton, (baton::actors::queue_row))
CAF_ADD_TYPE_ID(baton, (baton::actors::agent_row))

// user inboxes and the directory
CAF_ADD_TYPE_ID(baton, (baton::actors::track_conversation))
CAF_ADD_TYPE_ID(baton, (baton::actors::conversation_retired))
CAF_ADD_TYPE_ID(baton, (baton::actors::conversation_open_changed))
CAF_ADD_TYPE_ID(baton, (baton::actors::inbox_close))

// passivation: a waiting conversation with nothing in flight leaves memory
CAF_ADD_TYPE_ID(baton, (baton::actors::passivate))
CAF_ADD_TYPE_ID(baton, (baton::actors::passivation_settled))
CAF_ADD_TYPE_ID(baton, (baton::actors::passivation_done))
CAF_ADD_TYPE_ID(baton, (baton::actors::sleeping_conversation))
CAF_ADD_TYPE_ID(baton, (baton::actors::from_queue))

// directories sharing the shards
CAF_ADD_TYPE_ID(baton, (baton::actors::shards_moved))
CAF_ADD_TYPE_ID(baton, (baton::actors::join_directories))
CAF_ADD_TYPE_ID(baton, (baton::actors::directory_roster))
CAF_ADD_TYPE_ID(baton, (baton::actors::holds_released))
CAF_ADD_TYPE_ID(baton, (baton::actors::holds_taken))
CAF_ADD_TYPE_ID(baton, (baton::actors::inboxes_wanted))
CAF_ADD_TYPE_ID(baton, (baton::actors::inboxes_given))

// supervision
CAF_ADD_TYPE_ID(baton, (baton::actors::subscribe_supervisor))
CAF_ADD_TYPE_ID(baton, (baton::actors::sessions_ended))
CAF_ADD_TYPE_ID(baton, (baton::actors::supervised_queues))
CAF_ADD_TYPE_ID(baton, (baton::actors::supervision_peers))
CAF_ADD_TYPE_ID(baton, (baton::actors::subscriptions_shared))

// reload
CAF_ADD_TYPE_ID(baton, (baton::actors::agent_reconfigured))
CAF_ADD_TYPE_ID(baton, (baton::actors::queue_retired))

// journal and recovery
CAF_ADD_TYPE_ID(baton, (baton::actors::journal_append))
CAF_ADD_TYPE_ID(baton, (baton::actors::journal_committed))
CAF_ADD_TYPE_ID(baton, (baton::actors::recover_conversations))
CAF_ADD_TYPE_ID(baton, (baton::actors::restore_step))
CAF_ADD_TYPE_ID(baton, (baton::actors::recover_shards))
CAF_ADD_TYPE_ID(baton, (baton::actors::restore_conversation))
CAF_ADD_TYPE_ID(baton, (baton::actors::restore_assignment))
CAF_ADD_TYPE_ID(baton, (baton::actors::store_read))
CAF_ADD_TYPE_ID(baton, (baton::actors::stored_log))
CAF_ADD_TYPE_ID(baton, (baton::actors::history_read))
CAF_ADD_TYPE_ID(baton, (baton::actors::explain_read))
CAF_ADD_TYPE_ID(baton, (baton::actors::agent_messages_read))
CAF_ADD_TYPE_ID(baton, (baton::actors::stored_agent_messages))
CAF_ADD_TYPE_ID(baton, (baton::actors::open_logs_read))
CAF_ADD_TYPE_ID(baton, (baton::actors::open_logs))
CAF_ADD_TYPE_ID(baton, (baton::actors::journal_sync))
CAF_ADD_TYPE_ID(baton, (baton::actors::give_up_shards))
CAF_ADD_TYPE_ID(baton, (baton::actors::leave_node))

// timers, each to the actor that set it
CAF_ADD_TYPE_ID(baton, (baton::actors::offer_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::wait_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::retire_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::idle_check))
CAF_ADD_TYPE_ID(baton, (baton::actors::consent_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::choice_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::retry_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::wait_tick))
CAF_ADD_TYPE_ID(baton, (baton::actors::position_tick))
CAF_ADD_TYPE_ID(baton, (baton::actors::places_check_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::grace_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::claim_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::slot_check_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::stats_tick))
CAF_ADD_TYPE_ID(baton, (baton::actors::flush_timer))
CAF_ADD_TYPE_ID(baton, (baton::actors::prune_tick))

CAF_END_TYPE_ID_BLOCK(baton)
