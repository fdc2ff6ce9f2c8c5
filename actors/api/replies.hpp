#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "actors/api/rows.hpp"
#include "engine/conversation/events.hpp"
#include "engine/conversation/explain.hpp"
#include "engine/errc.hpp"

/// What the routing core answers: one body type per shape of `ok` in
/// docs/protocol.md ("The replies at a glance"), so a reply says by itself
/// how it is written on the wire.
namespace baton::actors {

/// `ok` and nothing more: `typing`, `conversation.close`, `agent.status`,
/// `offer.reject`, `supervise.subscribe`.
struct acknowledged {
  friend bool operator==(const acknowledged&, const acknowledged&) = default;
};

/// `conversation.start`, `offer.accept`, `waitlist.pick`: the conversation
/// the caller now holds.
struct opened {
  std::string conversation;

  friend bool operator==(const opened&, const opened&) = default;
};

/// `message.send`, `whisper.send`, and the verbs that change a conversation
/// in place (resume, request_other, consent, leave, takeover, monitor,
/// handoff): the conversation's last `seq` after the request.
struct appended {
  std::string conversation;
  std::uint64_t seq = 0;

  friend bool operator==(const appended&, const appended&) = default;
};

/// `waitlist.list`: the longest waiting first.
struct waiting_list {
  std::vector<waiting_entry> entries;
  bool more = false; ///< cut at the request's limit or to fit a frame

  friend bool operator==(const waiting_list&, const waiting_list&) = default;
};

/// `conversation.list`, oldest first.
struct conversation_list {
  std::vector<conversation_summary> conversations;
  bool more = false; ///< cut to fit a frame

  friend bool operator==(const conversation_list&, const conversation_list&)
    = default;
};

/// `conversation.history`: one page, oldest first.
struct history_page {
  std::string conversation;
  std::vector<engine::event> events;
  bool more = false; ///< more beyond the page's limit, or cut to fit
  /// Read backwards (`before_seq`): a page cut to fit keeps its newest.
  bool backwards = false;

  friend bool operator==(const history_page&, const history_page&) = default;
};

/// `conversation.explain`: its routing steps, oldest first.
struct explanation {
  std::string conversation;
  std::vector<engine::routing_step> steps;
  bool more = false; ///< cut to fit a frame

  friend bool operator==(const explanation&, const explanation&) = default;
};

/// `queue.list`, by queue id.
struct queue_list {
  std::vector<queue_row> queues;
  bool more = false; ///< cut to fit a frame

  friend bool operator==(const queue_list&, const queue_list&) = default;
};

/// `agent.list`, by agent id.
struct agent_list {
  std::vector<agent_row> agents;
  bool more = false; ///< more agents after these: past the limit, or cut

  friend bool operator==(const agent_list&, const agent_list&) = default;
};

/// What a transfer-like verb placed; the field its id goes out in.
enum class placement : std::uint8_t {
  transfer,   ///< `transfer.request`, `conversation.unassign`
  conference, ///< `conference.request`
  assign,     ///< `conversation.assign`
};

/// A transfer, a conference or an assignment placed, by its id.
struct placed {
  std::string conversation;
  placement kind = placement::transfer;
  std::string id;

  friend bool operator==(const placed&, const placed&) = default;
};

/// `GET /v1/attribution`: the agent credited; empty when nobody is.
struct credited {
  std::string agent;

  friend bool operator==(const credited&, const credited&) = default;
};

/// `hello`: the user's open conversations and, for an agent, its open
/// offers, each with its conversation.
struct welcome {
  std::vector<conversation_summary> conversations;
  std::vector<std::pair<std::string, offer_notice>> offers;

  friend bool operator==(const welcome&, const welcome&) = default;
};

using reply_body
  = std::variant<acknowledged, opened, appended, waiting_list,
                 conversation_list, history_page, queue_list, agent_list,
                 placed, credited, welcome, explanation>;

/// One reply per request: `ok` with its verb's body, or an error code with a
/// message for people (and an `acknowledged` body).
struct reply {
  engine::errc code = engine::errc::ok;
  std::string message;
  reply_body body;

  reply() = default;
  // A body is a reply; the constraint keeps copies and moves of a reply
  // away from this constructor.
  // NOLINTBEGIN(bugprone-forwarding-reference-overload)
  template <class Body>
  requires(!std::same_as<std::remove_cvref_t<Body>, reply>)
    && std::is_constructible_v<reply_body, Body&&> reply(Body&& b)
    : body(std::forward<Body>(b)) {
  }
  // NOLINTEND(bugprone-forwarding-reference-overload)

  bool ok() const noexcept {
    return code == engine::errc::ok;
  }
  /// The body as a `Body`: throws `std::bad_variant_access` when it is
  /// another (an error's is `acknowledged`).
  template <class Body>
  const Body& as() const& {
    return std::get<Body>(body);
  }
  /// Of a temporary reply, the body itself: a loop over
  /// `call(...).as<agent_list>().agents` must not outlive the reply.
  template <class Body>
  Body as() && {
    return std::get<Body>(std::move(body));
  }
  static reply error(engine::errc code, std::string message) {
    reply r;
    r.code = code;
    r.message = std::move(message);
    return r;
  }

  friend bool operator==(const reply&, const reply&) = default;
};

/// Called once, on the hub's thread (actors/session/hub.hpp): post, don't
/// work, inside it.
using reply_fn = std::function<void(const reply&)>;

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, acknowledged&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, opened& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, appended& x) {
  return f(x.conversation, x.seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, waiting_list& x) {
  return f(x.entries, x.more);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_list& x) {
  return f(x.conversations, x.more);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, history_page& x) {
  return f(x.conversation, x.events, x.more, x.backwards);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, explanation& x) {
  return f(x.conversation, x.steps, x.more);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_list& x) {
  return f(x.queues, x.more);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_list& x) {
  return f(x.agents, x.more);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, placed& x) {
  return f(x.conversation, x.kind, x.id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, credited& x) {
  return f(x.agent);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, welcome& x) {
  return f(x.conversations, x.offers);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reply& x) {
  return f(x.code, x.message, x.body);
}

} // namespace baton::actors
