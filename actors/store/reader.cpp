#include "actors/store/reader.hpp"

#include "caf/all.hpp"

#include "actors/store/stored_history.hpp"
#include "engine/attribution/credit.hpp"
#include "log/log.hpp"

namespace baton::actors {
namespace {

struct reader_state {
  std::shared_ptr<engine::storage::log_reader> reader;
  std::shared_ptr<routing_metrics> metrics;
};

using self_ptr = reader_actor::stateful_pointer<reader_state>;

stored_log load(reader_state& st, const std::string& conversation) {
  try {
    auto events = st.reader->load(conversation);
    st.metrics->store_read_failing.set(0);
    return {true, std::move(events)};
  } catch (const std::exception& e) {
    st.metrics->store_read_failing.set(1);
    log::error("storage read failed")
      .field("conversation", conversation)
      .field("problem", e.what());
    return {};
  }
}

/// A client's read of `conversation`: `read(store)`'s reply, or
/// unavailable when the store fails.
template <class Read>
reply answered(reader_state& st, const std::string& conversation, Read read) {
  try {
    auto out = read(*st.reader);
    st.metrics->store_read_failing.set(0);
    return out;
  } catch (const std::exception& e) {
    st.metrics->store_read_failing.set(1);
    log::error("storage read failed")
      .field("conversation", conversation)
      .field("problem", e.what());
    return store_unavailable();
  }
}

stored_agent_messages agent_messages(reader_state& st,
                                     const agent_messages_read& r) {
  try {
    auto found = st.reader->agent_messages(r.customer, r.from, r.to,
                                           engine::attribution::most_messages);
    st.metrics->store_read_failing.set(0);
    return {true, std::move(found)};
  } catch (const std::exception& e) {
    st.metrics->store_read_failing.set(1);
    log::error("storage read failed")
      .field("customer", r.customer)
      .field("problem", e.what());
    return {};
  }
}

open_logs open_in(reader_state& st, const open_logs_read& r) {
  try {
    open_logs out{true, {}};
    st.reader->load_open_in(r.shards, r.shard_count,
                            [&](engine::storage::conversation_log&& log) {
                              out.logs.push_back(std::move(log));
                            });
    st.metrics->store_read_failing.set(0);
    return out;
  } catch (const std::exception& e) {
    st.metrics->store_read_failing.set(1);
    log::error("storage read failed")
      .field("shards", r.shards.size())
      .field("problem", e.what());
    return {};
  }
}

reader_actor::behavior_type
reader_behavior(self_ptr self, std::shared_ptr<reader_options> opt) {
  auto& st = self->state;
  st.reader = std::move(opt->reader);
  st.metrics = std::move(opt->metrics);
  return {
    [=](const store_read& r) { return load(self->state, r.conversation); },
    [=](const history_read& r) {
      return answered(self->state, r.what.conversation, [&](auto& store) {
        return history_from_store(store, r.who, r.what);
      });
    },
    [=](const explain_read& r) {
      return answered(self->state, r.what.conversation, [&](auto& store) {
        return explanation_from_store(store, r.who, r.what, r.supervisor);
      });
    },
    [=](const agent_messages_read& r) {
      return agent_messages(self->state, r);
    },
    [=](const open_logs_read& r) { return open_in(self->state, r); },
  };
}

} // namespace

reader_actor spawn_reader(caf::actor_system& system, reader_options options) {
  // The behaviour's arguments are copied: the reader moves in once.
  return system.spawn<caf::detached>(
    reader_behavior, std::make_shared<reader_options>(std::move(options)));
}

} // namespace baton::actors
