#include "actors/reader_actor.hpp"

#include "caf/all.hpp"

#include "log/log.hpp"

namespace baton::actors {
namespace {

struct reader_state {
  std::shared_ptr<engine::storage::log_reader> reader;
  std::shared_ptr<routing_metrics> metrics;
};

using self_ptr = caf::stateful_actor<reader_state>*;

caf::behavior reader_behavior(self_ptr self,
                              std::shared_ptr<reader_options> opt) {
  auto& st = self->state;
  st.reader = std::move(opt->reader);
  st.metrics = std::move(opt->metrics);
  return {
    [=](store_read& r) {
      auto& st = self->state;
      try {
        auto log = st.reader->load(r.conversation);
        st.metrics->store_read_failing.set(0);
        r.done(std::move(log));
      } catch (const std::exception& e) {
        st.metrics->store_read_failing.set(1);
        log::error("storage read failed")
          .field("conversation", r.conversation)
          .field("problem", e.what());
        r.done(std::nullopt);
      }
    },
  };
}

} // namespace

caf::actor spawn_reader(caf::actor_system& system, reader_options options) {
  // The behaviour's arguments are copied: the reader moves in once.
  return system.spawn<caf::detached>(
    reader_behavior, std::make_shared<reader_options>(std::move(options)));
}

} // namespace baton::actors
