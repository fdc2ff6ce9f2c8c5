#include "engine/routing/availability.hpp"

namespace baton::engine {

std::optional<offer_end> unavailable(const agent_standing& a,
                                     reach r) noexcept {
  if (!a.connected)
    return offer_end::agent_offline;
  if (r == reach::routing) {
    if (a.status == agent_status::offline)
      return offer_end::agent_offline;
    if (a.status != agent_status::ready)
      return offer_end::agent_not_ready;
  }
  if (r != reach::over_capacity && a.load >= a.capacity)
    return offer_end::agent_full;
  return std::nullopt;
}

} // namespace baton::engine
