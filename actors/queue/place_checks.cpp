#include "actors/queue/state.hpp"

#include <unordered_set>

#include "caf/all.hpp"

#include "engine/cluster/shards.hpp"
#include "log/log.hpp"

/// After a move of shards, the places held for their conversations are a
/// cache: each is asked after by id until the conversation's new holder
/// answers (docs/cluster.md, "Shards that move").
namespace baton::actors::queue_impl {
namespace {

using engine::errc;

/// The answer about the place of `r.conversation`: it still waits here,
/// held by the actor it runs under now (none: asleep, reached through the
/// directory); it does not (it closed or left, and the word was lost with
/// its node), its place goes. Moving, the timer asks again.
void on_place_checked(self_ptr self, const claim_result& r) {
  auto& st = self->state;
  if (r.code == errc::unavailable)
    return;
  auto i = st.checking.find(r.conversation);
  if (i == st.checking.end())
    return;
  auto known_as = std::move(i->second);
  st.checking.erase(i);
  auto w = st.waiters.find(r.conversation);
  if (w == st.waiters.end() || w->second.handle != known_as)
    return; // gone, or entered again: its own actor settles it
  if (r.code == errc::ok) {
    w->second.handle = r.handle;
    return;
  }
  log::info({"queue", st.cfg.id}, "a conversation whose shard moved no "
                                  "longer waits here: its place goes")
    .field("conversation", r.conversation);
  leave(self, r.conversation);
}

void ask_after_place(self_ptr self, const std::string& conversation) {
  auto& st = self->state;
  self
    ->request(st.directory, caf::duration{st.rt->call_patience},
              to_conversation{conversation, waits_in{st.cfg.id}})
    .then([self](claim_result& r) { on_place_checked(self, r); },
          [](caf::error&) {}); // asked again by the places_check_timer
}

void arm_places_check(self_ptr self) {
  auto& st = self->state;
  if (st.places_check_pending || st.checking.empty())
    return;
  st.places_check_pending = true;
  self->delayed_send(self, st.rt->call_patience, places_check_timer{});
}

} // namespace

/// The places in line of conversations of the moved shards are asked
/// after: one known by an actor that may be gone, and one known by none
/// (asked to sleep), whose conversation may have woken on the node that
/// died and closed there. The directory answers for a sleeper from its
/// record.
void on_shards_moved(self_ptr self, const shards_moved& m) {
  auto& st = self->state;
  std::unordered_set<std::uint32_t> moved(m.shards.begin(), m.shards.end());
  for (const auto& [id, w] : st.waiters)
    if (moved.count(engine::cluster::shard_of(id, m.shard_count)) > 0
        && st.checking.insert_or_assign(id, w.handle).second)
      ask_after_place(self, id);
  arm_places_check(self);
}

void on_places_check_timer(self_ptr self) {
  auto& st = self->state;
  st.places_check_pending = false;
  std::erase_if(st.checking, [&](const auto& entry) {
    auto w = st.waiters.find(entry.first);
    return w == st.waiters.end() || w->second.handle != entry.second;
  });
  for (const auto& [id, known_as] : st.checking)
    ask_after_place(self, id);
  arm_places_check(self);
}

} // namespace baton::actors::queue_impl
