#pragma once

#include "engine/types.hpp"

/// How far a node's clock is from the database's (docs/cluster.md, "One
/// clock per comparison").
namespace baton::engine::cluster {

/// This node's clock less the database's, in milliseconds, from a
/// statement sent at `sent_ms` and answered at `received_ms` (this node's
/// Unix milliseconds) that read the database's clock as `database_ms`:
/// taken at the middle of the round trip, so off by at most half of it.
time_ms clock_offset_ms(time_ms sent_ms, time_ms received_ms,
                        time_ms database_ms) noexcept;

} // namespace baton::engine::cluster
