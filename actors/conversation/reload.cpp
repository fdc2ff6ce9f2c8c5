#include "actors/conversation/reload.hpp"

#include "caf/all.hpp"

#include "engine/conversation/offer_round.hpp"

namespace baton::actors::conversation_impl {

void on_queue_moved(self_ptr self, const queue_moved& m) {
  auto& st = self->state;
  auto d = engine::decide_queue_move(st.conv, m.queue, *st.rt->cfg);
  if (!d.ok())
    return;
  // The new queue is its home from now on: it is reached directly.
  st.queue = m.handle;
  st.home_queue = m.queue;
  st.waiting_in.clear();
  carry_out(self, std::move(d.events));
  enter_queue(self, m.queue);
}

} // namespace baton::actors::conversation_impl
