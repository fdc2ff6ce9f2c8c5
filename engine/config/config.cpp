#include "engine/config/config.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>

#include <arpa/inet.h> // inet_pton
#include <unistd.h>    // environ

namespace baton::engine::config {
namespace {

constexpr std::array backend_names{"sqlite", "postgres", "memory"};
constexpr std::array durability_names{"fsync", "os"};
constexpr std::array staff_role_names{"agent", "manager", "supervisor"};
constexpr std::array permission_names{"transfer", "conference", "takeover",
                                      "supervise", "assign_over_capacity"};
constexpr std::array log_level_names{"debug", "info", "warn", "error"};
constexpr std::array log_format_names{"text", "json"};

// Read by scripts/run.sh, the property tests and the storage benchmark; a
// developer who exports one must still be able to start `baton`.
constexpr std::array<std::string_view, 4> ignored_names{"BATON_CONFIG",
                                                        "BATON_PROPERTY_SEED",
                                                        "BATON_PROPERTY_SEEDS",
                                                        "BATON_BENCH_THREADS"};

std::vector<std::string> system_env_names() {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry{*e};
    if (entry.starts_with("BATON_"))
      out.emplace_back(entry.substr(0, entry.find('=')));
  }
  return out;
}

template <class T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) {
  auto i = std::ranges::find(items, id, &T::id);
  return i == items.end() ? nullptr : &*i;
}

} // namespace

std::string_view to_string(storage_backend b) noexcept {
  return name_of(backend_names, b);
}
std::string_view to_string(durability_mode d) noexcept {
  return name_of(durability_names, d);
}
std::string_view to_string(staff_role r) noexcept {
  return name_of(staff_role_names, r);
}
std::string_view to_string(permission p) noexcept {
  return name_of(permission_names, p);
}
std::string_view to_string(log_level l) noexcept {
  return name_of(log_level_names, l);
}
std::string_view to_string(log_format f) noexcept {
  return name_of(log_format_names, f);
}

std::optional<storage_backend>
parse_storage_backend(std::string_view s) noexcept {
  return parse_name<storage_backend>(backend_names, s);
}
std::optional<durability_mode> parse_durability(std::string_view s) noexcept {
  return parse_name<durability_mode>(durability_names, s);
}
std::optional<staff_role> parse_staff_role(std::string_view s) noexcept {
  return parse_name<staff_role>(staff_role_names, s);
}
std::optional<permission> parse_permission(std::string_view s) noexcept {
  return parse_name<permission>(permission_names, s);
}
std::optional<log_level> parse_log_level(std::string_view s) noexcept {
  return parse_name<log_level>(log_level_names, s);
}
std::optional<log_format> parse_log_format(std::string_view s) noexcept {
  return parse_name<log_format>(log_format_names, s);
}

std::optional<endpoint> parse_endpoint(std::string_view s) {
  auto colon = s.rfind(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  auto host = s.substr(0, colon);
  auto port = s.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2); // [::1]
  else if (host.find(':') != std::string_view::npos)
    return std::nullopt; // a bare IPv6 address is ambiguous
  if (host.empty() || host.find_first_of(" \t[]") != std::string_view::npos)
    return std::nullopt;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(),
                                   value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size()
      || value > 65535)
    return std::nullopt;
  return endpoint{std::string{host}, static_cast<std::uint16_t>(value)};
}

bool is_ip_address(std::string_view s) {
  std::string text{s};
  std::array<unsigned char, 16> bytes{};
  return ::inet_pton(AF_INET, text.c_str(), bytes.data()) == 1
         || ::inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1;
}

bool agent::has_role(staff_role r) const noexcept {
  return std::ranges::find(roles, r) != roles.end();
}

bool agent::has_permission(permission p) const noexcept {
  return std::ranges::find(permissions, p) != permissions.end();
}

bool agent::in_queue(std::string_view queue_id) const noexcept {
  return std::ranges::find(queues, queue_id) != queues.end();
}

bool agent::has_topic(std::string_view topic_id) const noexcept {
  return std::ranges::find(topics, topic_id) != topics.end();
}

const queue* config::find_queue(std::string_view id) const noexcept {
  return find_by_id(queues, id);
}

const topic* config::find_topic(std::string_view id) const noexcept {
  return find_by_id(topics, id);
}

void roster_index::build(const std::vector<agent>& agents) {
  by_id_.clear();
  by_id_.reserve(agents.size());
  for (std::size_t i = 0; i < agents.size(); ++i)
    by_id_.emplace_back(agents[i].id, i);
  std::ranges::sort(by_id_);
}

std::optional<std::size_t>
roster_index::find(std::string_view id) const noexcept {
  auto i = std::ranges::lower_bound(by_id_, id, {},
                                    [](const auto& entry) -> std::string_view {
                                      return entry.first;
                                    });
  if (i == by_id_.end() || i->first != id)
    return std::nullopt;
  return i->second;
}

std::span<const std::pair<std::string, std::size_t>>
roster_index::after(std::string_view id) const noexcept {
  auto i = std::ranges::upper_bound(by_id_, id, {},
                                    [](const auto& entry) -> std::string_view {
                                      return entry.first;
                                    });
  return {i, by_id_.end()};
}

const agent* config::find_agent(std::string_view id) const noexcept {
  if (roster.size() != agents.size())
    return find_by_id(agents, id);
  auto at = roster.find(id);
  return at && *at < agents.size() && agents[*at].id == id ? &agents[*at]
                                                           : nullptr;
}

void config::index_roster() {
  roster.build(agents);
}

std::string error::to_string() const {
  std::string out = file;
  if (line > 0)
    out += ":" + std::to_string(line);
  out += ": ";
  if (!key.empty())
    out += key + ": ";
  out += message;
  return out;
}

std::optional<std::string> system_env(std::string_view name) {
  if (const char* value = std::getenv(std::string{name}.c_str()))
    return std::string{value};
  return std::nullopt;
}

environment system_environment() {
  return {system_env, system_env_names};
}

std::span<const std::string_view> ignored_env_names() noexcept {
  return ignored_names;
}

} // namespace baton::engine::config
