#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "engine/types.hpp"

/// The query of `GET /v1/attribution?customer=ID&at=MS` (docs/protocol.md,
/// "Attribution"), read without sockets.
namespace baton::gateway {

struct attribution_request {
  std::string customer;
  engine::time_ms at = 0;
};

/// The request, or why it is a bad one (a message for the 400 body). `query`
/// is what follows the `?`, percent-encoded; unknown parameters are
/// ignored.
std::variant<attribution_request, std::string>
parse_attribution_query(std::string_view query);

} // namespace baton::gateway
