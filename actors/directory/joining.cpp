// How directories sharing the shards learn of each other (docs/cluster.md,
// "Joining"): the table of holders comes from outside (a node's lease
// keeper, a test), versioned; the queues and agents each runs, and its
// supervision, it tells the others itself whenever they change, with the
// table.
#include "actors/directory/state.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/directory/same_handle.hpp"
#include "actors/supervision/messages.hpp"
#include "log/log.hpp"

namespace baton::actors::directory_impl {

namespace {

/// Whether the table names `from` for `id`: handles are learnt from their
/// holder only, so a late word from one that held them before cannot bring
/// back a handle that went.
bool held_by(const directory_state& st, std::string_view id,
             const caf::actor_addr& from) {
  if (st.holders.empty())
    return false;
  const auto& holder
    = st.holders[engine::cluster::shard_of(id, st.shards.count())];
  return caf::actor_cast<caf::actor_addr>(holder) == from;
}

/// Adds the handles `from` tells of the ids it holds. One known by another
/// handle before started anew (its shard moved): it goes to `moved` too.
template <class Handle>
void learn(directory_state& st, const caf::actor_addr& from,
           std::unordered_map<std::string, Handle>& table,
           const std::vector<std::pair<std::string, Handle>>& handles,
           members_moved& moved) {
  for (const auto& [id, handle] : handles) {
    if (st.shards.holds(id) || !held_by(st, id, from))
      continue;
    st.recovering.awaited.erase(id);
    auto [i, fresh] = table.try_emplace(id, handle);
    // The same actor under another handle: the one before came over a
    // link that broke, the new one is live.
    if (!fresh && !same_handle(i->second, handle)) {
      note_moved(moved, id, i->second, handle);
      i->second = handle;
    }
  }
}

template <class Handle>
std::vector<std::pair<std::string, Handle>>
own(const directory_state& st,
    const std::unordered_map<std::string, Handle>& table) {
  std::vector<std::pair<std::string, Handle>> out;
  for (const auto& [id, handle] : table)
    if (st.shards.holds(id))
      out.emplace_back(id, handle);
  return out;
}

directory_roster own_roster(const directory_state& st) {
  return {own(st, st.queues), own(st, st.agents), st.rt->supervision};
}

void tell_supervision_its_peers(self_ptr self) {
  const auto& st = self->state;
  supervision_peers peers;
  for (const auto& [from, supervision] : st.peer_supervisions)
    peers.peers.push_back(supervision);
  self->send(st.rt->supervision, std::move(peers));
}

/// The supervision of `from`, a directory the table names: kept, and told
/// to this one's supervision when new. A join from one the table does not
/// name yet is not kept; its supervision comes again with its roster.
void learn_supervision(self_ptr self, const caf::actor_addr& from,
                       const supervision_actor& supervision) {
  auto& st = self->state;
  // No sender: its link closed before its message was read.
  if (!supervision || !from || st.holders_watched.count(from) == 0)
    return;
  auto [known, fresh] = st.peer_supervisions.try_emplace(from, supervision);
  if (!fresh && known->second == supervision)
    return;
  known->second = supervision;
  tell_supervision_its_peers(self);
}

/// The shards a table gives this directory that it does not hold yet; none
/// when the table does not fit: it must name this directory for every shard
/// it holds (giving one up is its own: giving_up.cpp) and a directory for
/// every other, or it sends ids to the wrong holder, or back here for ever.
/// A shard given up that the table names this directory for as it was is
/// not given: the table was read before the shard was freed.
std::optional<std::vector<std::uint32_t>>
shards_given(self_ptr self, const join_directories& j) {
  const auto& shards = self->state.shards;
  const auto& holders = j.holders;
  if (holders.size() != shards.count())
    return std::nullopt;
  std::vector<std::uint32_t> given;
  for (std::uint32_t s = 0; s < holders.size(); ++s) {
    bool mine = holders[s] == self;
    if (!holders[s] || (shards.holds_shard(s) && !mine))
      return std::nullopt;
    if (mine && !shards.holds_shard(s)
        && !still_moving(self, s, holders[s], j.epochs))
      given.push_back(s);
  }
  return given;
}

/// The queues and agents that `holders` names another directory for than
/// `before` did (every other directory's at the first table): awaited until
/// that directory tells their handles, so no conversation restored meanwhile
/// enters a queue that stopped.
void await_moved_members(self_ptr self,
                         const std::vector<directory_actor>& before) {
  auto& st = self->state;
  auto count = st.shards.count();
  auto& awaited = st.recovering.awaited;
  auto note = [&](const std::string& id) {
    auto s = engine::cluster::shard_of(id, count);
    if (st.holders[s] == self)
      awaited.erase(id);
    else if (before.empty() || before[s] != st.holders[s])
      awaited.insert(id);
  };
  for (const auto& q : st.rt->cfg->queues)
    note(q.id);
  for (const auto& a : st.rt->cfg->agents)
    note(a.id);
}

/// The table this directory has, told again: a holder it saw go down with
/// its link (CAF 0.17 drops every handle of a node whose last link goes)
/// comes back under the handle told now, when that handle was made over a
/// live link: the teller's (`from` none: it reached that node again) or
/// the holder's own. Not one another directory passes on: CAF would route
/// through that node to one it may not reach either, and such a handle
/// never says it is down. Watched anew (one still down says so at once);
/// the directories revived, to ask for their rosters.
std::vector<directory_actor>
revive_holders(self_ptr self, const std::vector<directory_actor>& told,
               const caf::actor_addr& from) {
  auto& st = self->state;
  std::vector<directory_actor> revived;
  for (std::size_t s = 0; s < told.size(); ++s) {
    if (st.holders_down.count(st.holders[s].address()) == 0
        || (from && from.node() != told[s].node()))
      continue;
    st.holders[s] = told[s];
    if (std::find(revived.begin(), revived.end(), told[s]) == revived.end())
      revived.push_back(told[s]);
  }
  if (revived.empty())
    return revived;
  for (const auto& holder : revived)
    st.holders_down.erase(holder.address());
  watch_holders(self);
  log::info("cluster: a directory holding shards is reached again; what is "
            "for them goes to it")
    .field("directories", static_cast<std::uint64_t>(revived.size()));
  return revived;
}

/// A newer table than this directory's replaces it, taking over the shards
/// it gives, and brings their open conversations back; whether it did. The
/// same table again revives the holders in it seen down (`revived`).
bool take_table(self_ptr self, join_directories& j, members_moved& moved,
                const caf::actor_addr& from,
                std::vector<directory_actor>& revived) {
  auto& st = self->state;
  if (!st.shards.spread() || j.holders.empty()
      || j.version < st.holders_version)
    return false;
  if (j.version == 0) {
    log::error("join refused: its table has no version");
    return false;
  }
  if (j.version == st.holders_version) {
    if (j.holders != st.holders)
      log::error("join refused: another table of the same version")
        .field("version", j.version);
    else
      revived = revive_holders(self, j.holders, from);
    return false;
  }
  auto given = shards_given(self, j);
  if (!given) {
    log::error("join refused: its table does not match this directory's "
               "shards")
      .field("shards", static_cast<std::uint64_t>(st.shards.count()))
      .field("table", static_cast<std::uint64_t>(j.holders.size()))
      .field("version", j.version);
    return false;
  }
  auto before = std::exchange(st.holders, std::move(j.holders));
  st.holders_version = j.version;
  st.holders_epochs = j.epochs.size() == st.holders.size()
                        ? std::move(j.epochs)
                        : std::vector<std::uint64_t>{};
  settle_moving(self);
  watch_holders(self);
  await_moved_members(self, before);
  take_shards(self, *given, moved);
  tell_members_of_moved_shards(self, before);
  let_go_holds_of_moved_conversations(self);
  on_recover_shards(self, *given);
  return true;
}

/// The handles of agents `from` holds that its roster no longer names and
/// this directory's configuration does not list: a reload removed them,
/// and they stopped there. One it still runs (he has a conversation open)
/// stays known, for recovery to hand his conversations back to him.
void forget_stopped_agents(directory_state& st, const caf::actor_addr& from,
                           const agent_handles& told) {
  const auto& c = *st.rt->cfg;
  std::vector<std::string> unlisted;
  for (const auto& [id, handle] : st.agents)
    if (!st.shards.holds(id) && c.find_agent(id) == nullptr
        && held_by(st, id, from))
      unlisted.push_back(id);
  if (unlisted.empty())
    return; // as almost always: no reload removed an agent of `from`'s
  std::unordered_set<std::string_view> running;
  for (const auto& entry : told)
    running.insert(entry.first);
  for (const auto& id : unlisted)
    if (running.count(id) == 0)
      st.agents.erase(id);
}

/// Learns what `from` runs; whether this directory's own agents started
/// now (every queue is known).
bool learn_roster(self_ptr self, const caf::actor_addr& from,
                  const queue_handles& queues, const agent_handles& agents,
                  members_moved& moved) {
  auto& st = self->state;
  learn(st, from, st.queues, queues, moved);
  bool started = start_agents_once_queues_known(self);
  started = start_agents_whose_queues_are_known(self) || started;
  learn(st, from, st.agents, agents, moved);
  forget_stopped_agents(st, from, agents);
  if (!st.holders.empty() && st.agents_started
      && st.agents.size() >= st.rt->cfg->agents.size())
    st.roster_complete = true;
  return started;
}

void tell_roster_to(self_ptr self, const directory_actor& other);

/// `from`'s answer to this directory's roster: its own, learnt; a change
/// of this one's that follows (its agents started) is told in turn.
void on_roster(self_ptr self, const caf::actor_addr& from,
               const directory_roster& r) {
  learn_supervision(self, from, r.supervision);
  members_moved moved;
  bool changed = learn_roster(self, from, r.queues, r.agents, moved);
  tell_moved(self, moved);
  if (changed)
    tell_roster(self);
  restore_when_ready(self);
  follow_moved_users(self);
}

/// `other` hears this directory's table and roster as they are now. Not
/// answered in time (slow, not down), it is asked again while the table
/// names it through this very handle: an answer after the timeout is
/// dropped, and without it this directory might never learn the other's
/// queues. A handle from a link since closed equals the one a new link
/// brought, which is asked on its own: this one, dead, is let go.
void tell_roster_to(self_ptr self, const directory_actor& other) {
  auto& st = self->state;
  auto mine = own_roster(st);
  auto from = caf::actor_cast<caf::actor_addr>(other);
  self
    ->request(other, holder_patience,
              join_directories{st.holders, st.holders_version,
                               std::move(mine.queues), std::move(mine.agents),
                               st.holders_epochs, st.rt->supervision})
    .then([self, from](directory_roster& r) { on_roster(self, from, r); },
          [self, other](const caf::error& e) {
            const auto& holders = self->state.holders;
            if (e == caf::sec::request_timeout
                && std::any_of(holders.begin(), holders.end(),
                               [&](const directory_actor& h) {
                                 return same_handle(h, other);
                               }))
              tell_roster_to(self, other);
          });
}

} // namespace

void forget_unwatched_supervisions(self_ptr self) {
  auto& st = self->state;
  auto gone = std::erase_if(st.peer_supervisions, [&](const auto& peer) {
    return st.holders_watched.count(peer.first) == 0;
  });
  if (gone > 0)
    tell_supervision_its_peers(self);
}

void tell_roster(self_ptr self) {
  const auto& holders = self->state.holders;
  std::vector<directory_actor> others;
  for (const auto& holder : holders)
    if (holder != self
        && std::find(others.begin(), others.end(), holder) == others.end())
      others.push_back(holder);
  for (const auto& other : others)
    tell_roster_to(self, other);
}

directory_roster on_join(self_ptr self, join_directories& j) {
  auto from = caf::actor_cast<caf::actor_addr>(self->current_sender());
  members_moved moved;
  std::vector<directory_actor> revived;
  bool changed = take_table(self, j, moved, from, revived);
  learn_supervision(self, from, j.supervision);
  changed = learn_roster(self, from, j.queues, j.agents, moved) || changed;
  tell_moved(self, moved);
  if (changed)
    tell_roster(self);
  else
    for (const auto& holder : revived)
      tell_roster_to(self, holder);
  restore_when_ready(self);
  // A holder that took a newer table tells its roster: what it could not
  // give before, it may now.
  follow_moved_users(self);
  return own_roster(self->state);
}

} // namespace baton::actors::directory_impl
