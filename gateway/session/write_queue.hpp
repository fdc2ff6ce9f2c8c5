#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>

namespace baton::gateway {

/// A session's outgoing frames, bounded in bytes, the one being written
/// included: a client that stops reading fills it and is cut off instead of
/// growing the server's memory, and no frame, however large, slips past the
/// bound. Replies are built within `server.max_frame_bytes`
/// (codec/bounded_reply.hpp), which a bound of at least that size admits.
class write_queue {
public:
  using frame = std::shared_ptr<const std::string>;

  explicit write_queue(std::size_t max_bytes) : max_bytes_(max_bytes) {
  }

  /// False when the frame would pass the limit: the session must close.
  bool push(frame f) {
    if (bytes_ + f->size() > max_bytes_)
      return false;
    bytes_ += f->size();
    frames_.push_back(std::move(f));
    return true;
  }

  bool empty() const noexcept {
    return frames_.empty();
  }
  /// The frame being written (or to be written next).
  const frame& front() const {
    return frames_.front();
  }
  /// The front frame is written.
  void pop() {
    bytes_ -= frames_.front()->size();
    frames_.pop_front();
  }
  /// Bytes of every frame held, the one being written included.
  std::size_t bytes() const noexcept {
    return bytes_;
  }
  std::size_t max_bytes() const noexcept {
    return max_bytes_;
  }

private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::deque<frame> frames_;
};

} // namespace baton::gateway
