#pragma once

#include <string>

#include "actors/messages.hpp"

/// What a user inbox (user/actor.hpp) handles besides requests and sessions:
/// the conversations its user started.
namespace baton::actors {

/// The directory tells a customer's inbox about a conversation it started.
struct track_conversation {
  std::string conversation;
  conversation_actor handle;

  friend bool operator==(const track_conversation&, const track_conversation&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, track_conversation& x) {
  return f(x.conversation, x.handle);
}

/// A closed conversation's actor went: the directory forgets it, and its
/// customer's inbox keeps its summary instead of its handle.
struct conversation_retired {
  std::string conversation;
  conversation_actor handle;
  conversation_summary summary;

  friend bool
  operator==(const conversation_retired&, const conversation_retired&)
    = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_retired& x) {
  return f(x.conversation, x.handle, x.summary);
}

/// From the directory: nothing keeps this user inbox any more; it stops.
struct inbox_close {
  friend bool operator==(const inbox_close&, const inbox_close&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbox_close&) {
  return f();
}

} // namespace baton::actors
