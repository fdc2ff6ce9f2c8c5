#include "engine/config/changes.hpp"

namespace baton::engine::config {
namespace {

/// The fields of an agent that differ, by their key in the file.
std::string agent_fields(const agent& a, const agent& b) {
  std::vector<std::string> names;
  if (a.name != b.name)
    names.emplace_back("name");
  if (a.queues != b.queues)
    names.emplace_back("queues");
  if (a.topics != b.topics)
    names.emplace_back("topics");
  if (a.capacity != b.capacity)
    names.emplace_back("capacity");
  if (a.roles != b.roles)
    names.emplace_back("roles");
  if (a.permissions != b.permissions)
    names.emplace_back("permissions");
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// Added, removed and changed entries of a list keyed by `id`, each looked
/// up in the other configuration by its own lookup (agents by the roster's
/// index: a reload of 20 000 agents must not compare every pair).
template <class T, class Find, class Detail>
void compare_lists(const char* what, const std::vector<T>& before,
                   const std::vector<T>& after, Find in_before, Find in_after,
                   Detail detail, std::vector<std::string>& out) {
  for (const auto& b : before) {
    const auto* a = in_after(b.id);
    if (!a)
      out.push_back(std::string(what) + " " + b.id + " removed");
    else if (!(*a == b))
      out.push_back(std::string(what) + " " + b.id + " changed"
                    + detail(b, *a));
  }
  for (const auto& a : after)
    if (!in_before(a.id))
      out.push_back(std::string(what) + " " + a.id + " added");
}

} // namespace

std::vector<std::string> describe_changes(const config& before,
                                          const config& after) {
  std::vector<std::string> out;
  auto section = [&](const char* name, bool same) {
    if (!same)
      out.push_back(std::string("[") + name + "] changed");
  };
  section("server", before.server == after.server);
  section("auth", before.auth == after.auth);
  section("storage", before.storage == after.storage);
  section("routing", before.routing == after.routing);
  section("transfer", before.transfer == after.transfer);
  section("absence", before.absence == after.absence);
  section("attribution", before.attribution == after.attribution);
  section("supervision", before.supervision == after.supervision);
  section("limits", before.limits == after.limits);
  section("log", before.log == after.log);
  section("console", before.console == after.console);
  section("cluster", before.cluster == after.cluster);
  section("texts", before.texts == after.texts);
  auto none = [](const auto&, const auto&) { return std::string{}; };
  // A lookup in `c` by the config's own method.
  auto in = [](const config& c, auto method) {
    return [&c, method](const std::string& id) { return (c.*method)(id); };
  };
  compare_lists("topic", before.topics, after.topics,
                in(before, &config::find_topic), in(after, &config::find_topic),
                none, out);
  compare_lists("queue", before.queues, after.queues,
                in(before, &config::find_queue), in(after, &config::find_queue),
                none, out);
  compare_lists(
    "agent", before.agents, after.agents, in(before, &config::find_agent),
    in(after, &config::find_agent),
    [](const agent& b, const agent& a) { return ": " + agent_fields(b, a); },
    out);
  return out;
}

} // namespace baton::engine::config
