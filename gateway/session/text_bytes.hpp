#pragma once

#include <algorithm>
#include <cstddef>
#include <variant>

#include "actors/api.hpp"

namespace baton::gateway {

/// The longest free text a request carries (a message, a transfer's note, a
/// bot's summary): what `limits.max_text_bytes` bounds.
inline std::size_t text_bytes(const actors::request& r) {
  return std::visit(
    [](const auto& v) -> std::size_t {
      using T = std::decay_t<decltype(v)>;
      if constexpr (
        std::is_same_v<
          T,
          actors::
            start_conversation> || std::is_same_v<T, actors::send_message> || std::is_same_v<T, actors::send_whisper> || std::is_same_v<T, actors::take_over>)
        return v.text.size();
      else if constexpr (
        std::is_same_v<
          T,
          actors::
            request_transfer> || std::is_same_v<T, actors::unassign_conversation>)
        return v.note.size();
      else if constexpr (std::is_same_v<T, actors::hand_off>)
        return v.summary.size();
      else
        return 0;
    },
    r);
}

} // namespace baton::gateway
