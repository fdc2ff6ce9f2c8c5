#include "gateway/codec/fields.hpp"

#include <algorithm>

namespace baton::gateway::detail {
namespace {

constexpr std::array<std::string_view, key_count> key_names{
  "type",        "id",         "role",       "user",         "token",
  "name",        "channel",    "queue",      "topic",        "agent",
  "customer",    "text",       "attributes", "conversation", "client_msg_id",
  "wrap_up",     "status",     "reason",     "offer",        "state",
  "after_seq",   "before_seq", "queues",     "to_queue",     "to_agent",
  "note",        "mode",       "transfer",   "accept",       "summary",
  "after_agent", "limit",
};

} // namespace

std::string quoted(std::string_view s) {
  constexpr std::size_t max = 64;
  if (s.size() <= max)
    return "'" + std::string(s) + "'";
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
    --end;
  return "'" + std::string(s.substr(0, end)) + "...'";
}

std::string_view key_name(key k) noexcept {
  return key_names[std::size_t(k)];
}

std::optional<key> find_key(std::string_view name) noexcept {
  auto i = std::find(key_names.begin(), key_names.end(), name);
  if (i == key_names.end())
    return std::nullopt;
  return key(i - key_names.begin());
}

std::string_view kind_name(slot::kind k) noexcept {
  switch (k) {
    case slot::kind::absent:
      return "nothing";
    case slot::kind::null:
      return "null";
    case slot::kind::string:
      return "a string";
    case slot::kind::integer:
    case slot::kind::uinteger:
    case slot::kind::floating:
      return "a number";
    case slot::kind::boolean:
      return "a boolean";
    case slot::kind::array:
      return "an array";
    case slot::kind::object:
      return "an object";
  }
  return "?";
}

} // namespace baton::gateway::detail
