#pragma once

namespace baton::engine {

/// Builds a visitor for std::visit out of lambdas.
template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};

template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

} // namespace baton::engine
