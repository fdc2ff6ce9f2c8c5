// A whole route driven from another process: the routing core runs in
// baton_remote_node, which publishes its directory through CAF's middleman;
// this process holds the sessions, behind the front of a routing service on
// a remote handle, as a node's gateway does. Replies and events must be the
// ones the same route gives in-process.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/io/middleman.hpp"

#include "actors/api.hpp"
#include "actors/wire/registry.hpp"
#include "actors/wire/type_ids.hpp"
#include "engine/config/config.hpp"
#include "tests/actors/wire/remote_route.hpp"
#include "tests/support/server_process.hpp"

namespace baton::actors {
namespace {

std::shared_ptr<const engine::config::config> route_config() {
  auto loaded = engine::config::load_string(remote_route::config, "remote.toml",
                                            [](std::string_view) {
                                              return std::nullopt;
                                            });
  EXPECT_TRUE(loaded.ok());
  return std::make_shared<const engine::config::config>(*loaded.value);
}

/// Whether the thread whose /proc stat file is `path` is stopped: its state
/// (after the last ')') is `T`.
bool thread_stopped(const std::filesystem::path& path) {
  std::ifstream stat(path);
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size()
         && line[close + 2] == 'T';
}

/// Waits until every thread of `pid` is stopped: SIGSTOP takes effect on
/// each when it next runs, so one may still answer a message meanwhile.
bool wait_stopped(pid_t pid) {
  auto tasks = std::filesystem::path("/proc") / std::to_string(pid) / "task";
  for (int i = 0; i < 500; ++i) {
    bool all = true;
    for (const auto& t : std::filesystem::directory_iterator(tasks))
      all = all && thread_stopped(t.path() / "stat");
    if (all)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class ignoring_sink : public event_sink {
public:
  void deliver(const notification_ptr&) override {
  }
};

std::vector<std::string> in_process() {
  caf::actor_system_config cfg;
  add_message_types(cfg);
  caf::actor_system system{cfg};
  routing_service service(system, route_config(), service_options{7});
  auto transcript = remote_route::drive(service);
  service.shutdown();
  return transcript;
}

/// The routing core in baton_remote_node, and this process's actor system
/// with a remote handle of its directory, as a relaying node has one.
class RemoteRouteTest : public ::testing::Test {
protected:
  void SetUp() override {
    test_support::server_process::options o;
    o.binary = BATON_REMOTE_NODE;
    o.listen.clear();
    ASSERT_TRUE(node_.start(o)) << node_.error() << "\n" << node_.log_tail();
    cfg_.load<caf::io::middleman>();
    add_message_types(cfg_);
    system_.emplace(cfg_);
    // Typed: the middleman checks the published interface on connecting.
    auto directory = system_->middleman().remote_actor<directory_actor>(
      "127.0.0.1", node_.port());
    ASSERT_TRUE(directory) << system_->render(directory.error());
    core_ = caf::actor_cast<caf::actor>(*directory);
  }

  test_support::server_process node_;
  caf::actor_system_config cfg_;
  std::optional<caf::actor_system> system_;
  caf::actor core_;
};

TEST_F(RemoteRouteTest, ARouteThroughAnotherProcessGoesAsInProcess) {
  auto local = in_process();
  ASSERT_FALSE(local.empty());

  routing_service front(*system_, route_config(), core_,
                        std::chrono::seconds(5));
  auto remote = remote_route::drive(front);
  front.shutdown();

  EXPECT_EQ(remote, local);
  std::string seen;
  for (const auto& line : local)
    seen += "  " + line + "\n";
  EXPECT_NE(seen.find("alice accept -> ok"), std::string::npos) << seen;
  EXPECT_NE(seen.find("session 2 sees conversation.closed"), std::string::npos)
    << seen;
}

// A core that does not answer (its node frozen) or is gone (its node
// dead): the front answers `unavailable`, after its patience or at once,
// never leaving a session without its reply.
TEST_F(RemoteRouteTest, AFrontAnswersUnavailableWhenItsCoreDoesNotAnswer) {
  routing_service front(*system_, route_config(), core_,
                        std::chrono::seconds(2));
  caller alice{"alice", engine::role::agent, "Alice"};
  // Longer than the front's patience: its own answer comes first.
  auto answer = [](std::future<reply>& got) {
    EXPECT_EQ(got.wait_for(std::chrono::seconds(10)),
              std::future_status::ready);
    return got.get();
  };
  std::promise<reply> hello;
  auto welcomed = hello.get_future();
  front.connect(alice, std::make_shared<ignoring_sink>(),
                [&hello](const reply& r) { hello.set_value(r); });
  EXPECT_TRUE(answer(welcomed).ok());
  auto ask = [&] {
    std::promise<reply> reply_to;
    auto got = reply_to.get_future();
    front.submit(alice, set_agent_status{engine::agent_status::ready, {}},
                 [&reply_to](const reply& r) { reply_to.set_value(r); });
    return answer(got);
  };
  EXPECT_TRUE(ask().ok());

  // The link stays up: only the patience ends the wait.
  ASSERT_TRUE(node_.signal(SIGSTOP));
  ASSERT_TRUE(wait_stopped(node_.pid()));
  auto asked = std::chrono::steady_clock::now();
  EXPECT_EQ(ask().code, engine::errc::unavailable);
  EXPECT_GE(std::chrono::steady_clock::now() - asked, std::chrono::seconds(2))
    << "answered before the patience ran out";
  // A session opening meanwhile hears it too, not a welcome listing nothing.
  std::promise<reply> late_hello;
  auto refused = late_hello.get_future();
  front.connect(caller{"carol", engine::role::customer, "Carol"},
                std::make_shared<ignoring_sink>(),
                [&late_hello](const reply& r) { late_hello.set_value(r); });
  EXPECT_EQ(answer(refused).code, engine::errc::unavailable);

  ASSERT_TRUE(node_.signal(SIGKILL));
  ASSERT_TRUE(node_.wait_exit(std::chrono::seconds(5)));
  EXPECT_EQ(ask().code, engine::errc::unavailable);
  front.shutdown();
}

// A request in flight when the core's node dies is answered as the link
// breaks, not when the patience runs out: a relay closing its sessions
// does not wait for them.
TEST_F(RemoteRouteTest, ARequestInFlightIsAnsweredWhenTheCoreGoesDown) {
  routing_service front(*system_, route_config(), core_,
                        std::chrono::seconds(60));
  caller alice{"alice", engine::role::agent, "Alice"};
  ASSERT_TRUE(node_.signal(SIGSTOP));
  ASSERT_TRUE(wait_stopped(node_.pid()));
  std::promise<reply> answered;
  auto got = answered.get_future();
  front.submit(alice, set_agent_status{engine::agent_status::ready, {}},
               [&answered](const reply& r) { answered.set_value(r); });
  ASSERT_TRUE(node_.signal(SIGKILL));
  ASSERT_EQ(got.wait_for(std::chrono::seconds(20)), std::future_status::ready)
    << "still waiting for the patience";
  EXPECT_EQ(got.get().code, engine::errc::unavailable);
  front.shutdown();
}

} // namespace
} // namespace baton::actors
