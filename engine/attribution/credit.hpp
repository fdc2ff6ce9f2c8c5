#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

/// Attribution (docs/protocol.md, "The HTTP side"): which agent to credit
/// with a customer's order, from the customer-visible messages agents sent
/// that customer in the window before it. The messages are read from the
/// store (log_reader::agent_messages), so nothing is kept in memory for it
/// and a restart or a failover forgets nothing. Pure.
namespace baton::engine::attribution {

/// Tells whether an agent has the `manager` role (read from the
/// configuration at question time, so a reload counts at once).
using is_manager_fn = std::function<bool(std::string_view agent)>;

/// At most this many messages are read for one question: a customer talked
/// to more within one window is a bot loop, not a sale to attribute.
inline constexpr std::size_t most_messages = 1024;

/// The agent to credit, given the senders of the window's messages newest
/// first: the newest. With `prefer_non_manager`, when that agent is a
/// manager, the newest earlier sender who is not, if there is one.
std::optional<std::string> credit(std::span<const std::string> newest_first,
                                  bool prefer_non_manager,
                                  const is_manager_fn& is_manager);

} // namespace baton::engine::attribution
