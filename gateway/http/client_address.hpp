#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace baton::gateway {

/// The address of the client a connection serves, by which
/// `limits.sessions_per_address` counts and the log names it: the peer's,
/// or, when the peer is one of `trusted_proxies` (`server.trusted_proxies`),
/// the rightmost address of `forwarded_for` (every `X-Forwarded-For` line,
/// joined with commas, in order) that is not one of them, i.e. whom the
/// first trusted proxy heard from. An entry that is no address ends the
/// walk there: what is left of it was written by the client. Addresses are
/// compared as addresses and returned as `inet_ntop` writes them.
std::string client_address(std::string_view peer,
                           std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

} // namespace baton::gateway
