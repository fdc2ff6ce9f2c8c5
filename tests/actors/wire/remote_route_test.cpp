// A whole route driven from another process: the routing core runs in
// baton_remote_node, which publishes its directory through CAF's middleman;
// this process holds the sessions (an actor of its own) and a remote handle.
// Replies and events must be the ones the same route gives in-process.
#include <memory>

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

std::vector<std::string> in_process() {
  caf::actor_system_config cfg;
  add_message_types(cfg);
  caf::actor_system system{cfg};
  routing_service service(system, route_config(), service_options{7});
  auto transcript = remote_route::drive(
    system, caf::actor_cast<directory_actor>(service.directory()));
  service.shutdown();
  return transcript;
}

TEST(RemoteRouteTest, ARouteThroughAnotherProcessGoesAsInProcess) {
  auto local = in_process();
  ASSERT_FALSE(local.empty());

  test_support::server_process node;
  test_support::server_process::options o;
  o.binary = BATON_REMOTE_NODE;
  o.listen.clear();
  ASSERT_TRUE(node.start(o)) << node.error() << "\n" << node.log_tail();

  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  add_message_types(cfg);
  caf::actor_system system{cfg};
  // Typed: the middleman checks the published interface on connecting.
  auto directory = system.middleman().remote_actor<directory_actor>(
    "127.0.0.1", node.port());
  ASSERT_TRUE(directory) << system.render(directory.error());
  auto remote = remote_route::drive(system, *directory);

  EXPECT_EQ(remote, local);
  std::string seen;
  for (const auto& line : local)
    seen += "  " + line + "\n";
  EXPECT_NE(seen.find("alice accept -> ok"), std::string::npos) << seen;
  EXPECT_NE(seen.find("session 2 sees conversation.closed"), std::string::npos)
    << seen;
}

} // namespace
} // namespace baton::actors
