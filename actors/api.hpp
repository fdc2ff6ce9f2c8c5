#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/conversation/events.hpp"
#include "engine/errc.hpp"
#include "engine/types.hpp"

namespace caf {
class actor;
class actor_system;
} // namespace caf

namespace baton::engine::config {
struct config;
} // namespace baton::engine::config

namespace baton::engine::storage {
class store;
} // namespace baton::engine::storage

/// The in-process API of the routing core: what the gateway calls. Typed
/// requests go in, exactly one reply comes back per request, and events reach
/// each connected user through its sinks. CAF only by name in this header.
namespace baton::actors {

struct routing_metrics;

/// Who is asking: the authenticated user of a session.
struct caller {
  std::string user;
  engine::role role = engine::role::customer;
  std::string name;

  friend bool operator==(const caller&, const caller&) = default;
};

// -- requests
// ------------------------------------------------------------------

struct start_conversation {
  engine::channel channel = engine::channel::web;
  std::string queue;
  std::string topic;
  std::string text;
  /// A direct conversation with this member (see "Absence").
  std::string agent;
  /// A bot starts for this customer.
  std::string customer;
  /// The customer's display name (`attributes.name`).
  std::string customer_name;

  friend bool operator==(const start_conversation&, const start_conversation&)
    = default;
};

struct send_message {
  std::string conversation;
  std::string text;
  std::string client_msg_id;

  friend bool operator==(const send_message&, const send_message&) = default;
};

/// An agent-only message: agents, supervisors and bots in the conversation
/// see it, the customer never does, not even in history.
struct send_whisper {
  std::string conversation;
  std::string text;

  friend bool operator==(const send_whisper&, const send_whisper&) = default;
};

struct close_conversation {
  std::string conversation;
  std::string wrap_up;

  friend bool operator==(const close_conversation&, const close_conversation&)
    = default;
};

struct set_agent_status {
  engine::agent_status status = engine::agent_status::ready;
  std::string reason;

  friend bool operator==(const set_agent_status&, const set_agent_status&)
    = default;
};

struct accept_offer {
  std::string offer;

  friend bool operator==(const accept_offer&, const accept_offer&) = default;
};

struct reject_offer {
  std::string offer;
  std::string reason;

  friend bool operator==(const reject_offer&, const reject_offer&) = default;
};

struct list_waiting {
  std::string queue; ///< empty: every queue of the agent

  friend bool operator==(const list_waiting&, const list_waiting&) = default;
};

struct pick_waiting {
  std::string conversation;

  friend bool operator==(const pick_waiting&, const pick_waiting&) = default;
};

struct send_typing {
  std::string conversation;

  friend bool operator==(const send_typing&, const send_typing&) = default;
};

struct list_conversations {
  /// Only conversations in this state; none: the open ones.
  std::optional<engine::conversation_state> state;

  friend bool operator==(const list_conversations&, const list_conversations&)
    = default;
};

struct conversation_history {
  std::string conversation;
  std::optional<std::uint64_t> after_seq;
  std::optional<std::uint64_t> before_seq;
  std::uint32_t limit = 50; ///< at most 500

  friend bool
  operator==(const conversation_history&, const conversation_history&)
    = default;
};

struct list_queues {
  friend bool operator==(const list_queues&, const list_queues&) = default;
};

/// `transfer.request` and `conference.request`; exactly one target.
struct request_transfer {
  std::string conversation;
  engine::offer_kind kind = engine::offer_kind::transfer;
  std::string to_queue;
  std::string to_agent;
  std::string topic; ///< the reason
  std::string note;
  engine::transfer_mode mode = engine::transfer_mode::cold;

  friend bool operator==(const request_transfer&, const request_transfer&)
    = default;
};

struct answer_consent {
  std::string conversation;
  std::string transfer;
  bool accept = false;

  friend bool operator==(const answer_consent&, const answer_consent&)
    = default;
};

struct leave_conversation {
  std::string conversation;

