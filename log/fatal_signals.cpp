#include "log/fatal_signals.hpp"

#include <array>
#include <csignal>
#include <cstring>

#include <execinfo.h>
#include <unistd.h>

namespace baton::log {
namespace {

constexpr std::array fatal_signals{SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

/// Room to report a stack overflow of the main thread on another stack.
alignas(16) std::array<char, 64 * 1024> alternate_stack;

/// Only what is safe in a signal handler: write(2), and backtrace, whose
/// first use (and so its loading of libgcc) happened before any fault.
void write_all(const char* text, std::size_t size) {
  while (size > 0) {
    auto n = ::write(STDERR_FILENO, text, size);
    if (n <= 0)
      return;
    text += n;
    size -= static_cast<std::size_t>(n);
  }
}

void write_text(const char* text) {
  write_all(text, std::strlen(text));
}

const char* name_of(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGBUS:
      return "SIGBUS";
    case SIGILL:
      return "SIGILL";
    case SIGFPE:
      return "SIGFPE";
    case SIGABRT:
      return "SIGABRT";
    default:
      return "a fatal signal";
  }
}

void on_fatal_signal(int sig) {
  write_text("fatal signal ");
  write_text(name_of(sig));
  write_text(": the process stops; the stack of the thread it hit:\n");
  std::array<void*, 64> frames{};
  int depth = backtrace(frames.data(), static_cast<int>(frames.size()));
  backtrace_symbols_fd(frames.data(), depth, STDERR_FILENO);
  // SA_RESETHAND put the default action back: raised again, the signal
  // ends the process with its own status.
  raise(sig);
}

} // namespace

void report_fatal_signals() {
  std::array<void*, 1> warm_up{};
  backtrace(warm_up.data(), 1);
  stack_t stack{};
  stack.ss_sp = alternate_stack.data();
  stack.ss_size = alternate_stack.size();
  sigaltstack(&stack, nullptr);
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_ONSTACK;
  for (int sig : fatal_signals)
    sigaction(sig, &action, nullptr);
}

} // namespace baton::log
