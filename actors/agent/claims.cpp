// An agent's claims on conversations: an accepted offer or a pick asks the
// conversation, holds a slot until the first answer comes, and asks again
// by id when none comes in time (docs/cluster.md, "Bounded calls").
#include <algorithm>
#include <chrono>
#include <variant>

#include "caf/all.hpp"

#include "actors/agent/messages.hpp"
#include "actors/agent/state.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/directory/messages.hpp"
#include "actors/timers/actor.hpp"
#include "log/log.hpp"

namespace baton::actors::agent_impl {
namespace {

using engine::errc;

/// Why a claim (an accept or a pick) failed, for the agent's client.
const char* pick_refusal(errc code) {
  switch (code) {
    case errc::conflict:
      return "someone else got it first";
    case errc::not_found:
      return "no such conversation";
    case errc::invalid_state:
      return "already in it";
    case errc::unavailable: // its store is behind, or it is moving
      return "the conversation cannot take it now: try again in a moment";
    default:
      return "not allowed to take it";
  }
}

} // namespace

/// Settles the slot of a claim or pick; the agent's client hears `reply`.
reply on_claim_result(self_ptr self, const claim_result& r) {
  auto& st = self->state;
  // A conversation whose storage is behind keeps the offer open: so does
  // she, to accept it again, and asks after it in case it is gone.
  if (r.offer.empty())
    st.picking.erase(r.conversation);
  else if (r.code == errc::unavailable && st.reserved.count(r.offer) > 0)
    check_offer(self, r.conversation, r.offer);
  else
    st.reserved.erase(r.offer);
  if (r.code == errc::ok) {
    st.assigned.emplace(r.conversation, r.handle);
    st.missed = 0;
  }
  broadcast(self);
  if (r.code != errc::ok)
    return reply::error(r.code, pick_refusal(r.code));
  return opened{r.conversation};
}

namespace {

constexpr auto first_pick_patience = std::chrono::seconds{60};

/// The first answer to a claim or pick settles its slot, and the agent's
/// client hears it; the answers of its other asks find nothing to settle.
void on_answer(self_ptr self, const claim_result& r) {
  auto& st = self->state;
  auto i = st.asking.find({r.conversation, r.offer});
  if (i == st.asking.end())
    return;
  auto rp = std::move(i->second.rp);
  st.asking.erase(i);
  rp.deliver(on_claim_result(self, r));
}

/// Has a claim_timer look at the claims on their way when the oldest has
/// waited for call_patience: one timer for all of them, not one each.
void watch_claims(self_ptr self) {
  auto& st = self->state;
  if (st.claims_watched || st.asking.empty())
    return;
  auto oldest = std::min_element(st.asking.begin(), st.asking.end(),
                                 [](const auto& x, const auto& y) {
                                   return x.second.asked_at < y.second.asked_at;
                                 });
  auto due = oldest->second.asked_at + st.rt->call_patience;
  // Rounded up: a timer that came early would find nothing due yet.
  auto in
    = std::chrono::ceil<std::chrono::milliseconds>(due - self->clock().now());
  start_timer(self, st.rt->timers, std::max(in, std::chrono::milliseconds{0}),
              claim_timer{});
  st.claims_watched = true;
}

/// Asks `to` for the conversation (a claim or a pick); the answer settles
/// it. A conversation that is gone frees the slot all the same. One that
/// has not answered after the runtime's call_patience is asked again
/// (on_claim_timer): its node may have died, and the answer with it. A
/// claim's first ask of a conversation in this process waits on no clock
/// (CAF's costs a lock and a wake-up a route). A pick's first ask goes to
/// the directory, which may pass it on to another node: it waits
/// first_pick_patience, long past any commit the journal could still make,
/// so that its answer is not lost to a slow store, nor its handler kept
/// for good by a node that died. Every ask again gives up after
/// call_patience, and the next is asked by the timer.
template <class Handle, class Ask>
void ask_for(self_ptr self, const Handle& to, Ask ask, asked_claim& entry,
             const std::string& conversation, const std::string& offer) {
  ++entry.asks;
  entry.asked_at = self->clock().now();
  bool picks = offer.empty();
  bool answered_here = to && to.node() == self->node();
  caf::duration patience{self->state.rt->call_patience};
  if (entry.asks == 1 && picks)
    patience = caf::duration{first_pick_patience};
  else if (entry.asks == 1 && answered_here)
    patience = caf::infinite;
  self->request(to, patience, std::move(ask))
    .then(
      [self](claim_result& r) { on_answer(self, r); },
      [self, conversation, offer](caf::error& e) {
        if (e == caf::sec::request_timeout)
          return; // the claim timer asks again
        on_answer(self, claim_result{conversation, {}, offer, errc::not_found});
      });
}

/// Starts a claim (`offer`) or pick of `conversation`, answered through
/// `rp`, with its first ask.
template <class Handle, class Ask>
void claim_slot(self_ptr self, const Handle& to, Ask ask,
                const std::string& conversation, const std::string& offer,
                reply_promise rp) {
  auto& entry = self->state.asking
                  .insert_or_assign({conversation, offer},
                                    asked_claim{std::move(rp)})
                  .first->second;
  ask_for(self, to, std::move(ask), entry, conversation, offer);
  watch_claims(self);
}

} // namespace

/// Asks again, by id through the directory, every claim or pick unanswered
/// for call_patience: the conversation may have come back on another node.
/// The slot stays held meanwhile: the first ask may have won, and freeing
/// it could put the agent over capacity. Asked again, a conversation the
/// agent is in already counts as won.
void on_claim_timer(self_ptr self) {
  auto& st = self->state;
  st.claims_watched = false;
  // Past this node's lease an ask again could win a conversation on a
  // healthy node for an agent another node holds now. Looked at again
  // later, not at once: the claims are due already.
  if (!lease_holds(*st.rt)) {
    if (!st.asking.empty()) {
      start_timer(self, st.rt->timers, st.rt->call_patience, claim_timer{});
      st.claims_watched = true;
    }
    return;
  }
  auto now = self->clock().now();
  for (auto& [key, entry] : st.asking) {
    if (now - entry.asked_at < st.rt->call_patience)
      continue;
    const auto& [conversation, offer] = key;
    log::warn({"agent", st.me.id}, "no answer to a claim in time, asking again")
      .field("conversation", conversation)
      .field("offer", offer)
      .field("ask", entry.asks + 1);
    decltype(to_conversation::message) again;
    if (offer.empty())
      again = pick{st.me, self, st.queue_ids, st.topics, true};
    else
      again = claim{offer, st.me, self, true};
    ask_for(self, st.directory, to_conversation{conversation, std::move(again)},
            entry, conversation, offer);
  }
  watch_claims(self);
}

std::optional<reply> on_accept(self_ptr self, const accept_offer& r,
                               const reply_promise& rp) {
  auto& st = self->state;
  // This node was frozen past its lease: another may hold him now, and his
  // slots with him.
  if (!lease_holds(*st.rt))
    return moving_elsewhere();
  auto i = st.reserved.find(r.offer);
  if (i == st.reserved.end() || st.claiming(r.offer, i->second))
    return reply::error(errc::conflict,
                        "the offer expired, was revoked or was taken");
  // A direct offer held no slot: it takes one now, if one is free.
  bool takes_slot = !st.holds_slot(r.offer, i->second);
  if (takes_slot && st.load() >= st.capacity)
    return reply::error(errc::invalid_state,
                        "no free slot for it: it stays offered until it "
                        "runs out");
  claim_slot(self, i->second.handle, claim{r.offer, st.me, self},
             i->second.conversation, r.offer, rp);
  if (takes_slot) {
    st.idle_since = now_ms(self, *st.rt);
    broadcast(self);
  }
  return std::nullopt;
}

std::optional<reply> on_pick(self_ptr self, const pick_waiting& r,
                             const reply_promise& rp) {
  auto& st = self->state;
  if (!lease_holds(*st.rt))
    return moving_elsewhere();
  if (!st.can_take_more())
    return reply::error(errc::invalid_state,
                        "only a ready agent with a free slot may pick");
  if (st.assigned.count(r.conversation) > 0)
    return reply::error(errc::invalid_state, "already in it");
  // An earlier pick's ask may still be out after a takeover settled it.
  if (st.asking.count({r.conversation, {}}) > 0
      || !st.picking.insert(r.conversation).second)
    return reply::error(errc::conflict, "already picking it");
  claim_slot(self, st.directory,
             to_conversation{r.conversation,
                             pick{st.me, self, st.queue_ids, st.topics}},
             r.conversation, {}, rp);
  broadcast(self);
  return std::nullopt;
}

} // namespace baton::actors::agent_impl
