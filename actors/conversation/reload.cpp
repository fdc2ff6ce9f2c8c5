#include "actors/conversation/reload.hpp"

#include "caf/all.hpp"

#include "engine/conversation/offer_round.hpp"
#include "engine/conversation/workflows.hpp"

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

void on_config_changed(self_ptr self) {
  auto& st = self->state;
  st.rt = changed_runtime(*st.rt);
  if (st.monitors.empty())
    return;
  const auto& cfg = *st.rt->cfg;
  std::erase_if(st.monitors, [&](const auto& monitor) {
    const auto* member = cfg.find_agent(monitor.first);
    if (member == nullptr)
      return true;
    if (member->has_role(engine::config::staff_role::supervisor))
      return false;
    return !engine::may_supervise(
      cfg, engine::participant{monitor.first, engine::role::agent, {}});
  });
}

} // namespace baton::actors::conversation_impl
