#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

/// An invariant of a fuzz target: a broken one prints the input (its first
/// KiB) and aborts, so libFuzzer keeps it as a crash to replay.
[[noreturn]] inline void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "invariant broken: %s\ninput (%zu bytes): %.*s\n", what,
               input.size(), int(std::min<std::size_t>(input.size(), 1024)),
               input.data());
  std::abort();
}

#define CHECK(cond, input)                                                     \
  do {                                                                         \
    if (!(cond))                                                               \
      fail(#cond, input);                                                      \
  } while (false)
