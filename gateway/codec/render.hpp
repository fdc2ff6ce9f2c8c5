#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "actors/api.hpp"
#include "gateway/codec/encode.hpp"

/// The JSON shapes shared by replies and events (internal to gateway/codec):
/// a history event and a live event are the same object, and so are an offer
/// in the `hello` reply and the `offer` event.
namespace baton::gateway::detail {

namespace json = boost::json;

/// A per-call arena: most frames fit in it, so building one allocates only
/// the resulting string.
class arena {
public:
  json::storage_ptr storage() noexcept {
    return json::storage_ptr(&resource_);
  }

private:
  unsigned char buffer_[4096];
  json::monotonic_resource resource_{buffer_, sizeof buffer_};
};

/// An identifier that may be unset: null when empty (fields the protocol
/// always carries); fields marked `?` are left out instead.
json::value id_or_null(std::string_view id, const json::storage_ptr& sp);

json::object participant_json(const engine::participant& p,
                              const json::storage_ptr& sp);
json::object summary_json(const actors::conversation_summary& s,
                          const json::storage_ptr& sp);
json::object waiting_json(const actors::waiting_entry& w,
                          const json::storage_ptr& sp);
json::object queue_json(const actors::queue_row& q,
                        const json::storage_ptr& sp);
json::object agent_json(const actors::agent_row& a,
                        const json::storage_ptr& sp);
/// A step of `conversation.explain`, with its grounds where recorded.
json::object step_json(const engine::routing_step& s,
                       const json::storage_ptr& sp);
json::object offer_json(std::string_view conversation,
                        const actors::offer_notice& o,
                        const json::storage_ptr& sp);

bool event_visible(const engine::event& e, audience who) noexcept;

/// A conversation event as clients see it, or nothing when `who` must not.
std::optional<json::object> event_json(std::string_view conversation,
                                       const engine::event& e, audience who,
                                       const json::storage_ptr& sp);

/// The wire reason of `offer.revoked`: the protocol has four.
std::string_view revoke_reason(engine::offer_end e) noexcept;

} // namespace baton::gateway::detail
