#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "gateway/codec/encode.hpp"

namespace baton::gateway {

/// `encode_reply`, within `max_bytes` (`server.max_frame_bytes`, the bound
/// clients may keep their frames to): a history page, waiting list or list
/// of conversations, queues or agents that would not fit is cut and says
/// `more: true`. A history page read backwards (`before_seq`) keeps its
/// newest events, any other list its first ones, so the client's next page
/// or cursor goes on from where this one stopped.
std::string encode_reply_within(const std::optional<std::string>& re,
                                actors::reply r, audience who,
                                std::size_t max_bytes);

} // namespace baton::gateway
