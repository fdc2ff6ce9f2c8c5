// A hub speaks to the directory for its sessions: a session that closes
// before its attach is answered is detached again once the answer comes,
// as its first detach may have overtaken the attach on another path.
#include "actors/session/hub.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "caf/all.hpp"
#include "caf/test/dsl.hpp"

#include "../routing_fixture.hpp"
#include "actors/session/local_sinks.hpp"

namespace baton::actors::testing {
namespace {

/// What the stand-in directory was sent, and the attaches it has not
/// answered yet.
struct directory_log {
  std::vector<caf::typed_response_promise<reply>> unanswered;
  std::vector<session_ref> detached;
};

/// A directory that answers an attach only when the test says so (`ok`).
caf::behavior held_directory(caf::event_based_actor* self,
                             std::shared_ptr<directory_log> log) {
  return {
    [=](attach_session&) -> caf::result<reply> {
      auto rp = self->make_response_promise<reply>();
      log->unanswered.push_back(rp);
      return rp;
    },
    [=](detach_session& d) { log->detached.push_back(d.session); },
    [=](caf::ok_atom) {
      for (auto& rp : log->unanswered)
        rp.deliver(reply{});
      log->unanswered.clear();
    },
  };
}

class HubTest : public ::testing::Test {
protected:
  HubTest() {
    directory_ = fx_.sys.spawn(held_directory, log_);
    hub_ = spawn_session_hub(fx_.sys,
                             caf::actor_cast<directory_actor>(directory_),
                             std::make_shared<local_sinks>(fx_.sys.node()),
                             std::chrono::seconds{0});
  }

  ~HubTest() override {
    caf::anon_send_exit(hub_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(directory_, caf::exit_reason::user_shutdown);
    fx_.sched.run();
  }

  void connect() {
    caf::anon_send(hub_, hub_connect{carol_, sink_, {}});
    fx_.sched.run();
  }

  void disconnect() {
    caf::anon_send(hub_, hub_disconnect{carol_, sink_});
    fx_.sched.run();
  }

  void answer_attach() {
    ASSERT_EQ(log_->unanswered.size(), 1u);
    caf::anon_send(directory_, caf::ok_atom::value);
    fx_.sched.run();
  }

  test_coordinator_fixture<> fx_;
  std::shared_ptr<directory_log> log_ = std::make_shared<directory_log>();
  caf::actor directory_;
  session_hub_actor hub_;
  const caller carol_{"carol", engine::role::customer, "Carol"};
  recorder_ptr sink_ = std::make_shared<recorder>();
};

TEST_F(HubTest, ASessionClosedBeforeItsAttachIsAnsweredIsDetachedAgain) {
  connect();
  disconnect();
  ASSERT_EQ(log_->detached.size(), 1u);
  answer_attach();
  ASSERT_EQ(log_->detached.size(), 2u) << "detached again once attached";
  EXPECT_EQ(log_->detached[1], log_->detached[0]);
}

TEST_F(HubTest, ASessionClosedAfterItsAttachIsAnsweredIsDetachedOnce) {
  connect();
  answer_attach();
  EXPECT_TRUE(log_->detached.empty());
  disconnect();
  EXPECT_EQ(log_->detached.size(), 1u);
}

} // namespace
} // namespace baton::actors::testing
