#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>

/// The history flood (`--history-flood`): customer sessions that ask for
/// the history of conversation ids nobody holds, so every request goes to
/// the server's store reader and is answered not_found. What is decided
/// here, without sockets: the ids, and when each read is due.
namespace baton::bench {

/// "c-" and 30 Crockford base32 digits: the shape of the server's
/// conversation ids (engine/ids.hpp), but drawn at random, so none exists.
std::string random_conversation_id(std::mt19937_64& rng);

/// When one session sends its reads. With a rate, read k is due at
/// start + k / rate, and goes when it is due and fewer than `window` are
/// unanswered; a read held back by the window keeps its due time, so its
/// latency counts from when it should have gone. Without a rate (0), a read
/// goes whenever a slot is free, due at once.
class read_pacer {
public:
  read_pacer(double rate_per_s, int window) noexcept;

  void start(std::uint64_t now_ns) noexcept;

  /// The due time of the next read, when it may go at `now_ns`; it then
  /// counts as sent and unanswered.
  std::optional<std::uint64_t> take(std::uint64_t now_ns) noexcept;

  /// A reply came: one read fewer unanswered.
  void answered() noexcept;

  /// When the next read falls due, for a timer: nothing when unpaced or
  /// when the window is full (an answer frees it).
  std::optional<std::uint64_t> next_due() const noexcept;

  int unanswered() const noexcept {
    return unanswered_;
  }
  std::uint64_t sent() const noexcept {
    return sent_;
  }

private:
  std::uint64_t due(std::uint64_t k) const noexcept;

  double interval_ns_; ///< 0: unpaced
  int window_;
  std::uint64_t start_ns_ = 0;
  std::uint64_t sent_ = 0;
  int unanswered_ = 0;
};

} // namespace baton::bench
