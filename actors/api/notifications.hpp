#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "actors/api/rows.hpp"
#include "engine/conversation/events.hpp"

/// Events for users: what a hub hands to the sinks of a user's sessions.
namespace baton::actors {

struct offer_revoked_notice {
  std::string offer;
  engine::offer_end reason = engine::offer_end::timeout;

  friend bool
  operator==(const offer_revoked_notice&, const offer_revoked_notice&)
    = default;
};

struct typing_notice {
  engine::participant from;

  friend bool operator==(const typing_notice&, const typing_notice&) = default;
};

/// `conversation.position`: where the customer's waiting conversation
/// stands in its queue's line.
struct position_notice {
  std::int64_t position = 0;
  /// Seconds; -1 when the queue cannot tell yet.
  std::int64_t estimated_wait_s = -1;

  friend bool operator==(const position_notice&, const position_notice&)
    = default;
};

struct agent_status_notice {
  engine::agent_status status = engine::agent_status::ready;
  std::string reason;

  friend bool operator==(const agent_status_notice&, const agent_status_notice&)
    = default;
};

/// A toast for one user (`notice`): "Transfer request placed successfully".
struct user_notice {
  enum class level : std::uint8_t { info, warning };
  level severity = level::info;
  std::string text;

  friend bool operator==(const user_notice&, const user_notice&) = default;
};

/// `queue.stats`: the `queue.list` rows of a supervisor's queues.
struct queue_stats_notice {
  std::vector<queue_row> queues;

  friend bool operator==(const queue_stats_notice&, const queue_stats_notice&)
    = default;
};

/// The frames a gateway made of one notification, one per audience, so an
/// event is serialised once per audience however many sockets carry it. A
/// copy starts empty, and one assigned to forgets what it had: the frames
/// were of the notification it belonged to before.
class rendered_frames {
public:
  using frame = std::shared_ptr<const std::string>;
  static constexpr std::size_t audiences = 2;

  rendered_frames() = default;
  rendered_frames(const rendered_frames&) {
  }
  rendered_frames& operator=(const rendered_frames&) {
    for (auto& slot : slots_) {
      slot.text.reset();
      slot.state.store(empty, std::memory_order_release);
    }
    return *this;
  }

  /// The frame for `audience`, rendered by `render` on first use (from any
  /// thread); null when that audience must not see it.
  ///
  /// Not std::call_once: glibc ends every first call with a futex wake, a
  /// system call for each event rendered. Two threads rendering one
  /// notification at once is rare; the one that comes second yields until
  /// the first is done.
  template <class Render>
  const frame& get(std::size_t audience, Render&& render) const {
    auto& slot = slots_[audience];
    for (;;) {
      auto seen = slot.state.load(std::memory_order_acquire);
      if (seen == rendered)
        return slot.text;
      if (seen == empty
          && slot.state.compare_exchange_weak(seen, rendering,
                                              std::memory_order_acquire)) {
        try {
          slot.text = render();
        } catch (...) {
          slot.state.store(empty, std::memory_order_release);
          throw;
        }
        slot.state.store(rendered, std::memory_order_release);
        return slot.text;
      }
      std::this_thread::yield();
    }
  }

private:
  enum : std::uint8_t { empty, rendering, rendered };
  struct slot {
    std::atomic<std::uint8_t> state{empty};
    frame text;
  };
  mutable std::array<slot, audiences> slots_;
};

/// An event for users. A hub makes it once and shares it among the sinks of
/// the sessions it is for.
struct notification {
  std::string conversation;
  std::variant<engine::event, offer_notice, offer_revoked_notice,
               agent_status_notice, typing_notice, user_notice,
               queue_stats_notice, conversation_summary, agent_row,
               position_notice>
    body;
  rendered_frames rendered;

  /// The rendered frames are this process's cache: they neither compare
  /// nor travel.
  friend bool operator==(const notification& x, const notification& y) {
    return x.conversation == y.conversation && x.body == y.body;
  }
};

using notification_ptr = std::shared_ptr<const notification>;

/// Where a session receives its user's events. `deliver` runs on an actor's
/// thread: implementations hand off (post to a strand), never block.
class event_sink {
public:
  virtual ~event_sink() = default;
  virtual void deliver(const notification_ptr& n) = 0;
  /// The actor the session was attached to (its user's inbox or agent)
  /// stopped while the session goes on: it went with the directory that
  /// held the user. The session is closed so that its client reconnects and
  /// resumes where the user is held now.
  virtual void reconnect() {
  }
};

using sink_ptr = std::shared_ptr<event_sink>;

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_revoked_notice& x) {
  return f(x.offer, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position_notice& x) {
  return f(x.position, x.estimated_wait_s);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, typing_notice& x) {
  return f(x.from);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_status_notice& x) {
  return f(x.status, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_notice& x) {
  return f(x.severity, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_stats_notice& x) {
  return f(x.queues);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, notification& x) {
  return f(x.conversation, x.body);
}

} // namespace baton::actors
