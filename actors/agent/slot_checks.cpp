// A slot an agent holds for a conversation whose shard moved (an
// assignment, or an offer not accepted yet), or for an offer whose accept
// was answered `unavailable`, is asked after by id until an answer comes:
// the word that would have freed it (a close, a leave, an offer's end) may
// have been lost with a node (docs/cluster.md, "Shards that move").
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "caf/all.hpp"

#include "actors/agent/messages.hpp"
#include "actors/agent/state.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/directory/messages.hpp"
#include "actors/timers/actor.hpp"
#include "engine/cluster/shards.hpp"
#include "log/log.hpp"

namespace baton::actors::agent_impl {
namespace {

using engine::errc;

/// (conversation, offer): no offer for an assignment.
using slot_key = std::pair<std::string, std::string>;

bool still_held(const agent_actor_state& st, const slot_key& key) {
  const auto& [conversation, offer] = key;
  if (offer.empty())
    return st.assigned.count(conversation) > 0;
  // One accepted is settled by its claim's answer.
  auto i = st.reserved.find(offer);
  return i != st.reserved.end() && !st.claiming(offer, i->second);
}

void let_go(self_ptr self, const slot_key& key) {
  auto& st = self->state;
  const auto& [conversation, offer] = key;
  log::info({"agent", st.me.id}, "a slot for a conversation whose shard "
                                 "moved is no longer his: it is free")
    .field("conversation", conversation)
    .field("offer", offer);
  if (offer.empty()) {
    st.assigned.erase(conversation);
  } else {
    st.reserved.erase(offer);
    to_sessions(self, {conversation, offer_revoked_notice{
                                       offer, engine::offer_end::cancelled}});
  }
  broadcast(self);
}

/// Still his (the conversation's new actor says so, or told him again by
/// restore_assignment), the slot stays; not his, it is freed. Moving, the
/// timer asks again.
void on_slot_answer(self_ptr self, const slot_key& key, const claim_result& r) {
  auto& st = self->state;
  if (r.code == errc::unavailable || st.checking.erase(key) == 0
      || !still_held(st, key))
    return;
  if (r.code != errc::ok)
    let_go(self, key);
}

void ask_after(self_ptr self, const slot_key& key) {
  auto& st = self->state;
  st.checking.insert_or_assign(key, self->clock().now());
  const auto& [conversation, offer] = key;
  decltype(to_conversation::message) question = takes_part{st.me.id};
  if (!offer.empty())
    question = offer_open{offer, st.me.id};
  self
    ->request(st.directory, caf::duration{st.rt->call_patience},
              to_conversation{conversation, std::move(question)})
    .then([self, key](claim_result& r) { on_slot_answer(self, key, r); },
          [](caf::error&) {}); // unanswered in time: the timer asks again
}

void watch_slots(self_ptr self) {
  auto& st = self->state;
  if (st.slots_watched || st.checking.empty())
    return;
  st.slots_watched = true;
  start_timer(self, st.rt->timers, st.rt->call_patience, slot_check_timer{});
}

} // namespace

void on_shards_moved(self_ptr self, const shards_moved& m) {
  auto& st = self->state;
  std::unordered_set<std::uint32_t> moved(m.shards.begin(), m.shards.end());
  auto in_moved = [&](const std::string& conversation) {
    return moved.count(engine::cluster::shard_of(conversation, m.shard_count))
           > 0;
  };
  std::vector<slot_key> asked;
  for (const auto& [conversation, handle] : st.assigned)
    if (in_moved(conversation))
      asked.emplace_back(conversation, std::string{});
  for (const auto& [offer, r] : st.reserved)
    if (in_moved(r.conversation) && !st.claiming(offer, r))
      asked.emplace_back(r.conversation, offer);
  for (const auto& key : asked)
    ask_after(self, key);
  watch_slots(self);
}

void check_offer(self_ptr self, const std::string& conversation,
                 const std::string& offer) {
  ask_after(self, {conversation, offer});
  watch_slots(self);
}

void on_slot_check_timer(self_ptr self) {
  auto& st = self->state;
  st.slots_watched = false;
  std::erase_if(st.checking, [&](const auto& entry) {
    return !still_held(st, entry.first);
  });
  auto now = self->clock().now();
  std::vector<slot_key> due;
  for (const auto& [key, asked_at] : st.checking)
    if (now - asked_at >= st.rt->call_patience)
      due.push_back(key);
  for (const auto& key : due)
    ask_after(self, key);
  watch_slots(self);
}

} // namespace baton::actors::agent_impl
