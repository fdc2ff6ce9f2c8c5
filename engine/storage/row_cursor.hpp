#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

#include "engine/storage/store.hpp"

namespace baton::engine::storage {

/// A row_range as the databases take it: their integers are signed, so a
/// seq past them is past every row.
struct row_cursor {
  std::int64_t seq = 0; ///< rows after it, or before it when `backward`
  std::int64_t limit = 0;
  bool backward = false; ///< the last rows before `seq`, newest first
};

/// Nothing when no row can be past the cursor.
inline std::optional<row_cursor> cursor_of(const row_range& rows) {
  constexpr auto most
    = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!rows.before_seq && rows.after_seq >= most)
    return std::nullopt;
  return row_cursor{
    static_cast<std::int64_t>(
      std::min(rows.before_seq.value_or(rows.after_seq), most)),
    static_cast<std::int64_t>(std::min<std::uint64_t>(rows.limit, most)),
    rows.before_seq.has_value()};
}

} // namespace baton::engine::storage
