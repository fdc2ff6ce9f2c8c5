#pragma once

#include <cstdint>
#include <map>
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

/// Times a thread has been switched out: going to sleep (voluntary:
/// waiting for work, a lock, a socket) or preempted (involuntary).
struct context_switches {
  std::uint64_t voluntary = 0;
  std::uint64_t involuntary = 0;
};

/// Each live thread of the server (by thread id) and its switches so far.
using thread_switches = std::map<int, context_switches>;
std::optional<thread_switches> switches(const server_process& p);

/// The switches between two samples: each thread's growth, the whole count
/// of one that started in between. A thread that ended in between is not
/// counted (its counts went with it), nor an id that was reused.
context_switches switches_between(const thread_switches& before,
                                  const thread_switches& after);

/// CPU time this process has used so far, user + system, in seconds.
double own_cpu_seconds();

} // namespace baton::bench
