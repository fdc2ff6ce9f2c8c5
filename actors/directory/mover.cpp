// The mover: where a directory sends what is for a shard on its way to
// another holder, given up here (giving_up.cpp) or held by a directory that
// went down (holders.cpp), until a newer table names the new holder. A
// client asked "moving" tries again in a moment; a request passed on to a
// holder that is gone would never be answered (CAF 0.17 answers nothing
// for a node that died).
#include "actors/directory/state.hpp"

#include "caf/all.hpp"

#include "actors/conversation/messages.hpp"

namespace baton::actors::directory_impl {
namespace {

directory_actor::behavior_type mover_behavior(directory_actor::pointer self) {
  return {
    [](api_call&) { return moving_elsewhere(); },
    [](attach_session&) { return moving_elsewhere(); },
    [](detach_session&) {},
    [self](to_conversation& m) -> caf::result<claim_result> {
      // A claim or pick asked again: the first ask may have reached the
      // conversation before it left, and its answer be on its way. Not
      // answered here: the agent asks again after its patience, and the
      // conversation, at its new holder, answers as it decided.
      if (m.asked_again())
        return self->make_response_promise<claim_result>();
      // A first ask, which the conversation never saw, or a question,
      // asked again later.
      return claim_result{m.conversation, {}, m.offer(), errc::unavailable};
    },
    [](for_queue&) {},
    [](offer_to_agent&) {},
    [](revoke_to_agent&) {},
    [](const conversation_open_changed&) {},
    [](const conversation_retired&) {},
    [](recover_conversations&) { return false; },
    [](const restore_step&) {},
    [](recover_shards&) {},
    [](const new_config&) {},
    [](passivate&) {},
    [](const passivation_done&) {},
    [](from_queue&) {},
    [](join_directories&) { return directory_roster{}; },
    [](const holds_released&) {},
    [](const holds_taken&) {},
    [](inboxes_wanted&) { return inboxes_given{}; },
    [](give_up_shards&) { return false; },
  };
}

} // namespace

directory_actor mover_of(self_ptr self) {
  auto& st = self->state;
  if (!st.mover)
    st.mover = self->spawn<caf::linked>(mover_behavior);
  return st.mover;
}

} // namespace baton::actors::directory_impl
