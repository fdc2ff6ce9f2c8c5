#include "engine/types.hpp"

#include "engine/enum_names.hpp"

#include <array>
#include <utility>

namespace baton::engine {
namespace {

constexpr std::array role_names{"customer", "agent", "supervisor", "bot",
                                "service"};
constexpr std::array channel_names{"web", "whatsapp", "facebook",
                                   "sms", "email",    "other"};
constexpr std::array state_names{"bot", "queued", "offered", "assigned",
                                 "closed"};
constexpr std::array status_names{"ready", "not_ready", "offline"};
constexpr std::array strategy_names{"longest_idle", "least_busy", "round_robin",
                                    "ring_all",     "random",     "skills"};
constexpr std::array mode_names{"push", "pull", "auto"};
constexpr std::array visibility_names{"all", "agents"};
constexpr std::array kind_names{"new", "transfer", "conference", "direct",
                                "assign"};
constexpr std::array end_names{"timeout",       "rejected",       "taken",
                               "cancelled",     "abandoned",      "agent_full",
                               "agent_offline", "agent_not_ready"};
constexpr std::array transfer_mode_names{"cold", "warm"};
constexpr std::array transfer_result_names{"completed", "declined", "failed",
                                           "cancelled"};

} // namespace

std::string_view to_string(role r) noexcept {
  return name_of(role_names, r);
}
std::string_view to_string(channel c) noexcept {
  return name_of(channel_names, c);
}
std::string_view to_string(conversation_state s) noexcept {
  return name_of(state_names, s);
}
std::string_view to_string(agent_status s) noexcept {
  return name_of(status_names, s);
}
std::string_view to_string(strategy s) noexcept {
  return name_of(strategy_names, s);
}
std::string_view to_string(queue_mode m) noexcept {
  return name_of(mode_names, m);
}
std::string_view to_string(visibility v) noexcept {
  return name_of(visibility_names, v);
}
std::string_view to_string(offer_kind k) noexcept {
  return name_of(kind_names, k);
}
std::string_view to_string(offer_end e) noexcept {
  return name_of(end_names, e);
}

std::string_view to_string(transfer_mode m) noexcept {
  return name_of(transfer_mode_names, m);
}
std::string_view to_string(transfer_result r) noexcept {
  return name_of(transfer_result_names, r);
}

std::optional<transfer_mode> parse_transfer_mode(std::string_view s) noexcept {
  return parse_name<transfer_mode>(transfer_mode_names, s);
}
std::optional<transfer_result>
parse_transfer_result(std::string_view s) noexcept {
  return parse_name<transfer_result>(transfer_result_names, s);
}

std::optional<role> parse_role(std::string_view s) noexcept {
  return parse_name<role>(role_names, s);
}
std::optional<channel> parse_channel(std::string_view s) noexcept {
  return parse_name<channel>(channel_names, s);
}
std::optional<agent_status> parse_agent_status(std::string_view s) noexcept {
  return parse_name<agent_status>(status_names, s);
}
std::optional<strategy> parse_strategy(std::string_view s) noexcept {
  return parse_name<strategy>(strategy_names, s);
}
std::optional<queue_mode> parse_queue_mode(std::string_view s) noexcept {
  return parse_name<queue_mode>(mode_names, s);
}
std::optional<visibility> parse_visibility(std::string_view s) noexcept {
  return parse_name<visibility>(visibility_names, s);
}
std::optional<offer_kind> parse_offer_kind(std::string_view s) noexcept {
  return parse_name<offer_kind>(kind_names, s);
}
std::optional<offer_end> parse_offer_end(std::string_view s) noexcept {
  return parse_name<offer_end>(end_names, s);
}

bool is_valid_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64)
    return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':'
              || c == '@' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

std::string user_key(role r, std::string_view user) {
  std::string key{to_string(r)};
  key += ':';
  key += user;
  return key;
}

} // namespace baton::engine
