#include "engine/config/texts.hpp"

#include <algorithm>

namespace baton::engine::config {
namespace {

struct entry {
  std::string_view key;
  std::string_view text;
  std::span<const std::string_view> args;
};

constexpr std::array<std::string_view, 0> no_args{};
constexpr std::array<std::string_view, 1> name_arg{"name"};
constexpr std::array<std::string_view, 1> queue_arg{"queue"};
constexpr std::array<std::string_view, 1> member_arg{"member"};
constexpr std::array<std::string_view, 2> agent_time_args{"agent", "time"};
constexpr std::array<std::string_view, 3> line_args{"name", "time", "text"};

// In text_key order; the wording is the one docs/protocol.md shows.
constexpr std::array<entry, text_key_count> entries{{
  {"participant_joined", "{name} has joined the conversation", name_arg},
  {"participant_left", "{name} has left", name_arg},
  {"queued", "Thanks, an agent will be with you shortly.", no_args},
  {"transfer_queued",
   "Your request is being transferred to {queue}, please wait!", queue_arg},
  {"no_agents", "No agents were available", no_args},
  {"consent_request",
   "Do you agree that this conversation be transferred to another member?",
   no_args},
  {"transfer_placed", "Transfer request placed successfully", no_args},
  {"transfer_closed", "Conversation is closed due to CHAT TRANSFERRED",
   no_args},
  {"transfer_declined", "The customer did not agree to the transfer", no_args},
  {"transfer_failed", "No agent accepted the transfer in time", no_args},
  {"conference_placed", "Conference request has been successfully placed",
   no_args},
  {"conference_failed",
   "No agents were available to join the conference conversation", no_args},
  {"agent_absent",
   "{member} is not available right now. You may keep waiting or ask for "
   "another member.",
   member_arg},
  {"request_other_content",
   "New request created by the visitor because {member} was not available to "
   "handle the conversation quickly.",
   member_arg},
  {"transferred_by", "Conversation transferred by {agent} at {time}",
   agent_time_args},
  {"history_header", "Conversation history:", no_args},
  {"history_line", "{name} ({time}): {text}", line_args},
  {"assign_failed", "The agent did not take the assigned conversation in time",
   no_args},
  {"target_offline", "{name} is offline: nobody was offered the conversation",
   name_arg},
  {"target_not_ready",
   "{name} is not ready for conversations: nobody was offered it", name_arg},
  {"target_full", "{name} has no room for another conversation", name_arg},
  {"wait_too_long",
   "All our agents are busy and the wait would be long. Please try again "
   "later.",
   no_args},
}};

const entry& entry_of(text_key k) noexcept {
  return entries[static_cast<std::size_t>(k)];
}

} // namespace

std::string_view to_string(text_key k) noexcept {
  return entry_of(k).key;
}

std::optional<text_key> parse_text_key(std::string_view s) noexcept {
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (entries[i].key == s)
      return static_cast<text_key>(i);
  return std::nullopt;
}

std::string_view default_text(text_key k) noexcept {
  return entry_of(k).text;
}

std::span<const std::string_view> placeholders(text_key k) noexcept {
  return entry_of(k).args;
}

std::optional<std::string> check_placeholders(text_key k,
                                              std::string_view templ) {
  auto allowed = placeholders(k);
  for (auto open = templ.find('{'); open != std::string_view::npos;
       open = templ.find('{', open + 1)) {
    auto close = templ.find('}', open);
    if (close == std::string_view::npos)
      break;
    open = templ.rfind('{', close); // "{a {b}": the placeholder is {b}
    auto name = templ.substr(open + 1, close - open - 1);
    if (std::ranges::find(allowed, name) != allowed.end())
      continue;
    std::string msg = "unknown placeholder {" + std::string{name} + "}";
    if (allowed.empty()) {
      msg += " (this text takes none)";
    } else {
      msg += " (expected";
      for (auto arg : allowed)
        msg += " {" + std::string{arg} + "}";
      msg += ")";
    }
    return msg;
  }
  return std::nullopt;
}

std::string format_text(std::string_view templ, text_args args) {
  std::string out;
  out.reserve(templ.size() + 32);
  std::size_t pos = 0;
  while (pos < templ.size()) {
    auto open = templ.find('{', pos);
    auto close = open == std::string_view::npos ? open : templ.find('}', open);
    if (close == std::string_view::npos) {
      out += templ.substr(pos);
      break;
    }
    open = templ.rfind('{', close); // "{a {b}": the placeholder is {b}
    out += templ.substr(pos, open - pos);
    auto name = templ.substr(open + 1, close - open - 1);
    auto arg = std::ranges::find(
      args, name, &std::pair<std::string_view, std::string_view>::first);
    if (arg != args.end())
      out += arg->second;
    else
      out += templ.substr(open, close - open + 1);
    pos = close + 1;
  }
  return out;
}

texts::texts() {
  for (std::size_t i = 0; i < text_key_count; ++i)
    values_[i] = entries[i].text;
}

const std::string& texts::get(text_key k) const noexcept {
  return values_[static_cast<std::size_t>(k)];
}

void texts::set(text_key k, std::string value) {
  values_[static_cast<std::size_t>(k)] = std::move(value);
}

std::string texts::format(text_key k, text_args args) const {
  return format_text(get(k), args);
}

} // namespace baton::engine::config
