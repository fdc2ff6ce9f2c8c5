// The roster: [[queues]], [[topics]], [[agents]] and agents_file. Read in
// that order so each reference can be checked against what came before.

#include "engine/config/fields.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace baton::engine::config::detail {
namespace {

constexpr std::string_view strategies
  = "longest_idle, least_busy, round_robin, ring_all, random, skills";

std::span<const field<queue>> queue_fields() {
  constexpr std::int64_t week = 7 * 86400000LL;
  static const std::vector<field<queue>> fields{
    identifier("id", &queue::id, true),
    text("name", &queue::name),
    choice("strategy", &queue::strategy, parse_strategy, "strategy",
           strategies),
    choice("mode", &queue::mode, parse_queue_mode, "mode", "push, pull, auto"),
    integer("offer_timeout_ms", &queue::offer_timeout_ms, 1, week),
    integer("wait_timeout_ms", &queue::wait_timeout_ms, 1, week),
    integer("max_estimated_wait_s", &queue::max_estimated_wait_s, 0,
            week / 1000),
    text("welcome_text", &queue::welcome_text),
  };
  return fields;
}

std::span<const field<topic>> topic_fields() {
  static const std::vector<field<topic>> fields{
    identifier("id", &topic::id, true),
    text("name", &topic::name),
    flag("restricted", &topic::restricted),
    identifier("queue", &topic::queue),
  };
  return fields;
}

std::span<const field<agent>> agent_fields() {
  static const std::vector<field<agent>> fields{
    identifier("id", &agent::id, true),
    text("name", &agent::name),
    id_list("queues", &agent::queues),
    id_list("topics", &agent::topics),
    integer("capacity", &agent::capacity, 1, 1000),
    choice_list("roles", &agent::roles, parse_staff_role, "role",
                "agent, manager, supervisor"),
    // `[]`: a member who may do nothing beyond taking conversations.
    choice_list("permissions", &agent::permissions, parse_permission,
                "permission",
                "transfer, conference, takeover, supervise, "
                "assign_over_capacity",
                true),
  };
  return fields;
}

std::string indexed(std::string_view path, std::size_t i) {
  return std::string{path} + "[" + std::to_string(i) + "]";
}

/// Calls `each(table, path)` for every table of the array `key`.
template <class Fn>
void for_each_table(const toml::table& root, std::string_view key, context& ctx,
                    Fn each) {
  auto* node = root.get(key);
  if (!node)
    return;
  auto* array = node->as_array();
  if (!array) {
    ctx.fail(ctx.at(*node, std::string{key}),
             "expected an array of tables ([[" + std::string{key} + "]]), got "
               + std::string{type_name(*node)});
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto& item = *array->get(i);
    if (auto* table = item.as_table())
      each(*table, indexed(key, i));
    else
      ctx.fail(ctx.at(item, indexed(key, i)),
               "expected a table, got " + std::string{type_name(item)});
  }
}

/// First definitions by id, to name both places of a duplicate.
class id_registry {
public:
  explicit id_registry(std::string_view what) : what_(what) {
  }

  /// False, after reporting, if `id` was seen before.
  bool add(const std::string& id, const origin& at, context& ctx) {
    auto [it, fresh] = first_.try_emplace(id, at);
    if (fresh)
      return true;
    auto& first = it->second;
    ctx.fail(at, "duplicate " + what_ + " id " + in_quotes(id)
                   + " (first defined at " + first.file + ":"
                   + std::to_string(first.line) + ")");
    return false;
  }

private:
  std::string what_;
  std::unordered_map<std::string, origin> first_;
};

void read_queues(const toml::table& root, config& cfg, context& ctx) {
  id_registry ids{"queue"};
  for_each_table(root, "queues", ctx, [&](auto& table, const auto& path) {
    queue q;
    q.offer_timeout_ms = cfg.routing.offer_timeout_ms;
    read_table(table, path, queue_fields(), q, ctx);
    if (q.id.empty() || !ids.add(q.id, ctx.where(path + ".id"), ctx))
      return;
    if (q.name.empty())
      q.name = q.id;
    cfg.queues.push_back(std::move(q));
  });
  // A file without queues still runs: everything goes to the default queue.
  auto& id = cfg.routing.default_queue;
  if (cfg.queues.empty()) {
    queue q;
    q.id = q.name = id;
    q.offer_timeout_ms = cfg.routing.offer_timeout_ms;
    cfg.queues.push_back(std::move(q));
  } else if (!cfg.find_queue(id)) {
    ctx.fail(ctx.where("routing.default_queue"),
             "unknown queue " + in_quotes(id) + " (no [[queues]] has this id)");
  }
}

void read_topics(const toml::table& root, config& cfg, context& ctx) {
  id_registry ids{"topic"};
  for_each_table(root, "topics", ctx, [&](auto& table, const auto& path) {
    topic t;
    read_table(table, path, topic_fields(), t, ctx);
    if (t.id.empty() || !ids.add(t.id, ctx.where(path + ".id"), ctx))
      return;
    if (t.name.empty())
      t.name = t.id;
    if (!t.queue.empty() && !cfg.find_queue(t.queue))
      ctx.fail(ctx.where(path + ".queue"),
               "unknown queue " + in_quotes(t.queue));
    cfg.topics.push_back(std::move(t));
  });
}

/// Reports each entry of `table[key]` that `exists` does not know.
template <class Exists>
void check_refs(const toml::table& table, const std::string& path,
                std::string_view key, std::string_view what, context& ctx,
                Exists exists) {
  auto* array = table.get_as<toml::array>(key);
  if (!array)
    return;
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto* id = array->get(i)->as_string();
    if (id && is_valid_id(id->get()) && !exists(id->get()))
      ctx.fail(ctx.at(*id, indexed(join_path(path, key), i)),
               "unknown " + std::string{what} + " " + in_quotes(id->get()));
  }
}

