#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/make_message.hpp"
#include "caf/typed_response_promise.hpp"

#include "actors/api.hpp"
#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"
#include "actors/wire/std_types.hpp"

/// What every actor family shares: requests from sessions, sessions and
/// their events, and a reload. The messages of one family are in its
/// folder's messages.hpp (conversation/, agent/, queue/, user/, directory/,
/// supervision/, store/, session/). Every one is a value with an `inspect`,
/// registered in wire/type_ids.hpp, so it can cross to another node:
/// handles, never callbacks or pointers. Replies travel as CAF responses
/// (`request(...).then(...)`, response promises). Each actor's whole
/// interface is in interfaces.hpp.
namespace baton::actors {

/// A request from a session, on its way to the actor that owns it; answered
/// with a `reply`.
struct api_call {
  caller who;
  request what;
  /// Where the caller's events go (its agent actor or user inbox), set by
  /// the directory: a takeover or monitor adds the caller to a conversation.
  inbox_actor inbox;

  friend bool operator==(const api_call&, const api_call&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, api_call& x) {
  return f(x.who, x.what, x.inbox);
}

/// How an actor answers an api_call it cannot answer at once.
using reply_promise = caf::typed_response_promise<reply>;

/// One session of a user: the hub that holds it (session_hub.hpp) and its
/// number there.
struct session_ref {
  session_hub_actor hub;
  std::uint64_t session = 0;

  friend bool operator==(const session_ref&, const session_ref&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_ref& x) {
  return f(x.hub, x.session);
}

/// A session opened for a user; answered with a `reply` for `hello` (open
/// conversations and offers).
struct attach_session {
  caller who;
  session_ref session;

  friend bool operator==(const attach_session&, const attach_session&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, attach_session& x) {
  return f(x.who, x.session);
}

/// The session closed.
struct detach_session {
  caller who;
  session_ref session;

  friend bool operator==(const detach_session&, const detach_session&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, detach_session& x) {
  return f(x.who, x.session);
}

/// Events for a user actor (or agent actor) to hand to its sessions, in
/// order: those one change of a conversation made go in one message.
struct deliver {
  std::vector<notification> what;

  friend bool operator==(const deliver&, const deliver&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deliver& x) {
  return f(x.what);
}

/// `deliver` made into a message once, so every inbox it goes to shares it.
inline caf::message event_message(std::vector<notification> what) {
  return caf::make_message(deliver{std::move(what)});
}

inline caf::message event_message(notification what) {
  std::vector<notification> one;
  one.push_back(std::move(what));
  return event_message(std::move(one));
}

/// Sends an event made by event_message. The message is a `deliver`, which
/// every inbox handles, but the compiler cannot see inside a prebuilt
/// message: it goes through the untyped handle, unchecked (`anon_send` still
/// names `self` as the sender).
template <class Self>
void send_event(Self* self, const inbox_actor& to, const caf::message& event) {
  self->anon_send(caf::actor_cast<caf::actor>(to), event);
}

/// The agent no longer takes part in the conversation (closed, left).
struct released {
  std::string conversation;

  friend bool operator==(const released&, const released&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, released& x) {
  return f(x.conversation);
}

/// From the directory: the configuration changed. The actor reads its
/// settings, texts and timeouts from this node's runtime source from now on
/// (runtime_source.hpp): `version` is the runtime it will find there.
struct config_changed {
  std::uint64_t version = 0;

  friend bool operator==(const config_changed&, const config_changed&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, config_changed& x) {
  return f(x.version);
}

/// To a queue or an agent, from its directory: the conversations of
/// `shards` run under new actors now, or under none (their holder
/// changed). Each asks by id after what it holds for those it knew by
/// their old actor: a queue for their places in line, an agent for its
/// slots. One whose close was lost with its node lets go.
struct shards_moved {
  std::vector<std::uint32_t> shards;
  std::uint32_t shard_count = 0;

  friend bool operator==(const shards_moved&, const shards_moved&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, shards_moved& x) {
  return f(x.shards, x.shard_count);
}

/// The runtime a config_changed announces: this node's current one.
inline runtime_ptr changed_runtime(const runtime& rt) {
  return rt.source->current();
}

} // namespace baton::actors
