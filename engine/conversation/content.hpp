#pragma once

#include <string>
#include <vector>

#include "engine/config/config.hpp"
#include "engine/conversation/events.hpp"

/// What an agent reads before taking a conversation (docs/protocol.md,
/// "Transfer", step 4): built from the log, with the configured texts.
namespace baton::engine {

/// A transfer's content:
///   Conversation transferred by <agent> at <time>
///   <note>
///   <the bot's summary, when it came from one>
///   Conversation history:
///   <name> (<time>): <text>
/// Only messages the customer could see; the last `transfer.history_lines`,
/// none when `transfer.include_history` is off.
std::string transfer_content(const std::vector<event>& log,
                             const config::config& cfg,
                             const std::string& by_name, time_ms at,
                             const std::string& note);

/// A bot's handoff: its summary above the history.
std::string handoff_content(const std::vector<event>& log,
                            const config::config& cfg,
                            const std::string& summary);

/// "2026-11-22 14:05 UTC"
std::string clock_text(time_ms at);

} // namespace baton::engine
