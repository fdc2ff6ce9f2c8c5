#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The top-level fields of a frame as the scanner captures them (internal to
/// gateway/codec). No simdjson here: only scan.cpp and decode.cpp need it.
namespace baton::gateway::detail {

/// Every top-level field name some verb reads. Others are validated, then
/// ignored.
enum class key : std::uint8_t {
  type,
  id,
  role,
  user,
  token,
  name,
  channel,
  queue,
  topic,
  agent,
  customer,
  text,
  attributes,
  conversation,
  client_msg_id,
  wrap_up,
  status,
  reason,
  offer,
  state,
  after_seq,
  before_seq,
  queues,
  to_queue,
  to_agent,
  note,
  mode,
  transfer,
  accept,
  summary,
  after_agent,
  limit,
};

inline constexpr std::size_t key_count = std::size_t(key::limit) + 1;

std::string_view key_name(key k) noexcept;
std::optional<key> find_key(std::string_view name) noexcept;

/// One captured field: its JSON type and, when scalar, its value.
struct slot {
  enum class kind : std::uint8_t {
    absent,
    null,
    string,
    integer,  ///< fits int64_t: `i`
    uinteger, ///< above INT64_MAX, fits uint64_t: `u`
    floating,
    boolean,
    array,
    object,
  };
  kind k = kind::absent;
  std::string_view str; ///< unescaped, in the parser's buffer
  std::int64_t i = 0;
  std::uint64_t u = 0;
  bool b = false;

  bool given() const noexcept {
    return k != kind::absent && k != kind::null;
  }
};

std::string_view kind_name(slot::kind k) noexcept;

/// `'s'` for a message, cut to 64 bytes on a UTF-8 boundary.
std::string quoted(std::string_view s);

/// A scanned frame. Views point into the parser: valid until its next parse.
struct frame_fields {
  std::array<slot, key_count> slots;
  /// `attributes`: false when it is an object with a non-string value.
  bool attributes_all_strings = true;
  std::string_view attributes_bad_key;
  std::optional<std::string_view> attributes_name;
  /// `queues`, when an array: its items, and whether all were strings.
  std::vector<std::string_view> queues_items;
  bool queues_all_strings = true;

  const slot& operator[](key k) const noexcept {
    return slots[std::size_t(k)];
  }
  slot& operator[](key k) noexcept {
    return slots[std::size_t(k)];
  }
};

} // namespace baton::gateway::detail
