#include "tests/support/free_port.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <random>
#include <set>

namespace baton::test_support {

namespace {

/// The kernel's range of source ports for outgoing connections.
struct port_range {
  int low = 32768;
  int high = 60999;
};

port_range ephemeral_ports() {
  port_range r;
  std::ifstream in{"/proc/sys/net/ipv4/ip_local_port_range"};
  in >> r.low >> r.high;
  return r;
}

bool bindable(std::uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  bool free = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return free;
}

} // namespace

std::uint16_t free_loopback_port() {
  // Outside the range the kernel gives outgoing connections: a port taken
  // from it could become the source port of a connection (a balancer's
  // health check, a database client) before the server binds it.
  // Below it or above it, whichever is wider.
  auto ephemeral = ephemeral_ports();
  int low = 10000;
  int high = ephemeral.low - 1;
  if (65535 - ephemeral.high > high - low) {
    low = ephemeral.high + 1;
    high = 65535;
  }
  if (high < low)
    return 0;
  // Never one handed out before in this process: a port is free until its
  // server binds it, so two servers of one test could otherwise get the
  // same one.
  static std::mutex mutex;
  static std::set<std::uint16_t> handed_out;
  static std::mt19937 pick{std::random_device{}()};
  std::lock_guard lock{mutex};
  std::uniform_int_distribution<int> port{low, high};
  for (int tries = 0; tries < 1000; ++tries) {
    auto candidate = static_cast<std::uint16_t>(port(pick));
    if (!handed_out.contains(candidate) && bindable(candidate)) {
      handed_out.insert(candidate);
      return candidate;
    }
  }
  return 0;
}

} // namespace baton::test_support
