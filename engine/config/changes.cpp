#include "engine/config/changes.hpp"

#include <algorithm>

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

/// Added, removed and changed entries of a list keyed by `id`.
template <class T, class Detail>
void compare_lists(const char* what, const std::vector<T>& before,
                   const std::vector<T>& after, Detail detail,
                   std::vector<std::string>& out) {
  auto find = [](const std::vector<T>& list, const std::string& id) {
    auto it = std::ranges::find(list, id, &T::id);
    return it == list.end() ? nullptr : &*it;
  };
  for (const auto& b : before) {
    const auto* a = find(after, b.id);
    if (!a)
      out.push_back(std::string(what) + " " + b.id + " removed");
    else if (!(*a == b))
      out.push_back(std::string(what) + " " + b.id + " changed"
                    + detail(b, *a));
  }
  for (const auto& a : after)
    if (!find(before, a.id))
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
  compare_lists("topic", before.topics, after.topics, none, out);
  compare_lists("queue", before.queues, after.queues, none, out);
  compare_lists(
    "agent", before.agents, after.agents,
    [](const agent& b, const agent& a) { return ": " + agent_fields(b, a); },
    out);
  return out;
}

} // namespace baton::engine::config
