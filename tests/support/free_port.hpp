#pragma once

#include <cstdint>

namespace baton::test_support {

/// A loopback TCP port nothing listens on now, for a server the test
/// starts with a fixed address (a database, a node behind a balancer);
/// chosen at random outside the kernel's range of source ports, so no
/// outgoing connection takes it before the server binds it, and never
/// one this process was given before. 0 if none.
std::uint16_t free_loopback_port();

} // namespace baton::test_support
