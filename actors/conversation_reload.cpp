#include "actors/conversation_reload.hpp"

#include "caf/all.hpp"

namespace baton::actors::conversation_impl {

void on_queue_moved(self_ptr self, const queue_moved& m) {
  auto& st = self->state;
  // Only a waiting conversation is handed over: one on offer moves when its
  // round fails, an assigned or closed one stays where it is.
  if (st.conv.state() != engine::conversation_state::queued)
    return;
  st.queue = m.handle;
  const auto& cfg = *st.rt->cfg;
  const auto* q = cfg.find_queue(m.queue);
  auto text = q != nullptr && !q->welcome_text.empty()
                ? q->welcome_text
                : cfg.texts.get(engine::config::text_key::queued);
  const auto& c = st.conv;
  std::vector<engine::event_body> moved;
  moved.emplace_back(engine::conversation_queued{
    m.queue, c.priority(), c.enqueued_at(), std::move(text), st.first_text});
  publish(self, apply(self, std::move(moved)));
  enqueue e;
  e.conversation = c.id();
  e.handle = self;
  e.priority = c.priority();
  e.enqueued_at = c.enqueued_at();
  e.topic = c.topic();
  e.channel = c.channel();
  e.customer = c.customer();
  e.content = st.first_text;
  self->send(st.queue, std::move(e));
}

} // namespace baton::actors::conversation_impl
