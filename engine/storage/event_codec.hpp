#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "engine/conversation/events.hpp"

/// Events as JSON, for storage and export. One encoder and one decoder per
/// alternative of `event_body`: a new event type does not compile until it
/// has both.
namespace baton::engine::storage {

/// A stored event that cannot be read back (corrupt or from a newer version).
struct codec_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The name a body is stored under, e.g. "message_posted": one per
/// alternative, never changing with the content.
std::string_view stored_type(const event_body& body);

/// The body's fields as a JSON object, without its type.
boost::json::object encode_body(const event_body& body);

/// The body of stored type `type` from its fields.
/// Missing fields keep their defaults; an unknown type or a field of the
/// wrong kind throws codec_error.
event_body decode_body(std::string_view type, const boost::json::object& o);

/// Both ways through JSON text, as the stores keep it.
std::string encode_body_text(const event_body& body);
event_body decode_body_text(std::string_view type, std::string_view text);

/// A routing decision's grounds as JSON: stored in `routing_explained`
/// and answered by `conversation.explain` (docs/protocol.md).
boost::json::object encode_reasons(const routing_reasons& x);

/// The whole event: `{"seq":..,"ts":..,"type":..,<fields>}`.
boost::json::object encode_event(const event& e);

} // namespace baton::engine::storage
