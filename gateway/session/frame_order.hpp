#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace baton::gateway {

/// The order in which a session's frames leave (docs/protocol.md, "Order"):
/// replies in the order the requests came, and no event before the replies
/// to the requests that came before it. Requests go to different actors and
/// their replies and events come back in any order; without this an event a
/// request caused (the `agent.status` of `agent.status`, the `message` of a
/// send) would overtake that request's reply, and a client could not take
/// the next frame after a request as its reply.
class frame_order {
public:
  using frame = std::shared_ptr<const std::string>;
  using ticket = std::uint64_t;

  /// Called for each request, in arrival order.
  ticket take() noexcept {
    return next_ticket_++;
  }

  /// A reply is ready; `write` gets every frame now due, in order.
  template <class Write>
  void complete(ticket t, frame reply, Write&& write) {
    if (t != next_due_) {
      held_bytes_ += reply->size();
      replies_.emplace(t, std::move(reply));
      return;
    }
    write(std::move(reply));
    ++next_due_;
    release(write);
  }

  /// An event came. It may have been caused by any request taken so far, so
  /// it waits for their replies; with none owed it leaves at once.
  template <class Write>
  void event(frame e, Write&& write) {
    if (next_due_ == next_ticket_)
      return write(std::move(e));
    held_bytes_ += e->size();
    events_.emplace_back(next_ticket_, std::move(e));
  }

  /// Replies still owed.
  std::size_t outstanding() const noexcept {
    return next_ticket_ - next_due_;
  }

  /// Bytes of the replies and events waiting for earlier replies: they
  /// count against the session's write bound like the frames queued for
  /// the socket.
  std::size_t held_bytes() const noexcept {
    return held_bytes_;
  }

private:
  /// Writes, in order, the held events and replies that are now due.
  template <class Write>
  void release(Write& write) {
    for (;;) {
      while (!events_.empty() && events_.front().first <= next_due_) {
        held_bytes_ -= events_.front().second->size();
        write(std::move(events_.front().second));
        events_.pop_front();
      }
      auto next = replies_.find(next_due_);
      if (next == replies_.end())
        return;
      held_bytes_ -= next->second->size();
      write(std::move(next->second));
      replies_.erase(next);
      ++next_due_;
    }
  }

  ticket next_ticket_ = 0;
  ticket next_due_ = 0;
  std::map<ticket, frame> replies_;
  /// Each with the first ticket taken after it came: it leaves once every
  /// reply before that ticket has.
  std::deque<std::pair<ticket, frame>> events_;
  std::size_t held_bytes_ = 0;
};

} // namespace baton::gateway
