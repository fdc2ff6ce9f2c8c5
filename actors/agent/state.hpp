#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "caf/actor_clock.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/actor_addr_hash.hpp"
#include "actors/agent/messages.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/messages.hpp"
#include "actors/runtime.hpp"
#include "actors/session/session_set.hpp"
#include "engine/routing/availability.hpp"

/// The agent actor's state and what its files share: actor.cpp (its
/// status, sessions, offers and lists), claims.cpp (accepts and picks:
/// the slot each holds until the conversation answers, and asking again)
/// and slot_checks.cpp (slots asked after when their shard moved).
namespace baton::actors::agent_impl {

struct reservation {
  std::string conversation;
  conversation_actor handle;
  offer_notice notice; ///< shown again at hello
};

/// A claim or pick on its way: `asks` counts the times it was asked, the
/// last at `asked_at`.
struct asked_claim {
  reply_promise rp;
  std::uint64_t asks = 0;
  caf::actor_clock::time_point asked_at;
};

struct agent_actor_state {
  runtime_ptr rt;
  engine::participant me;
  std::int32_t capacity = 1;
  std::vector<std::string> queue_ids;
  std::vector<std::string> topics;
  directory_actor directory;
  std::vector<queue_actor> queues;
  session_set sessions;
  /// The hubs on other nodes his sessions came through, watched: one that
  /// goes down (its node died, its link broke) sends no detach, and its
  /// sessions are gone with it. Kept until that down (a few per node).
  std::unordered_set<caf::actor_addr, actor_addr_hash> remote_hubs;
  engine::agent_status status = engine::agent_status::offline;
  std::unordered_map<std::string, reservation> reserved;
  /// The conversations the agent takes part in, with their actors.
  std::unordered_map<std::string, conversation_actor> assigned;
  std::unordered_set<std::string> picking;
  /// The claims and picks the conversation has not answered yet, by
  /// (conversation, offer), with the client waiting for each; a pick has
  /// no offer.
  std::map<std::pair<std::string, std::string>, asked_claim> asking;
  /// What the agent holds for conversations whose shard moved, asked after
  /// by id (slot_checks.cpp): by (conversation, offer), no offer for an
  /// assignment; with when each was asked last.
  std::map<std::pair<std::string, std::string>, caf::actor_clock::time_point>
    checking;
  /// A slot_check_timer is set.
  bool slots_watched = false;
  /// A claim_timer is set: one at a time looks at every claim on its way.
  bool claims_watched = false;
  std::int64_t missed = 0;
  engine::time_ms idle_since = 0;
  std::uint64_t grace_generation = 0;
  /// A reload removed him: his queues were told he left (reconfigure).
  bool removed = false;
  /// Removed and holding nothing: he stopped (retire_if_gone).
  bool gone = false;

  /// What takes her slots: her conversations, her picks, and the offers
  /// she holds, but for a direct one not yet accepted.
  std::int32_t load() const {
    auto offers = std::count_if(reserved.begin(), reserved.end(),
                                [&](const auto& r) {
                                  return holds_slot(r.first, r.second);
                                });
    return static_cast<std::int32_t>(assigned.size() + picking.size())
           + static_cast<std::int32_t>(offers);
  }
  /// A direct conversation's offer takes a slot only once she accepts it:
  /// customers may name any member, and one who is away would otherwise
  /// be kept out of routing for `absence.direct_response_timeout_ms` by
  /// each customer naming her.
  bool holds_slot(const std::string& offer, const reservation& r) const {
    return r.notice.kind != engine::offer_kind::direct || claiming(offer, r);
  }
  bool connected() const {
    return !sessions.empty();
  }
  /// No session, conversation, offer, pick or claim of his is left.
  bool holds_nothing() const {
    return sessions.empty() && assigned.empty() && reserved.empty()
           && picking.empty() && asking.empty();
  }
  engine::agent_standing standing() const {
    return {status, connected(), load(), capacity};
  }
  /// A direct conversation other than `conversation` is offered to her:
  /// she holds one at a time, so customers naming her cannot flood her
  /// desk with offers.
  bool holds_direct_offer_besides(std::string_view conversation) const {
    return std::any_of(reserved.begin(), reserved.end(), [&](const auto& r) {
      return r.second.notice.kind == engine::offer_kind::direct
             && r.second.conversation != conversation;
    });
  }
  bool can_take_more() const {
    return !engine::unavailable(standing(), engine::reach::routing);
  }
  /// The agent accepted `offer` of `r` and waits for the conversation's
  /// answer.
  bool claiming(const std::string& offer, const reservation& r) const {
    return asking.count({r.conversation, offer}) > 0;
  }
};

using self_ptr = agent_actor::stateful_pointer<agent_actor_state>;

void to_sessions(self_ptr self, const notification& n);
/// Tells the agent's queues and supervision how it stands. Every change of
/// what he holds ends here, so an agent a reload removed stops once he
/// holds nothing (retire_if_gone).
void broadcast(self_ptr self);

// -- claims.cpp ---------------------------------------------------------------

/// Settles the slot of a claim or pick (or takes an assignment made without
/// asking); the agent's client hears the reply.
reply on_claim_result(self_ptr self, const claim_result& r);
std::optional<reply> on_accept(self_ptr self, const accept_offer& r,
                               const reply_promise& rp);
std::optional<reply> on_pick(self_ptr self, const pick_waiting& r,
                             const reply_promise& rp);
/// Asks again every claim or pick with no answer for call_patience.
void on_claim_timer(self_ptr self);

// -- slot_checks.cpp ----------------------------------------------------------

/// The slots held for conversations of the moved shards (assignments, and
/// offers not accepted yet) are asked after.
void on_shards_moved(self_ptr self, const shards_moved& m);
/// Asks after an offer whose accept the conversation could not settle
/// (`unavailable`): kept open there, it stays hers; gone, it is freed.
void check_offer(self_ptr self, const std::string& conversation,
                 const std::string& offer);
/// Asks again after every slot no answer settled yet.
void on_slot_check_timer(self_ptr self);

} // namespace baton::actors::agent_impl
