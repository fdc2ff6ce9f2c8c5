#pragma once

#include <cstddef>
#include <functional>

#include "caf/actor_addr.hpp"

namespace baton::actors {

/// Hashes an actor address, the invalid one too. CAF 0.17's own hash reads
/// the id through the address's pointer, which is null for an invalid
/// address: and a handle deserialized from another node is invalid when
/// the link to it closed meanwhile (its proxy could not be made), as is
/// the sender of such a message. Every table keyed by address uses this.
struct actor_addr_hash {
  std::size_t operator()(const caf::actor_addr& a) const noexcept {
    return a ? std::hash<caf::actor_addr>{}(a) : 0;
  }
};

} // namespace baton::actors
