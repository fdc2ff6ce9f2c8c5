#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <variant>

#include "caf/error.hpp"
#include "caf/sec.hpp"

/// `inspect` for the standard types CAF 0.17 cannot serialise by itself:
/// `std::optional` (a flag, then the value) and `std::variant` (the index as
/// one byte, then the alternative). They live in namespace caf, where
/// argument-dependent lookup finds them through the inspector.
namespace caf {

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, std::optional<T>& x) {
  if constexpr (Inspector::reads_state) {
    bool engaged = x.has_value();
    if (engaged)
      return f(engaged, *x);
    return f(engaged);
  } else {
    bool engaged = false;
    if (auto err = f(engaged))
      return err;
    if (!engaged) {
      x.reset();
      return {};
    }
    T value{};
    if (auto err = f(value))
      return err;
    x = std::move(value);
    return {};
  }
}

namespace detail::wire {

/// Makes alternative `I` the active one of `x` and loads it with `f`.
template <std::size_t I, class Inspector, class... Ts>
error load_alternative(Inspector& f, std::variant<Ts...>& x) {
  return f(x.template emplace<I>());
}

template <class Inspector, class... Ts, std::size_t... Is>
error load_variant(Inspector& f, std::variant<Ts...>& x, std::uint8_t index,
                   std::index_sequence<Is...>) {
  using loader = error (*)(Inspector&, std::variant<Ts...>&);
  static constexpr loader loaders[]
    = {&load_alternative<Is, Inspector, Ts...>...};
  if (index >= sizeof...(Ts))
    return make_error(sec::invalid_argument);
  return loaders[index](f, x);
}

} // namespace detail::wire

template <class Inspector, class... Ts>
typename Inspector::result_type inspect(Inspector& f, std::variant<Ts...>& x) {
  static_assert(sizeof...(Ts) < 256, "the index travels as one byte");
  if constexpr (Inspector::reads_state) {
    auto index = static_cast<std::uint8_t>(x.index());
    return std::visit([&](auto& alternative) { return f(index, alternative); },
                      x);
  } else {
    std::uint8_t index = 0;
    if (auto err = f(index))
      return err;
    return detail::wire::load_variant(f, x, index,
                                      std::index_sequence_for<Ts...>{});
  }
}

} // namespace caf
