#pragma once

#include <string>
#include <vector>

#include "engine/config/texts.hpp"
#include "engine/conversation/conversation.hpp"
#include "engine/errc.hpp"

/// The rules of a conversation: each decider reads the state and either
/// refuses (an error code) or proposes the events that carry out the request.
/// Deciders never change state; `commit` does, through `apply`.
namespace baton::engine {

struct decision {
  errc error = errc::ok;
  std::vector<event_body> events;
  /// For an idempotent repeat (a known client_msg_id): the original seq.
  std::uint64_t existing_seq = 0;

  bool ok() const noexcept {
    return error == errc::ok;
  }
  static decision refuse(errc e) {
    return decision{e, {}, 0};
  }
};

struct start_request {
  engine::channel channel = channel::web;
  std::string queue;
  std::string topic;
  participant customer;
  std::string bot;
  std::string bot_name; ///< how the bot's first message shows it
  std::int32_t priority = 0;
  std::string first_text;
  std::string welcome_text;
  /// A direct conversation: offered to this member only, not queued.
  std::string direct_agent;
};

/// A new conversation: created, then queued (or held by its bot), then the
/// customer's first message when there is one.
decision decide_start(const conversation& c, const start_request& r,
                      time_ms now);

/// Offers to one agent or, for ring_all, to several at once.
decision decide_offer(const conversation& c, std::vector<offer_target> targets,
                      offer_kind kind, time_ms expires_at);

/// An offer ended without an assignment: timeout, reject, agent gone...
decision decide_offer_end(const conversation& c, const std::string& offer,
                          offer_end reason);

/// An agent accepted an offer. Only an open offer of this conversation wins:
/// anything else (already taken, expired, closed) is a `conflict`. For a
/// pending transfer or conference the winner joins as it asked, and a warm
/// transfer's requester leaves with `handover_text`.
decision decide_claim(const conversation& c, const std::string& offer,
                      const participant& agent, std::string joined_text,
                      std::string handover_text = {});

/// An agent picked the conversation from the waiting list (pull mode).
decision decide_pick(const conversation& c, const participant& agent,
                     std::string joined_text, std::string handover_text = {});

decision decide_message(const conversation& c, const participant& from,
                        std::string text, visibility vis,
                        std::string client_msg_id);

/// Closed by a participant (or by the system, with role service). A
/// conversation that came from a bot and is closed by a person goes back to
/// that bot instead; the agents leave.
decision decide_close(const conversation& c, const participant& by,
                      std::string reason, const config::texts& texts);

/// The wait timeout passed with nobody found (or the queue's estimate was
/// past its bound: `text` wait_too_long). A pending transfer ends as
/// failed; a conversation from a bot goes back to it.
decision decide_no_agents(const conversation& c, const config::texts& texts,
                          config::text_key text = config::text_key::no_agents);

/// Applies a decision's events, stamping seq and time; returns them as logged.
std::vector<event> commit(conversation& c, std::vector<event_body> bodies,
                          time_ms now);

} // namespace baton::engine
