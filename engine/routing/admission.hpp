#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/config/config.hpp"
#include "engine/errc.hpp"
#include "engine/types.hpp"

/// Who may start a conversation, and where it waits: decided before any
/// actor is spawned for it (the directory asks, then spawns or refuses).
namespace baton::engine {

/// What a `conversation.start` asks, as far as admission cares.
struct start_ask {
  role by = role::customer;
  /// The customer a bot starts for; empty for a customer's own start.
  std::string customer;
  /// A direct conversation's member; empty for a queued one.
  std::string agent;
  std::string queue;
  std::string topic;
};

struct admission {
  errc error = errc::ok;
  /// Why it was refused, for the client.
  std::string why;
  /// Where it waits, when admitted: the queue asked for, else its topic's,
  /// else the default.
  std::string queue;

  bool ok() const noexcept {
    return error == errc::ok;
  }
  friend bool operator==(const admission&, const admission&) = default;
};

/// Admits or refuses a start. `open_now` is how many open conversations its
/// customer holds already (limits.open_conversations_per_customer).
admission admit_start(const config::config& cfg, const start_ask& ask,
                      std::int64_t open_now);

/// Why a customer holding `open_now` open conversations may not open
/// another (start or resume); nothing when they may.
std::optional<std::string> open_limit_refusal(const config::config& cfg,
                                              std::int64_t open_now);

} // namespace baton::engine