  friend bool operator==(const leave_conversation&, const leave_conversation&)
    = default;
};

/// The caller becomes the assignee; `text`, when given, is sent as the
/// caller ("takeover and send").
struct take_over {
  std::string conversation;
  std::string text;

  friend bool operator==(const take_over&, const take_over&) = default;
};

/// A supervisor gives a waiting conversation to one agent.
struct assign_conversation {
  std::string conversation;
  std::string agent;

  friend bool operator==(const assign_conversation&, const assign_conversation&)
    = default;
};

/// A supervisor removes the assignee and transfers, cold.
struct unassign_conversation {
  std::string conversation;
  std::string to_queue;
  std::string to_agent;
  std::string topic;
  std::string note;

  friend bool
  operator==(const unassign_conversation&, const unassign_conversation&)
    = default;
};

/// Silent listening: every event, whispers included; nobody is told.
struct monitor_conversation {
  std::string conversation;

  friend bool
  operator==(const monitor_conversation&, const monitor_conversation&)
    = default;
};

struct resume_conversation {
  std::string conversation;

  friend bool operator==(const resume_conversation&, const resume_conversation&)
    = default;
};

/// A bot hands its conversation to human routing.
struct hand_off {
  std::string conversation;
  std::string queue;
  std::string topic;
  std::string summary;

  friend bool operator==(const hand_off&, const hand_off&) = default;
};

/// After `agent.absent`: anyone of the queue will do.
struct request_other {
  std::string conversation;

  friend bool operator==(const request_other&, const request_other&) = default;
};

struct list_agents {
  std::string queue; ///< empty: every agent

  friend bool operator==(const list_agents&, const list_agents&) = default;
};

/// A supervisor's dashboard: `queue.stats`, `conversation.updated` and
/// `agent.updated` events for these queues until the user's last session
/// closes.
struct supervise_subscribe {
  std::vector<std::string> queues; ///< empty: every queue

  friend bool operator==(const supervise_subscribe&, const supervise_subscribe&)
    = default;
};

/// `GET /v1/attribution`: the agent to credit with an order `customer`
/// placed at `at` (docs/protocol.md, "The HTTP side"). HTTP only.
struct attribution_query {
  std::string customer;
  engine::time_ms at = 0;

  friend bool operator==(const attribution_query&, const attribution_query&)
    = default;
};

using request = std::variant<
  start_conversation, send_message, close_conversation, set_agent_status,
  accept_offer, reject_offer, list_waiting, pick_waiting, send_typing,
  list_conversations, conversation_history, list_queues, list_agents,
  send_whisper, supervise_subscribe, attribution_query, request_transfer,
  answer_consent, leave_conversation, take_over, assign_conversation,
  unassign_conversation, monitor_conversation, resume_conversation, hand_off,
  request_other>;

// -- replies
// -------------------------------------------------------------------

struct waiting_entry {
  std::string conversation;
  std::string queue;
  std::string topic;
  engine::channel channel = engine::channel::web;
  engine::participant customer;
  engine::duration_ms waited_ms = 0;
  /// What the agent reads before taking it: the customer's first message.
  std::string content;

  friend bool operator==(const waiting_entry&, const waiting_entry&) = default;
};

/// A conversation as `hello` and `conversation.list` show it.
struct conversation_summary {
  std::string conversation;
  engine::conversation_state state = engine::conversation_state::queued;
  engine::channel channel = engine::channel::web;
  std::string queue;
  std::string topic;
  engine::participant customer;
  std::vector<std::string> agents;
  std::string assignee;
  std::uint64_t last_seq = 0;
  engine::time_ms created_at = 0;

  friend bool
  operator==(const conversation_summary&, const conversation_summary&)
    = default;
};

struct queue_row {
  std::string queue;
  std::string name;
  std::uint32_t agents_available = 0; ///< ready and connected
  std::uint32_t agents_ready = 0;
  std::uint32_t agents_busy = 0; ///< holding at least one conversation
  std::uint32_t waiting = 0;
  engine::duration_ms longest_wait_ms = 0;

