#pragma once

#include <cstddef>
#include <ostream>
#include <string_view>

namespace baton::bench {

/// Writes the words of `text` in a column: the cursor is at `col`; the
/// first word starts at `at` (on the next line when the cursor is already
/// there or past it), and a word that would pass `width` starts a new line
/// at `at`. Ends the line. For `--help` and the summary's labelled rows.
void write_wrapped(std::ostream& o, std::string_view text, std::size_t col,
                   std::size_t at, std::size_t width);

} // namespace baton::bench
