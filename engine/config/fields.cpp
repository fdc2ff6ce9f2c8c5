#include "engine/config/fields.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace baton::engine::config::detail {

void context::fail(const origin& at, std::string message) {
  errors.push_back({at.file, at.line, at.key, std::move(message)});
}

void context::warn(const origin& at, std::string message) {
  warnings.push_back({at.file, at.line, at.key, std::move(message)});
}

origin context::at(const toml::node& node, std::string key) const {
  return {file, line_of(node), std::move(key)};
}

origin context::where(std::string_view key) const {
  if (auto i = origins.find(key); i != origins.end())
    return i->second;
  return {file, 0, std::string{key}};
}

std::size_t line_of(const toml::node& node) noexcept {
  return node.source().begin.line;
}

std::string in_quotes(std::string_view s) {
  return "\"" + std::string{s} + "\"";
}

std::string join_path(std::string_view path, std::string_view key) {
  if (path.empty())
    return std::string{key};
  return std::string{path} + "." + std::string{key};
}

std::string env_name(std::string_view section, std::string_view key) {
  std::string name = "BATON_" + std::string{section} + "_" + std::string{key};
  for (char& c : name)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string_view kind_name(kind k) noexcept {
  switch (k) {
    case kind::integer:
      return "an integer";
    case kind::boolean:
      return "a boolean";
    case kind::string:
      return "a string";
    case kind::string_list:
      return "an array of strings";
  }
  return "a value";
}

std::string_view type_name(const toml::node& node) noexcept {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

namespace {

void wrong_type(const toml::node& node, kind k, const std::string& key,
                context& ctx) {
  ctx.fail(ctx.at(node, key), "expected " + std::string{kind_name(k)} + ", got "
                                + std::string{type_name(node)});
}

} // namespace

std::optional<value> read_value(const toml::node& node, kind k,
                                const std::string& key, context& ctx) {
  switch (k) {
    case kind::integer:
      if (auto* n = node.as_integer())
        return n->get();
      break;
    case kind::boolean:
      if (auto* b = node.as_boolean())
        return b->get();
      break;
    case kind::string:
      if (auto* s = node.as_string())
        return s->get();
      break;
    case kind::string_list: {
      auto* array = node.as_array();
      if (!array)
        break;
      std::vector<std::string> out;
      bool ok = true;
      for (std::size_t i = 0; i < array->size(); ++i) {
        auto& item = *array->get(i);
        if (auto* s = item.as_string()) {
          out.push_back(s->get());
        } else {
          wrong_type(item, kind::string, key + "[" + std::to_string(i) + "]",
                     ctx);
          ok = false;
        }
      }
      if (!ok)
        return std::nullopt;
      return out;
    }
  }
  wrong_type(node, k, key, ctx);
  return std::nullopt;
}

std::optional<value> parse_env_value(std::string_view raw, kind k) {
  switch (k) {
    case kind::integer: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
      if (raw.empty() || ec != std::errc{} || end != raw.data() + raw.size())
        return std::nullopt;
      return n;
    }
    case kind::boolean:
      if (raw == "true")
        return true;
      if (raw == "false")
        return false;
      return std::nullopt;
    case kind::string:
      return std::string{raw};
    case kind::string_list:
      break;
  }
  return std::nullopt;
}

check_result check_range(std::int64_t n, std::int64_t min, std::int64_t max) {
  if (n < 0 && min >= 0)
    return "must not be negative, got " + std::to_string(n);
  if (n < min)
    return "must be at least " + std::to_string(min) + ", got "
           + std::to_string(n);
  if (n > max)
    return "must be at most " + std::to_string(max) + ", got "
           + std::to_string(n);
  return std::nullopt;
}

check_result check_id(std::string_view id) {
  if (is_valid_id(id))
    return std::nullopt;
  return "invalid id " + in_quotes(id)
         + " (1 to 64 characters from A-Z a-z 0-9 _ . : @ -)";
}

std::string unknown_key(std::string_view key,
                        std::span<const std::string_view> known) {
  std::string msg = "unknown key " + in_quotes(key) + " (expected one of ";
  for (std::size_t i = 0; i < known.size(); ++i)
    msg += (i == 0 ? "" : ", ") + std::string{known[i]};
  return msg + ")";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus adjacent swaps, three rows.
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1),
    row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, row);
  }
  return prev[b.size()];
}

std::optional<std::string_view>
closest(std::string_view name, std::span<const std::string_view> known) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (auto k : known) {
    auto d = edit_distance(name, k);
    if (!best || d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  // A third of the name may be wrong: "SECRETT" is a typo, "FOO" a stranger.
  if (best && best_distance * 3 > std::max(name.size(), std::size_t{6}))
    return std::nullopt;
  return best;
}

} // namespace baton::engine::config::detail
