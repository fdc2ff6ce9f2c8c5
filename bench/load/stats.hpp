#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

#include "bench/load/histogram.hpp"

/// What one load-generator thread counts. Written by that thread only,
/// read by the progress line and the report (relaxed atomics, no locks).
namespace baton::bench {

/// The protocol's error codes, then what the generator itself runs into.
enum class error_kind : std::uint8_t {
  bad_request,
  unauthorized,
  forbidden,
  not_found,
  conflict,
  invalid_state,
  rate_limited,
  unavailable,
  internal,
  other_code, ///< an error code this generator does not know
  connect,    ///< TCP connect or WebSocket handshake failed
  closed,     ///< the server closed a session in the middle of its work
  timeout,    ///< a conversation made no progress for conversation_timeout
  no_agents,  ///< conversation.no_agents
  /// open loop: an arrival waited for one of the `concurrency` slots
  /// until the end and never started
  not_started,
  count_
};

inline constexpr std::size_t error_kinds
  = static_cast<std::size_t>(error_kind::count_);

std::string_view to_string(error_kind k) noexcept;
error_kind error_from_code(std::string_view code) noexcept;

class counter {
public:
  void add(std::uint64_t n = 1) noexcept {
    v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::uint64_t get() const noexcept {
    return v_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<std::uint64_t> v_{0};
};

struct load_stats {
  counter started;       ///< conversation.start sent
  counter routed;        ///< the customer saw its first agent join
  counter finished;      ///< conversations ended, however
  counter messages;      ///< `message` events received from the other side
  counter frames_out;    ///< every frame the generator sent
  counter frames_in;     ///< every frame it received
  counter agents_ready;  ///< agent sessions that are ready
  counter sessions_open; ///< sessions past hello (idle_sessions mode)
  counter transfers_ok;
  counter conferences_ok;
  counter whispers_ok;
  /// Agents' answers refused because the customer closed meanwhile.
  counter late_answers;
  /// Agents' accepts refused because the offer ended first.
  counter offers_lost;
  counter supervisors_subscribed;
  counter supervisor_events; ///< queue.stats, conversation.updated, ...
  // The history flood: its rate_limited answers are counted here, not in
  // `errors`, and so are its not_found answers, which are what it expects.
  counter history_sessions_ready; ///< flood sessions past hello
  counter history_sent;
  counter history_answered; ///< every reply, whatever it said
  counter history_not_found;
  counter history_rate_limited;
  std::array<counter, error_kinds> errors;
  /// ns: the customer's arrival (its intended time, open loop) → the
  /// agent joined. Includes connecting, `hello` and any wait for a slot.
  histogram route_latency;
  /// ns: the customer's arrival → its `hello` answered.
  histogram setup_latency;
  /// ns: arrivals that never started: their arrival → the end of the run.
  histogram unstarted_wait;
  /// ns: |the queue's first estimated_wait_s − the route latency|, for the
  /// routes that had an estimate.
  histogram estimate_error;
  histogram message_latency; ///< ns: message.send due → the other side has it
  histogram ack_latency;     ///< ns: message.send due → its ok
  histogram history_latency; ///< ns: history read due → its reply (but
                             ///< rate_limited ones)

  void error(error_kind k) noexcept {
    errors[static_cast<std::size_t>(k)].add();
  }
};

} // namespace baton::bench
