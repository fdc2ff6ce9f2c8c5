#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "engine/conversation/events.hpp"

namespace baton::engine {

/// Who reads a conversation's history decides what is in it. A bot reads
/// what the customer does, and the agents-only events of the spans it held
/// the conversation: from its start to its hand-off, and from each return
/// to it to the next hand-off (it gets them live then, and only then).
enum class reader : std::uint8_t { customer, staff, bot };

/// The reader a caller of `role` is (services read no history).
reader reader_of(role r) noexcept;

struct history_query {
  std::optional<std::uint64_t> after_seq;
  std::optional<std::uint64_t> before_seq;
  std::uint32_t limit = 50;
  /// About the bytes of a reply frame (server.max_frame_bytes): a page
  /// stops before its events would pass them, rather than being copied
  /// and encoded whole only to be cut (gateway/codec/bounded_reply.cpp
  /// cuts to the exact bound). Its first event always goes.
  std::size_t max_bytes = 65536;
};

struct history_page {
  std::vector<event> events; ///< in seq order
  bool more = false;         ///< events beyond the page, in its direction
};

/// True for the events a reader sees in history: routing internals (offers,
/// the creation record) never; agent-only events only for staff (a bot's
/// depend on the whole log: page_history judges them).
bool in_history(const event& e, reader who) noexcept;

/// One page of `log` (in seq order) for `who`. With `before_seq`, the page
/// ends just before it and `more` tells of earlier events; otherwise it
/// starts after `after_seq` (0 when absent) and `more` tells of later ones.
/// A bot's page needs `log` whole, from its first event.
history_page page_history(const std::vector<event>& log, reader who,
                          const history_query& q);

/// The same page, read from a log too long to take whole: `rows(n)` gives
/// the first `n` events of the log from the page's cursor on, in its
/// direction (after `after_seq`, or the last `n` before `before_seq`), in
/// seq order. Asked for a page and one more at first, and for four times
/// as many while the events `who` may not see leave the page short. Not
/// for a bot, whose page needs the log whole.
history_page page_history_in_slices(
  const std::function<std::vector<event>(std::size_t rows)>& rows, reader who,
  const history_query& q);

} // namespace baton::engine
