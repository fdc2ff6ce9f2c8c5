#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/server_process.hpp"

namespace baton::test_support {

/// HAProxy (Debian's package) in front of Baton nodes, as a contact centre
/// would run it: HTTP mode (WebSocket upgrades pass through), a node in
/// rotation only while its /readyz answers 200, checked every
/// `check_interval`.
struct haproxy_options {
  std::uint16_t front_port = 0;
  std::vector<std::uint16_t> node_ports;
  milliseconds check_interval{100};
};

std::string haproxy_config(const haproxy_options& o);

/// Writes the configuration into `dir` and starts HAProxy in the
/// foreground; false (with the process's error) when it does not start.
bool start_haproxy(server_process& process, const haproxy_options& o,
                   const std::filesystem::path& dir);

} // namespace baton::test_support