  friend bool operator==(const queue_row&, const queue_row&) = default;
};

struct agent_row {
  std::string agent;
  std::string name;
  engine::agent_status status = engine::agent_status::offline;
  std::int32_t load = 0;
  std::int32_t capacity = 0;
  std::vector<std::string> queues;

  friend bool operator==(const agent_row&, const agent_row&) = default;
};

/// An offer as the agent sees it (the `offer` event).
struct offer_notice {
  std::string offer;
  engine::offer_kind kind = engine::offer_kind::new_;
  std::string queue;
  std::string topic;
  engine::channel channel = engine::channel::web;
  engine::participant customer;
  std::string content;
  engine::time_ms expires_at = 0;
  /// A transfer or conference: who asked, and the note they left.
  std::string from_agent;
  std::string note;

  friend bool operator==(const offer_notice&, const offer_notice&) = default;
};

/// One reply per request: `code` ok with the fields the request fills in, or
/// an error code with a message for people.
struct reply {
  engine::errc code = engine::errc::ok;
  std::string message;
  std::string conversation;
  std::uint64_t seq = 0;
  /// attribution: the agent credited; empty when nobody is.
  std::string credited_agent;
  /// transfer.request, conference.request, conversation.assign: its id.
  std::string transfer;
  std::vector<waiting_entry> entries;
  std::vector<conversation_summary> conversations;
  std::vector<engine::event> events; ///< history, oldest first
  bool more = false;                 ///< history: more beyond `limit`
  std::vector<queue_row> queues;
  std::vector<agent_row> agents;
  /// hello: the agent's open offers, each with its conversation.
  std::vector<std::pair<std::string, offer_notice>> offers;

  bool ok() const noexcept {
    return code == engine::errc::ok;
  }
  static reply error(engine::errc code, std::string message) {
    reply r;
    r.code = code;
    r.message = std::move(message);
    return r;
  }

  friend bool operator==(const reply&, const reply&) = default;
};

/// Called once, on the hub's thread (session_hub.hpp): post, don't work,
/// inside it.
using reply_fn = std::function<void(const reply&)>;

// -- events
// --------------------------------------------------------------------

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
/// copy starts empty.
class rendered_frames {
public:
  using frame = std::shared_ptr<const std::string>;
  static constexpr std::size_t audiences = 2;

  rendered_frames() = default;
  rendered_frames(const rendered_frames&) {
  }
  rendered_frames& operator=(const rendered_frames&) {
    return *this;
  }

  /// The frame for `audience`, rendered by `render` on first use (from any
  /// thread); null when that audience must not see it.
  template <class Render>
  const frame& get(std::size_t audience, Render&& render) const {
    auto& slot = slots_[audience];
    std::call_once(slot.once, [&] { slot.text = render(); });
    return slot.text;
  }

private:
  struct slot {
    std::once_flag once;
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
               queue_stats_notice, conversation_summary, agent_row>
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
};

using sink_ptr = std::shared_ptr<event_sink>;

/// Options that tests and benchmarks set; operators use the config.
struct service_options {
  /// Seeds the id generators and `random` strategy: fixed in tests. 0 (the
  /// default): ids come from the system's CSPRNG (unguessable).
  std::uint64_t seed = 0;
  /// Where conversations are kept across restarts; null: nowhere. The open
  /// ones in it are back before the service's constructor returns.
  std::shared_ptr<engine::storage::store> store;
};

/// The routing core running in an actor system: one actor per conversation,
/// agent and queue, behind a directory.
class routing_service {
public:
  routing_service(caf::actor_system& system,
                  std::shared_ptr<const engine::config::config> cfg,
                  service_options options = {});
  ~routing_service();

  routing_service(const routing_service&) = delete;
  routing_service& operator=(const routing_service&) = delete;

