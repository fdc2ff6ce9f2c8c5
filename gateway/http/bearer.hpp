#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/config/config.hpp"

/// `Authorization: Bearer ...` credentials of the HTTP API (spec/protocol.md,
/// `/v1/queues` and `/v1/attribution`), checked without sockets or clocks:
/// the header comes in as the client sent it, the time as an argument.
namespace baton::gateway {

/// The configured supervisor behind `header`: `Bearer <user>:<token>`, or a
/// bare `Bearer <token>` tried against every configured supervisor.
std::optional<std::string> bearer_supervisor(const engine::config::config& cfg,
                                             std::string_view header,
                                             std::int64_t now_unix_s);

/// A `service` caller behind `Bearer <user>:<token>`: services are not in
/// the configuration, so the user comes with the token.
std::optional<std::string> bearer_service(const engine::config::config& cfg,
                                          std::string_view header,
                                          std::int64_t now_unix_s);

} // namespace baton::gateway
