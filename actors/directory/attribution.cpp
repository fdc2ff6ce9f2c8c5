#include "actors/directory/state.hpp"

#include "caf/all.hpp"

#include "actors/directory/ask_reader.hpp"
#include "actors/store/messages.hpp"
#include "actors/store/stored_history.hpp"
#include "engine/attribution/credit.hpp"

namespace baton::actors::directory_impl {

void credit_order(self_ptr self, const attribution_query& q,
                  reply_promise& rp) {
  const auto& rt = self->state.rt;
  if (!rt->reader) {
    // Only a routing service started without a store (in-process tests).
    rp.deliver(reply::error(errc::unavailable, "attribution reads the store"));
    return;
  }
  auto window = rt->cfg->attribution.window_ms;
  bool asked = ask_reader<stored_agent_messages>(
    self, read_for::staff_or_service,
    agent_messages_read{q.customer, q.at - window, q.at},
    [self, rp](stored_agent_messages& found) mutable {
      if (!found.readable) {
        rp.deliver(store_unavailable());
        return;
      }
      // The roles of now: a reload that made someone a manager counts.
      const auto& cfg = *self->state.rt->cfg;
      std::vector<std::string> senders;
      senders.reserve(found.newest_first.size());
      for (auto& m : found.newest_first)
        senders.push_back(std::move(m.agent));
      auto is_manager = [&cfg](std::string_view agent) {
        const auto* a = cfg.find_agent(agent);
        return a != nullptr && a->has_role(engine::config::staff_role::manager);
      };
      rp.deliver(reply{credited{
        engine::attribution::credit(senders, cfg.attribution.prefer_non_manager,
                                    is_manager)
          .value_or(std::string{})}});
    },
    [rp]() mutable { rp.deliver(store_unavailable()); });
  if (!asked)
    rp.deliver(store_reads_busy());
}

} // namespace baton::actors::directory_impl
