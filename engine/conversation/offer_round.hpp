#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/config/config.hpp"
#include "engine/conversation/conversation.hpp"
#include "engine/conversation/decide.hpp"

/// A conversation's round of offers (docs/routing.md): the offers out at
/// once, made by the queue it waits in or to one named agent, and what
/// happens when they all end without a winner. The conversation's actor
/// keeps one; the log keeps the offers themselves.
namespace baton::engine {

/// Where a round came from.
enum class round_origin : std::uint8_t {
  queue,  ///< the queue's dispatch (offer_to)
  direct, ///< one named agent: a direct conversation, a transfer or an
          ///< assignment to that agent
};

/// What follows a round whose offers all ended without a winner.
struct round_end {
  enum class next : std::uint8_t {
    back_to_queue, ///< the queue offers it to others
    expire,        ///< its wait ran out meanwhile: nobody was found
    direct_failed, ///< the named agent did not take it
  };
  next what = next::back_to_queue;
  /// For back_to_queue: agents who had their turn (declined, timed out or
  /// went offline), not asked again this round.
  std::vector<std::string> tried;
  /// For direct_failed: why, as the transfer's or the absence's reason.
  std::string reason;
  /// For direct_failed: how the named agent's offer ended (agent_offline,
  /// agent_not_ready and agent_full say why it never saw it).
  offer_end cause = offer_end::timeout;

  friend bool operator==(const round_end&, const round_end&) = default;
};

class offer_round {
public:
  /// The generation of the round out: a timer of another one is stale.
  std::uint64_t generation() const noexcept {
    return generation_;
  }
  bool current(std::uint64_t generation) const noexcept {
    return generation == generation_;
  }
  bool direct() const noexcept {
    return direct_;
  }
  /// `auto` mode: the first agent who reserves a slot gets it, unasked.
  bool assign_at_once() const noexcept {
    return assign_at_once_;
  }
  bool wait_expired() const noexcept {
    return wait_expired_;
  }
  const std::vector<std::string>& tried() const noexcept {
    return tried_;
  }

  /// Whether a queue's offers may start a round: the conversation waits in
  /// a queue, and no direct round is out.
  bool takes_queue_offers(bool waiting_in_queue) const noexcept {
    return waiting_in_queue && !direct_;
  }

  /// A round starts; its timers carry the generation returned.
  std::uint64_t start(round_origin origin, bool assign_at_once) noexcept;

  /// One of the round's offers ended (not won). A full or not ready agent
  /// did not refuse: it may be asked again once it can; anyone else had
  /// their turn.
  void note_end(const std::string& agent, offer_end reason);

  /// Every offer ended without a winner: what comes next. The round is over.
  round_end end();

  /// An agent won. Returns whether the round was the queue's (so the queue
  /// hears it was assigned). The round is over.
  bool won() noexcept;

  /// The wait in the queue ran out. Returns true when it expires now; with
  /// offers out, the round runs its course first and end() says expire.
  bool wait_ran_out(bool offers_open) noexcept;

  /// Whatever round is out is over, its late timers and answers ignored
  /// (a takeover, an assignment, a close, a hand-off).
  void supersede() noexcept;

  /// Routing starts afresh (a resume, a failed transfer going back to its
  /// queue): no turns taken, no wait expired.
  void restart() noexcept;

private:
  std::uint64_t generation_ = 0;
  bool direct_ = false;
  bool assign_at_once_ = false;
  bool wait_expired_ = false;
  std::vector<std::string> tried_;
  offer_end last_end_ = offer_end::timeout;
};

/// Why a direct round failed, as a transfer's result or an absence's
/// reason: an agent found full, not ready or offline never saw the offer.
std::string direct_failure_reason(offer_end last) noexcept;

/// The offer timer of the current round fired: every open offer ends as
/// timed out. Refused (invalid_state) when no offer is open.
decision decide_offer_timeout(const conversation& c);

/// The conversation comes back from the store: offers made before the
/// restart reached agents who are gone; each ends as cancelled, and routing
/// starts over. Nothing to decide (ok, no events) when none is open.
decision decide_restored_offers(const conversation& c);

/// The conversation's queue was removed by a reload: a waiting conversation
/// waits in `queue` from now on, with its age and its place by priority.
/// Only a queued one moves (invalid_state otherwise): one on offer moves
/// when its round fails, an assigned or closed one stays.
decision decide_queue_move(const conversation& c, const std::string& queue,
                           const config::config& cfg);

} // namespace baton::engine
