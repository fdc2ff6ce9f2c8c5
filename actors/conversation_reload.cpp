#include "actors/conversation_reload.hpp"

#include "caf/all.hpp"

#include "engine/conversation/workflows.hpp"

namespace baton::actors::conversation_impl {

void on_queue_moved(self_ptr self, const queue_moved& m) {
  auto& st = self->state;
  // Only a waiting conversation is handed over: one on offer moves when its
  // round fails, an assigned or closed one stays where it is.
  if (st.conv.state() != engine::conversation_state::queued)
    return;
  // The new queue is its home from now on: it is reached directly.
  st.queue = m.handle;
  st.home_queue = m.queue;
  st.waiting_in.clear();
  const auto& c = st.conv;
  std::vector<engine::event_body> moved;
  moved.emplace_back(engine::conversation_queued{
    m.queue, c.priority(), c.enqueued_at(),
    engine::welcome_text(*st.rt->cfg, m.queue), c.content()});
  publish(self, apply(self, std::move(moved)));
  enter_queue(self, m.queue);
}

} // namespace baton::actors::conversation_impl
