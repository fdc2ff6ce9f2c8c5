#pragma once

#include <string>

#include "engine/config/config.hpp"
#include "engine/conversation/decide.hpp"
#include "engine/routing/availability.hpp"

/// The rules of what happens to a conversation once it is routed: transfer,
/// consent, conference, leave, takeover, supervisor assignment, bots,
/// absence and resume. Like decide.hpp, each decider reads the state and the
/// configuration and either refuses or proposes events; none changes state.
namespace baton::engine {

/// May this member do that? Supervisors and agents alike need the permission
/// in the configuration.
bool has_permission(const config::config& cfg, const participant& who,
                    config::permission p);

/// Role supervisor, or an agent with the `supervise` permission.
bool may_supervise(const config::config& cfg, const participant& who);

struct transfer_ask {
  std::string transfer;                   ///< the id the caller made for it
  offer_kind kind = offer_kind::transfer; ///< transfer or conference
  transfer_mode mode = transfer_mode::cold;
  participant from;
  std::string to_queue; ///< exactly one of to_queue and to_agent
  std::string to_agent;
  std::string topic; ///< the reason
  std::string note;
  /// A supervisor removes the assignee (`conversation.unassign`): a cold
  /// transfer without consent, the assignee leaves.
  bool unassign = false;
  /// The waiting-list content, for a cold transfer that queues at once.
  std::string content;
};

/// Transfer, conference or unassign: checked at once (role, permission,
/// participant, state, target, reason), then either the customer is asked
/// or routing to the target starts.
decision decide_transfer(const conversation& c, const transfer_ask& r,
                         const config::config& cfg);

/// The customer answered a consent request.
decision decide_consent(const conversation& c, const participant& customer,
                        const std::string& transfer, bool accepted,
                        const config::config& cfg, std::string content);

/// Nobody answered the consent request in time.
decision decide_consent_timeout(const conversation& c,
                                const std::string& transfer,
                                const config::config& cfg);

/// The pending transfer, conference or assignment found nobody: the target
/// agent said no or timed out, or the target queue's wait ran out. `cause`:
/// how the one agent's offer ended; when that agent never saw it (offline,
/// not ready, full) the requester's text says so by name.
decision decide_transfer_failed(const conversation& c,
                                const std::string& reason,
                                const config::config& cfg,
                                offer_end cause = offer_end::timeout);

/// An agent leaves a conference; the only agent may not leave.
decision decide_leave(const conversation& c, const participant& agent,
                      const config::config& cfg);

/// The caller becomes the assignee; the one before leaves (`taken_over`).
/// With `text`, the caller's first message follows.
decision decide_takeover(const conversation& c, const participant& by,
                         std::string text, const config::config& cfg);

/// How far an assignment by `by` reaches: past the agent's status always,
/// past its capacity with the permission `assign_over_capacity`.
reach assign_reach(const config::config& cfg, const participant& by);

/// A supervisor gives a waiting conversation to one agent: it leaves its
/// queue and is offered to that agent only.
decision decide_assign(const conversation& c, const participant& by,
                       const std::string& assign, const std::string& agent,
                       const config::config& cfg);

/// The bot hands its conversation to human routing.
decision decide_handoff(const conversation& c, const participant& bot,
                        const std::string& queue, const std::string& topic,
                        std::string summary, const config::config& cfg,
                        time_ms now, std::string content);

/// The member of a direct conversation did not take it.
decision decide_absent(const conversation& c, const config::config& cfg);

/// After `agent.absent`, the customer asks for anyone of the queue.
decision decide_request_other(const conversation& c,
                              const participant& customer,
                              const config::config& cfg, time_ms now);

/// After `agent.absent`, `absence.choice_timeout_ms` passed with no choice:
/// the customer kept waiting, and anyone of the queue is asked, as by
/// decide_request_other.
decision decide_choice_timeout(const conversation& c, const config::config& cfg,
                               time_ms now);

/// The customer reopens a closed conversation: it routes again, with its
/// whole history.
decision decide_resume(const conversation& c, const participant& customer,
                       const config::config& cfg, time_ms now);

/// The `conversation.queued` text of a queue: its welcome text, else the
/// default.
std::string welcome_text(const config::config& cfg, const std::string& queue);

} // namespace baton::engine
