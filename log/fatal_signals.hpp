#pragma once

namespace baton::log {

/// From now on a signal that ends the process by a fault (SIGSEGV, SIGBUS,
/// SIGILL, SIGFPE, SIGABRT) writes one line naming it to stderr, and the
/// stack of the thread it hit, before the process ends as it would have
/// (its status still says the signal; a core is still dumped where the
/// system dumps them). Without it a node that crashed leaves no word in
/// its log of why its clients and its lease went. Call once, early.
void report_fatal_signals();

} // namespace baton::log
