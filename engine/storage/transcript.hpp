#pragma once

#include <string>
#include <vector>

#include "engine/conversation/events.hpp"

namespace baton::engine::storage {

/// A conversation's whole log as one JSON document, for `baton export`:
/// `{"conversation":ID,"state":..,"created_at":..,"closed_at":..,
///   "events":[{"seq","ts","type",<fields>}...]}`; `closed_at` is null
/// while it is open.
std::string transcript_json(const std::string& id,
                            const std::vector<event>& log);

} // namespace baton::engine::storage
