#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "actors/api.hpp"
#include "engine/errc.hpp"
#include "engine/types.hpp"
#include "gateway/codec/decode.hpp"

/// Server frames out (docs/protocol.md, "The envelope" and "Events"), written
/// with Boost.JSON. Every function returns one complete text frame. No Boost
/// in this header.
namespace baton::gateway {

/// Who reads a frame. Customers never see agent-only events (whispers,
/// offers, routing internals); agents, supervisors, bots and services are
/// `agent`.
enum class audience : std::uint8_t { customer, agent };

audience audience_of(engine::role r) noexcept;

// -- replies
// -------------------------------------------------------------------

/// `{"type":"error","re":..,"code":..,"message":..}`; `re` only with an id.
/// An `errc::ok` code is written as `internal`: it is a caller's bug.
std::string encode_error(const std::optional<std::string>& re,
                         engine::errc code, std::string_view message);

/// A malformed frame: `bad_request`.
std::string encode_error(const decode_error& e);

/// A verb not supported yet: `bad_request` "not supported yet: <what>".
std::string encode_unsupported(const unsupported_verb& u);

/// `{"type":"ok","re":..,...}` with the fields of the reply's body
/// (docs/protocol.md, "The replies at a glance"). History events go
/// through the same filter as live ones for `who`.
std::string encode_ok(const std::optional<std::string>& re,
                      const actors::reply_body& body, audience who);

/// `encode_ok` when `r.ok()`, else `encode_error` with its code and message.
std::string encode_reply(const std::optional<std::string>& re,
                         const actors::reply& r, audience who);

/// The reply to `auth.refresh`: `expires_at`, Unix milliseconds.
std::string encode_refresh_ok(const std::optional<std::string>& re,
                              engine::time_ms expires_at);

/// The reply to `hello`: `session`, `role`, `user`, `conversations`
/// (summaries), `offers` (each the live `offer` event, `type` included;
/// empty unless an agent) and `resume_token` when there is one.
std::string encode_hello_ok(const std::optional<std::string>& re,
                            std::string_view session_id, engine::role role,
                            std::string_view user, const actors::welcome& w,
                            const std::optional<std::string>& resume_token);

// -- events
// --------------------------------------------------------------------

/// Whether `who` may see `n` at all. Routing internals (conversation.created,
/// offer.made, offer.ended) are seen by nobody.
bool visible_to(const actors::notification& n, audience who) noexcept;

/// The event frame for `who`, or nothing when `who` must not see it. The text
/// does not depend on the audience beyond that: a caller can encode once for
/// `agent` and send the same string to customers when `visible_to(n,
/// customer)`.
std::optional<std::string> encode_event(const actors::notification& n,
                                        audience who);

/// The event frame for `who`, made at most once per notification and
/// audience (cached in `n.rendered`, safe from any thread) and shared by
/// every socket; null when `who` must not see it. A customer's frame is the
/// agents' frame, not a second copy.
const std::shared_ptr<const std::string>&
shared_event(const actors::notification& n, audience who);

} // namespace baton::gateway
