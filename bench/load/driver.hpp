#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/load/roster.hpp"
#include "bench/load/scenario.hpp"
#include "bench/load/stats.hpp"

/// The load itself: threads, each with its own io_context and its own
/// sessions (customers, agents, echo or idle connections), driven by the
/// scenario against one server. No Beast in this header.
namespace baton::bench {

struct target {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path = "/v1/ws";
};

/// "ws://host:port/path"; false when it is not of that form.
bool parse_ws_url(const std::string& url, target& t);

class driver {
public:
  driver(const scenario& s, roster r, target t);
  ~driver();
  driver(const driver&) = delete;
  driver& operator=(const driver&) = delete;

  /// Connects the agents and waits until every one is ready (conversations
  /// mode; a no-op otherwise). False when they were not within `timeout`;
  /// `error` says how many were.
  bool start_agents(std::chrono::milliseconds timeout, std::string& error);

  /// Starts the load (arrivals, echo connections or idle sessions).
  void start_load();
  /// Stops new arrivals; conversations under way go on.
  void stop_arrivals();
  /// Conversations (or echo exchanges) still under way.
  std::uint64_t in_flight() const;
  /// Closes every session and joins the threads.
  void shutdown();

  /// One per thread, for the progress line and the report.
  std::vector<const load_stats*> stats() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
  bool stopped_ = false;
};

} // namespace baton::bench