  /// A session of `who` opened: its events go to `sink` from now on. The
  /// reply (for `hello`) lists the user's open conversations and, for an
  /// agent, its open offers.
  void connect(const caller& who, sink_ptr sink, reply_fn done = {});
  /// The session closed. An agent with no session left goes offline after
  /// `routing.agent_disconnect_grace_ms`.
  void disconnect(const caller& who, const sink_ptr& sink);

  void submit(const caller& who, request r, reply_fn done);

  /// Applies a reloaded configuration (SIGHUP), already validated: topics,
  /// queues, agents, texts and timeouts, without dropping a session, an
  /// offer or a conversation. Returns at once; the actors switch over in
  /// message order.
  void reload(std::shared_ptr<const engine::config::config> cfg);

  /// Stops every actor of the service.
  void shutdown();

  /// How many open conversations came back from the store at start.
  std::size_t recovered() const noexcept;

  /// What the routing core counts, for `/metrics`.
  const routing_metrics& metrics() const noexcept;

  /// The directory: the actor every request and session goes to. A node
  /// publishes it for another node's sessions (docs/architecture.md).
  caf::actor directory() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// -- serialisation (docs/architecture.md, "Messages") ----------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, caller& x) {
  return f(x.user, x.role, x.name);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, start_conversation& x) {
  return f(x.channel, x.queue, x.topic, x.text, x.agent, x.customer,
           x.customer_name);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, send_message& x) {
  return f(x.conversation, x.text, x.client_msg_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, send_whisper& x) {
  return f(x.conversation, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, close_conversation& x) {
  return f(x.conversation, x.wrap_up);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, set_agent_status& x) {
  return f(x.status, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, accept_offer& x) {
  return f(x.offer);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reject_offer& x) {
  return f(x.offer, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_waiting& x) {
  return f(x.queue);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pick_waiting& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, send_typing& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_conversations& x) {
  return f(x.state);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_history& x) {
  return f(x.conversation, x.after_seq, x.before_seq, x.limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_queues&) {
  return f();
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, request_transfer& x) {
  return f(x.conversation, x.kind, x.to_queue, x.to_agent, x.topic, x.note,
           x.mode);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, answer_consent& x) {
  return f(x.conversation, x.transfer, x.accept);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, leave_conversation& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, take_over& x) {
  return f(x.conversation, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, assign_conversation& x) {
  return f(x.conversation, x.agent);
}

template <class Inspector>
typename Inspector::result_type
inspect(Inspector& f, unassign_conversation& x) {
  return f(x.conversation, x.to_queue, x.to_agent, x.topic, x.note);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, monitor_conversation& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resume_conversation& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hand_off& x) {
  return f(x.conversation, x.queue, x.topic, x.summary);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, request_other& x) {
  return f(x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_agents& x) {
  return f(x.queue);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervise_subscribe& x) {
  return f(x.queues);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, attribution_query& x) {
  return f(x.customer, x.at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, waiting_entry& x) {
  return f(x.conversation, x.queue, x.topic, x.channel, x.customer, x.waited_ms,
           x.content);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_summary& x) {
  return f(x.conversation, x.state, x.channel, x.queue, x.topic, x.customer,
           x.agents, x.assignee, x.last_seq, x.created_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_row& x) {
  return f(x.queue, x.name, x.agents_available, x.agents_ready, x.agents_busy,
           x.waiting, x.longest_wait_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_row& x) {
  return f(x.agent, x.name, x.status, x.load, x.capacity, x.queues);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_notice& x) {
  return f(x.offer, x.kind, x.queue, x.topic, x.channel, x.customer, x.content,
           x.expires_at, x.from_agent, x.note);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reply& x) {
  return f(x.code, x.message, x.conversation, x.seq, x.credited_agent,
           x.transfer, x.entries, x.conversations, x.events, x.more, x.queues,
           x.agents, x.offers);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offer_revoked_notice& x) {
  return f(x.offer, x.reason);
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
