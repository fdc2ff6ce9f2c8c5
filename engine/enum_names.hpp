#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

/// Enums that are written as words: a table of names, indexed by value.
namespace baton::engine {

template <class Enum, std::size_t N>
constexpr std::string_view
name_of(const std::array<const char*, N>& names, Enum e) noexcept {
  return names[static_cast<std::size_t>(e)];
}

template <class Enum, std::size_t N>
constexpr std::optional<Enum>
parse_name(const std::array<const char*, N>& names,
           std::string_view s) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (s == names[i])
      return static_cast<Enum>(i);
  return std::nullopt;
}

} // namespace baton::engine
