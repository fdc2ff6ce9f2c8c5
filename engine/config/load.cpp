// load_file and load_string: parse, read every section, keep every error.

#include "engine/config/config.hpp"

#include "engine/config/fields.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

namespace baton::engine::config {
namespace detail {

void read_texts(const toml::table& root, config& cfg, context& ctx) {
  auto* node = root.get("texts");
  if (!node)
    return;
  auto* table = node->as_table();
  if (!table) {
    ctx.fail(ctx.at(*node, "texts"),
             "expected a table, got " + std::string{type_name(*node)});
    return;
  }
  for (auto&& [k, v] : *table) {
    auto key = join_path("texts", k.str());
    auto text_id = parse_text_key(k.str());
    if (!text_id) {
      std::vector<std::string_view> known;
      for (std::size_t i = 0; i < text_key_count; ++i)
        known.push_back(to_string(static_cast<text_key>(i)));
      ctx.fail({ctx.file, k.source().begin.line, key},
               unknown_key(k.str(), known));
      continue;
    }
    auto str = read_value(v, kind::string, key, ctx);
    if (!str)
      continue;
    auto& text = std::get<std::string>(*str);
    if (auto why = text.empty() ? non_empty(text)
                                : check_placeholders(*text_id, text))
      ctx.fail(ctx.at(v, key), std::move(*why));
    else
      cfg.texts.set(*text_id, std::move(text));
  }
}

} // namespace detail

namespace {

constexpr std::array<std::string_view, 17> top_level_keys{
  "server",      "auth",        "storage", "routing", "transfer",   "absence",
  "attribution", "supervision", "limits",  "log",     "console",    "cluster",
  "topics",      "queues",      "agents",  "texts",   "agents_file"};

void check_top_level(const toml::table& root, detail::context& ctx) {
  for (auto&& [k, v] : root)
    if (std::ranges::find(top_level_keys, k.str()) == top_level_keys.end())
      ctx.fail({ctx.file, k.source().begin.line, std::string{k.str()}},
               detail::unknown_key(k.str(), top_level_keys));
}

/// A relative path in the configuration is relative to the file, wherever
/// the process runs: a service manager's working directory is not the
/// operator's. (agents_file is anchored where it is read.)
void anchor_paths(config& cfg, const std::string& file) {
  namespace fs = std::filesystem;
  auto dir = fs::path{file}.parent_path();
  for (auto* path :
       {&cfg.storage.path, &cfg.auth.secret_file, &cfg.console.dir})
    if (!path->empty() && fs::path{*path}.is_relative())
      *path = (dir / *path).string();
}

/// The main file first, then the agents file, then the environment; by line
/// within each.
void sort_by_place(std::vector<error>& errors, const std::string& main) {
  auto rank = [&](const error& e) {
    return e.file == main ? 0 : e.file == detail::env_file ? 2 : 1;
  };
  std::ranges::stable_sort(errors, [&](const error& a, const error& b) {
    return std::tuple{rank(a), a.file, a.line}
           < std::tuple{rank(b), b.file, b.line};
  });
}

} // namespace

load_result load_string(std::string_view text, const std::string& source_name,
                        const environment& env) {
  detail::context ctx{source_name, env, {}, {}, {}};
  config cfg;
  try {
    auto root = toml::parse(text, source_name);
    check_top_level(root, ctx);
    detail::read_settings(root, cfg, ctx);
    detail::read_texts(root, cfg, ctx);
    detail::read_roster(root, cfg, ctx);
    cfg.index_roster();
    detail::check_env_names(ctx);
    anchor_paths(cfg, source_name);
  } catch (const toml::parse_error& e) {
    ctx.fail({source_name, e.source().begin.line, ""},
             std::string{e.description()});
  }
  load_result result;
  sort_by_place(ctx.errors, source_name);
  sort_by_place(ctx.warnings, source_name);
  result.errors = std::move(ctx.errors);
  result.warnings = std::move(ctx.warnings);
  if (result.errors.empty())
    result.value = std::move(cfg);
  return result;
}

load_result load_file(const std::string& path, const environment& env) {
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    load_result result;
    result.errors.push_back(
      {path, 0, "", "cannot read file: " + std::string{std::strerror(errno)}});
    return result;
  }
  std::stringstream text;
  text << in.rdbuf();
  return load_string(text.str(), path, env);
}

} // namespace baton::engine::config
