#pragma once

#include <cstdint>
#include <optional>

#include "tests/support/server_process.hpp"

/// What a spawned server (`baton` or `baton-echo`, started with
/// test_support::server_process) costs, read through /proc, and what the
/// generator itself costs.
namespace baton::bench {

using test_support::server_process;

/// Resident set size now (VmRSS) and at its peak (VmHWM), in KiB; nothing
/// once the server is gone.
std::optional<std::uint64_t> rss_kib(const server_process& p);
std::optional<std::uint64_t> peak_rss_kib(const server_process& p);

/// CPU time the server has used so far, user + system, in seconds.
std::optional<double> cpu_seconds(const server_process& p);

/// Times the server's threads have been switched out so far: going to sleep
/// (voluntary: waiting for work, a lock, a socket) or preempted
/// (involuntary). What a frame costs in hand-offs between threads; threads
/// that have ended are no longer counted.
struct context_switches {
  std::uint64_t voluntary = 0;
  std::uint64_t involuntary = 0;
};
std::optional<context_switches> switches(const server_process& p);

/// CPU time this process has used so far, user + system, in seconds.
double own_cpu_seconds();

} // namespace baton::bench
