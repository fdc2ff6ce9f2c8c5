#pragma once

#include <string>
#include <vector>

#include "actors/api.hpp"

/// One route driven through a routing service, the core itself or the front
/// of a core on another node: what the two-process test compares.
namespace baton::actors::remote_route {

/// The configuration both the test and remote_node.cpp run: one queue, one
/// agent.
inline constexpr const char* config = R"(
[auth]
secret = "test-secret-0123456789abcdef01234"

[routing]
default_queue = "sales"

[[queues]]
id = "sales"
offer_timeout_ms = 20000

[[agents]]
id = "alice"
queues = ["sales"]
)";

/// The route start → offer → accept → message → close, with alice's and
/// carol's sessions connected to `service` as the gateway's are. Returns
/// every reply in order, then every event each session saw in order, with
/// ids replaced by their rank ("c#1"), so two runs compare equal.
std::vector<std::string> drive(routing_service& service);

} // namespace baton::actors::remote_route
