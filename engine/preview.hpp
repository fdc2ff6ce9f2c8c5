#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace baton::engine {

/// What a list shows of a text: at most `max_bytes` of it, cut at a
/// character boundary (never inside a UTF-8 sequence), with "…" when cut.
inline std::string preview(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes)
    return std::string{text};
  auto end = max_bytes;
  // Back off continuation bytes (10xxxxxx) to the start of a character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  std::string out{text.substr(0, end)};
  out += "\u2026";
  return out;
}

/// How much of a text waiting-list entries and transfer lines show.
inline constexpr std::size_t preview_bytes = 500;

} // namespace baton::engine
