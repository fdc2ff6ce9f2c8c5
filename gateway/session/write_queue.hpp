#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>

namespace baton::gateway {

/// A session's outgoing frames, bounded in bytes: a client that stops
/// reading fills it, and is cut off instead of growing the server's memory.
/// The frame at the front is the one being written; it does not count, so a
/// burst to a client that reads is not taken for one that does not.
class write_queue {
public:
  using frame = std::shared_ptr<const std::string>;

  explicit write_queue(std::size_t max_bytes) : max_bytes_(max_bytes) {
  }

  /// False when the frame would pass the limit: the session must close.
  bool push(frame f) {
    if (frames_.empty()) {
      frames_.push_back(std::move(f));
      return true;
    }
    if (bytes_ + f->size() > max_bytes_)
      return false;
    bytes_ += f->size();
    frames_.push_back(std::move(f));
    return true;
  }

  bool empty() const noexcept {
    return frames_.empty();
  }
  const frame& front() const {
    return frames_.front();
  }
  /// The front frame is written: the next one starts being written.
  void pop() {
    frames_.pop_front();
    if (!frames_.empty())
      bytes_ -= frames_.front()->size();
  }
  /// Bytes waiting behind the frame being written.
  std::size_t bytes() const noexcept {
    return bytes_;
  }

private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::deque<frame> frames_;
};

} // namespace baton::gateway
