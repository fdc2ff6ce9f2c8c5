// Subscriptions shared with the supervision of the other directories
// sharing the shards (docs/cluster.md, "Supervision across nodes"): each
// hears every subscription made here, so a supervisor sees what every
// node's agents and conversations report, each from where it runs.
#include "actors/supervision/state.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/supervision/messages.hpp"

namespace baton::actors::supervision_impl {

namespace {

subscriptions_shared made_here(const supervision_state& st) {
  subscriptions_shared out;
  for (const auto& [inbox, s] : st.subscriptions)
    out.subscriptions.emplace_back(s.inbox, s.queues);
  return out;
}

} // namespace

void watch_inbox(self_ptr self, const inbox_actor& inbox) {
  if (self->state.watched.insert(inbox.address()).second)
    self->monitor(inbox);
}

void share_subscriptions(self_ptr self) {
  const auto& st = self->state;
  if (st.peers.empty())
    return;
  auto all = made_here(st);
  for (const auto& peer : st.peers)
    self->send(peer, all);
}

void on_shared(self_ptr self, subscriptions_shared& s) {
  auto& st = self->state;
  auto peer = caf::actor_cast<caf::actor_addr>(self->current_sender());
  if (!peer)
    return; // its link closed before this was read: whose, nobody knows
  if (s.subscriptions.empty()) {
    st.shared.erase(peer);
    return;
  }
  auto& from_peer = st.shared[peer];
  from_peer.clear();
  for (auto& [inbox, queues] : s.subscriptions) {
    watch_inbox(self, inbox);
    std::ranges::sort(queues);
    auto address = inbox.address();
    from_peer.insert_or_assign(address, subscription{std::move(inbox),
                                                     std::move(queues)});
  }
}

void on_peers(self_ptr self, supervision_peers& p) {
  auto& st = self->state;
  std::vector<supervision_actor> fresh;
  for (const auto& peer : p.peers)
    if (std::find(st.peers.begin(), st.peers.end(), peer) == st.peers.end())
      fresh.push_back(peer);
  st.peers = std::move(p.peers);
  if (fresh.empty())
    return;
  // Empty too: what it holds from here may have ended meanwhile.
  auto all = made_here(st);
  for (const auto& peer : fresh)
    self->send(peer, all);
}

void on_inbox_down(self_ptr self, const caf::actor_addr& inbox) {
  auto& st = self->state;
  if (st.watched.erase(inbox) == 0)
    return;
  for (auto i = st.shared.begin(); i != st.shared.end();) {
    i->second.erase(inbox);
    i = i->second.empty() ? st.shared.erase(i) : std::next(i);
  }
  if (st.subscriptions.erase(inbox) > 0)
    share_subscriptions(self);
}

} // namespace baton::actors::supervision_impl
