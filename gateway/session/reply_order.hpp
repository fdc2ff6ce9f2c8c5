#pragma once

#include <cstdint>
#include <map>
#include <utility>

namespace baton::gateway {

/// Puts replies back in request order. Requests go to different actors and
/// their replies come back in any order; the protocol promises them in the
/// order the requests were sent on the socket.
template <class Frame>
class reply_order {
public:
  using ticket = std::uint64_t;

  /// Called for each request, in arrival order.
  ticket take() noexcept {
    return next_ticket_++;
  }

  /// A reply is ready; `write` gets every reply now due, in order.
  template <class Write>
  void complete(ticket t, Frame frame, Write&& write) {
    if (t != next_due_) {
      held_.emplace(t, std::move(frame));
      return;
    }
    write(std::move(frame));
    ++next_due_;
    for (auto i = held_.begin(); i != held_.end() && i->first == next_due_;
         i = held_.erase(i), ++next_due_)
      write(std::move(i->second));
  }

  /// Replies still owed.
  std::size_t outstanding() const noexcept {
    return next_ticket_ - next_due_;
  }

private:
  ticket next_ticket_ = 0;
  ticket next_due_ = 0;
  std::map<ticket, Frame> held_;
};

} // namespace baton::gateway
