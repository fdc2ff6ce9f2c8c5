#pragma once

#include "caf/actor_cast.hpp"
#include "caf/actor_control_block.hpp"

namespace baton::actors::directory_impl {

/// Whether `a` and `b` are one handle, not only handles of one actor. CAF
/// 0.17 compares handles by actor id and node, so a handle that came over
/// a link now closed (dead: CAF drops every handle of a node whose last
/// link goes) equals a live one of the same actor; only the control block
/// tells them apart.
template <class A, class B>
bool same_handle(const A& a, const B& b) {
  return caf::actor_cast<caf::actor_control_block*>(a)
         == caf::actor_cast<caf::actor_control_block*>(b);
}

} // namespace baton::actors::directory_impl
