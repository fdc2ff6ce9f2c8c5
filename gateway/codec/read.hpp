#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/codec/fields.hpp"

/// Typed reads of scanned fields with the protocol's rules (internal to
/// gateway/codec). The first fault wins and becomes the `bad_request`
/// message; later reads return defaults.
namespace baton::gateway::detail {

class field_reader {
public:
  explicit field_reader(const frame_fields& f) noexcept : f_(f) {
  }

  bool failed() const noexcept {
    return !error_.empty() || !unsupported_.empty();
  }
  std::string& error() noexcept {
    return error_;
  }
  std::string_view unsupported() const noexcept {
    return unsupported_;
  }

  /// Given and not null.
  bool has(key k) const noexcept {
    return f_[k].given();
  }

  /// An identifier (engine::is_valid_id); required, or "" when absent/null.
  std::string id(key k);
  std::string optional_id(key k);

  /// A non-empty string; `max_bytes` 0: no cap beyond the frame limit.
  std::string text(key k, std::size_t max_bytes = 0);
  std::string optional_text(key k, std::size_t max_bytes = 0);

  /// One of the names `parse` knows; `allowed` lists them for the message.
  template <class E>
  std::optional<E>
  enumeration(key k, std::optional<E> (*parse)(std::string_view) noexcept,
              std::string_view allowed, bool required) {
    auto s = string_of(k, required);
    if (!s)
      return std::nullopt;
    auto e = parse(*s);
    if (!e)
      bad_value(k, *s, allowed);
    return e;
  }

  /// A JSON boolean; required.
  bool flag(key k);

  /// A non-negative integer, or nothing when absent/null.
  std::optional<std::uint64_t> optional_seq(key k);
  /// An integer in [lo, hi], or `fallback` when absent/null.
  std::uint32_t bounded(key k, std::uint32_t lo, std::uint32_t hi,
                        std::uint32_t fallback);

  /// `queues`: an array of identifiers; empty when absent or null.
  std::vector<std::string> queue_ids();

  /// `attributes`: an object of strings; returns `name`, or "".
  std::string attributes_name(std::size_t max_bytes);

  void fail(std::string message);
  /// A well-formed request this server cannot carry out yet.
  void not_supported(std::string_view what);

private:
  /// The string, or nothing (absent or null and optional, or a fault).
  std::optional<std::string_view> string_of(key k, bool required);
  void bad_value(key k, std::string_view got, std::string_view allowed);

  const frame_fields& f_;
  std::string error_;
  std::string_view unsupported_;
};

} // namespace baton::gateway::detail
