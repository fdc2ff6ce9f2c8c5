// A node that serves the routing core of remote_route.hpp to another
// process: it publishes its directory through CAF's middleman on
// 127.0.0.1, prints its "listening address=127.0.0.1:P port=P" line, and runs
// until SIGTERM.
#include <pthread.h>

#include <csignal>
#include <iostream>
#include <memory>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/io/middleman.hpp"

#include "actors/api.hpp"
#include "actors/wire/registry.hpp"
#include "actors/wire/type_ids.hpp"
#include "engine/config/config.hpp"
#include "tests/actors/wire/remote_route.hpp"

int main() {
  using namespace baton;
  // Before any thread starts, so that only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto loaded = engine::config::load_string(
    actors::remote_route::config, "remote.toml",
    [](std::string_view) { return std::nullopt; });
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors)
      std::cerr << e.to_string() << "\n";
    return 2;
  }
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  actors::add_message_types(cfg);
  caf::actor_system system{cfg};
  actors::routing_service service(
    system, std::make_shared<const engine::config::config>(*loaded.value),
    actors::service_options{7});
  // Published typed, so a node that connects can check its interface.
  auto port = system.middleman().publish(
    caf::actor_cast<actors::directory_actor>(service.directory()), 0,
    "127.0.0.1");
  if (!port) {
    std::cerr << "publish failed: " << system.render(port.error()) << "\n";
    return 1;
  }
  std::cout << "baton_remote_node listening address=127.0.0.1:" << *port
            << " port=" << *port << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  service.shutdown();
  return 0;
}
