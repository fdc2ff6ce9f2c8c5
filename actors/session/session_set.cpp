#include "actors/session/session_set.hpp"

#include <algorithm>

#include "caf/send.hpp"

#include "actors/session/messages.hpp"

namespace baton::actors {

void session_set::add(session_ref session) {
  sessions_.push_back(std::move(session));
}

bool session_set::remove(const session_ref& session) {
  return std::erase(sessions_, session) > 0;
}

bool session_set::remove_hub(const caf::actor_addr& hub) {
  return std::erase_if(sessions_,
                       [&](const session_ref& s) {
                         return s.hub.address() == hub;
                       })
         > 0;
}

void session_set::deliver(const notification& what) const {
  // One copy for every session here: rendered once each.
  notification_ptr shared;
  std::vector<const session_ref*> elsewhere;
  for (const auto& s : sessions_) {
    if (here_) {
      if (!shared)
        shared = std::make_shared<const notification>(what);
      if (here_->deliver(s, shared))
        continue;
    }
    elsewhere.push_back(&s);
  }
  // A user has one session, or a few on one node: a short walk beats a map.
  std::vector<const session_hub_actor*> hubs;
  for (const auto* s : elsewhere)
    if (std::find_if(hubs.begin(), hubs.end(),
                     [&](const session_hub_actor* h) { return *h == s->hub; })
        == hubs.end())
      hubs.push_back(&s->hub);
  for (const auto* hub : hubs) {
    session_event event{{}, what};
    for (const auto* s : elsewhere)
      if (s->hub == *hub)
        event.sessions.push_back(s->session);
    caf::anon_send(*hub, std::move(event));
  }
}

} // namespace baton::actors
