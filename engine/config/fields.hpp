#pragma once

#include "engine/config/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

/// Loader internals: a table of fields per struct, read from TOML or from the
/// environment by the same code, so both get the same checks and messages.
namespace baton::engine::config::detail {

/// Where a value came from: a file and line, or an environment variable.
struct origin {
  std::string file;
  std::size_t line = 0;
  std::string key;
};

inline constexpr std::string_view env_file = "environment";

/// What one load gathers: problems, and where each value came from, because
/// the cross-checks at the end need the line of a key they did not read.
struct context {
  std::string file; ///< the file being read
  const environment& env;
  std::vector<error> errors;
  std::vector<error> warnings;
  std::map<std::string, origin, std::less<>> origins;

  void fail(const origin& at, std::string message);
  void warn(const origin& at, std::string message);
  origin at(const toml::node& node, std::string key) const;
  /// Where `key` was set, or the file without a line when it is a default.
  origin where(std::string_view key) const;
};

enum class kind : std::uint8_t { integer, boolean, string, string_list };

using value
  = std::variant<std::int64_t, bool, std::string, std::vector<std::string>>;

using check_result = std::optional<std::string>; ///< nullopt: accepted

template <class S>
struct field {
  std::string_view key;
  kind type;
  /// Stores a value of the right kind, or says why it is refused.
  std::function<check_result(S&, value&&)> set;
  bool required = false;
};

std::size_t line_of(const toml::node& node) noexcept;
std::string in_quotes(std::string_view s);
std::string join_path(std::string_view path, std::string_view key);
std::string env_name(std::string_view section, std::string_view key);

/// "an integer", "a table"...
std::string_view kind_name(kind k) noexcept;
std::string_view type_name(const toml::node& node) noexcept;

/// The node as a value of kind `k`, or nullopt after reporting the mismatch.
std::optional<value> read_value(const toml::node& node, kind k,
                                const std::string& key, context& ctx);

/// An environment string as kind `k`: integers in decimal, true/false.
std::optional<value> parse_env_value(std::string_view raw, kind k);

check_result check_range(std::int64_t n, std::int64_t min, std::int64_t max);
check_result check_id(std::string_view id);
std::string unknown_key(std::string_view key,
                        std::span<const std::string_view> known);

/// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The entry of `known` nearest to `name`, when it is near enough to be
/// what was meant; nullopt otherwise.
std::optional<std::string_view>
closest(std::string_view name, std::span<const std::string_view> known);

// -- field builders -----------------------------------------------------------

template <class I>
constexpr std::int64_t max_of() noexcept {
  constexpr auto max = std::numeric_limits<I>::max();
  constexpr auto cap = std::numeric_limits<std::int64_t>::max();
  return static_cast<std::uint64_t>(max) > static_cast<std::uint64_t>(cap)
           ? cap
           : static_cast<std::int64_t>(max);
}

template <class S, class I>
field<S> integer(std::string_view key, I S::*m, std::int64_t min,
                 std::int64_t max = max_of<I>()) {
  return {key, kind::integer, [=](S& s, value&& v) -> check_result {
            auto n = std::get<std::int64_t>(v);
            if (auto why = check_range(n, min, max))
              return why;
            s.*m = static_cast<I>(n);
            return std::nullopt;
          }};
}

template <class S>
field<S> flag(std::string_view key, bool S::*m) {
  return {key, kind::boolean, [=](S& s, value&& v) -> check_result {
            s.*m = std::get<bool>(v);
            return std::nullopt;
          }};
}

using string_check = check_result (*)(std::string_view);

inline check_result non_empty(std::string_view s) {
  if (s.empty())
    return "must not be empty";
  return std::nullopt;
}

template <class S>
field<S> text(std::string_view key, std::string S::*m,
              string_check check = nullptr, bool required = false) {
  return {key, kind::string,
          [=](S& s, value&& v) -> check_result {
            auto& str = std::get<std::string>(v);
            if (check)
              if (auto why = check(str))
                return why;
            s.*m = std::move(str);
            return std::nullopt;
          },
          required};
}

template <class S>
field<S>
identifier(std::string_view key, std::string S::*m, bool required = false) {
  return text(key, m, check_id, required);
}

template <class S>
field<S> id_list(std::string_view key, std::vector<std::string> S::*m) {
  return {key, kind::string_list, [=](S& s, value&& v) -> check_result {
            auto& ids = std::get<std::vector<std::string>>(v);
            for (auto& id : ids)
              if (auto why = check_id(id))
                return why;
            s.*m = std::move(ids);
            return std::nullopt;
          }};
}

/// `what` names the value in messages ("strategy"), `expected` lists the
/// valid ones.
template <class S, class E, class Parse>
field<S> choice(std::string_view key, E S::*m, Parse parse,
                std::string_view what, std::string_view expected) {
  return {key, kind::string, [=](S& s, value&& v) -> check_result {
            auto& str = std::get<std::string>(v);
            auto e = parse(str);
            if (!e)
              return "unknown " + std::string{what} + " " + in_quotes(str)
                     + " (expected one of " + std::string{expected} + ")";
            s.*m = *e;
            return std::nullopt;
          }};
}

/// Duplicates collapse; an empty list is refused unless `may_be_empty`.
template <class S, class E, class Parse>
field<S> choice_list(std::string_view key, std::vector<E> S::*m, Parse parse,
                     std::string_view what, std::string_view expected,
                     bool may_be_empty = false) {
  return {key, kind::string_list, [=](S& s, value&& v) -> check_result {
            std::vector<E> out;
            for (auto& str : std::get<std::vector<std::string>>(v)) {
              auto e = parse(str);
              if (!e)
                return "unknown " + std::string{what} + " " + in_quotes(str)
                       + " (expected one of " + std::string{expected} + ")";
              if (std::ranges::find(out, *e) == out.end())
                out.push_back(*e);
            }
            if (out.empty() && !may_be_empty)
              return "must name at least one " + std::string{what};
            s.*m = std::move(out);
            return std::nullopt;
          }};
}

// -- readers ------------------------------------------------------------------

/// Reads every key of `table` into `out`: unknown keys, wrong types and bad
/// values are reported with their lines; `path` prefixes the keys.
template <class S>
void read_table(const toml::table& table, std::string_view path,
                std::span<const field<S>> fields, S& out, context& ctx) {
  std::vector<std::string_view> known;
  for (auto& f : fields)
    known.push_back(f.key);
  for (auto&& [k, node] : table) {
    auto key = join_path(path, k.str());
    auto f = std::ranges::find(fields, k.str(), &field<S>::key);
    if (f == fields.end()) {
      ctx.fail({ctx.file, k.source().begin.line, key},
               unknown_key(k.str(), known));
      continue;
    }
    auto v = read_value(node, f->type, key, ctx);
    if (!v)
      continue;
    if (auto why = f->set(out, std::move(*v)))
      ctx.fail(ctx.at(node, key), std::move(*why));
    else
      ctx.origins[key] = ctx.at(node, key);
  }
  for (auto& f : fields)
    if (f.required && !table.contains(f.key))
      ctx.fail({ctx.file, line_of(table), join_path(path, f.key)},
               "missing required key");
}

/// Applies `BATON_<SECTION>_<KEY>` to the scalar fields of one section.
template <class S>
void apply_env(std::string_view section, std::span<const field<S>> fields,
               S& out, context& ctx) {
  for (auto& f : fields) {
    if (f.type == kind::string_list)
      continue;
    auto name = env_name(section, f.key);
    auto raw = ctx.env.lookup(name);
    if (!raw)
      continue;
    origin at{std::string{env_file}, 0, name};
    auto v = parse_env_value(*raw, f.type);
    if (!v) {
      ctx.fail(at, "expected " + std::string{kind_name(f.type)} + " for "
                     + join_path(section, f.key) + ", got " + in_quotes(*raw));
      continue;
    }
    if (auto why = f.set(out, std::move(*v)))
      ctx.fail(at, std::move(*why));
    else
      ctx.origins[join_path(section, f.key)] = at;
  }
}

// -- the sections, each in its own file ---------------------------------------

/// [server] ... [log], then their environment overrides.
void read_settings(const toml::table& root, config& cfg, context& ctx);

/// Every `BATON_*` variable set must be an override of a key (or one of
/// ignored_env_names): a misspelt one is an error naming the nearest.
void check_env_names(context& ctx);

/// [texts].
void read_texts(const toml::table& root, config& cfg, context& ctx);

/// [[queues]], [[topics]], [[agents]] and agents_file, in that order, each
/// checked against the ones before.
void read_roster(const toml::table& root, config& cfg, context& ctx);

} // namespace baton::engine::config::detail