void read_agent_tables(const toml::table& root, config& cfg, context& ctx,
                       id_registry& ids) {
  for_each_table(root, "agents", ctx, [&](auto& table, const auto& path) {
    agent a;
    if (!table.contains("queues"))
      a.queues = {cfg.routing.default_queue};
    read_table(table, path, agent_fields(), a, ctx);
    // A supervisor only watches: no queue unless the file says so.
    if (!table.contains("queues") && !a.has_role(staff_role::agent)
        && !a.has_role(staff_role::manager))
      a.queues.clear();
    check_refs(table, path, "queues", "queue", ctx,
               [&](auto& id) { return cfg.find_queue(id) != nullptr; });
    check_refs(table, path, "topics", "topic", ctx,
               [&](auto& id) { return cfg.find_topic(id) != nullptr; });
    if (a.id.empty() || !ids.add(a.id, ctx.where(path + ".id"), ctx))
      return;
    if (a.name.empty())
      a.name = a.id;
    cfg.agents.push_back(std::move(a));
  });
}

/// The roster file: only [[agents]], its own lines in its own messages.
void read_agents_file(const toml::table& root, config& cfg, context& ctx,
                      id_registry& ids) {
  auto* node = root.get("agents_file");
  if (!node)
    return;
  auto* name = node->as_string();
  if (!name) {
    ctx.fail(ctx.at(*node, "agents_file"),
             "expected a string, got " + std::string{type_name(*node)});
    return;
  }
  cfg.agents_file = name->get();
  namespace fs = std::filesystem;
  fs::path path{cfg.agents_file};
  if (path.is_relative())
    path = fs::path{ctx.file}.parent_path() / path;
  std::ifstream in{path, std::ios::binary};
  std::stringstream text;
  if (in)
    text << in.rdbuf();
  if (!in) {
    ctx.fail(ctx.at(*node, "agents_file"),
             "cannot read " + in_quotes(path.string()));
    return;
  }
  auto outer = std::exchange(ctx.file, path.string());
  try {
    auto roster = toml::parse(text.str(), ctx.file);
    for (auto&& [k, v] : roster)
      if (k.str() != "agents")
        ctx.fail({ctx.file, k.source().begin.line, std::string{k.str()}},
                 "unknown key " + in_quotes(k.str())
                   + " (an agents_file holds only [[agents]])");
    read_agent_tables(roster, cfg, ctx, ids);
  } catch (const toml::parse_error& e) {
    ctx.fail({ctx.file, e.source().begin.line, ""},
             std::string{e.description()});
  }
  ctx.file = std::move(outer);
}

void warn_untakeable_topics(const config& cfg, context& ctx) {
  std::unordered_set<std::string_view> taken;
  for (auto& a : cfg.agents)
    taken.insert(a.topics.begin(), a.topics.end());
  for (std::size_t i = 0; i < cfg.topics.size(); ++i) {
    auto& t = cfg.topics[i];
    if (t.restricted && !taken.contains(t.id))
      ctx.warn(ctx.where(indexed("topics", i) + ".restricted"),
               "no agent lists restricted topic " + in_quotes(t.id)
                 + ": its conversations can never be taken");
  }
}

} // namespace

void read_roster(const toml::table& root, config& cfg, context& ctx) {
  read_queues(root, cfg, ctx);
  read_topics(root, cfg, ctx);
  id_registry agent_ids{"agent"};
  read_agent_tables(root, cfg, ctx, agent_ids);
  read_agents_file(root, cfg, ctx, agent_ids);
  warn_untakeable_topics(cfg, ctx);
}

} // namespace baton::engine::config::detail
