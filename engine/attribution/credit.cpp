#include "engine/attribution/credit.hpp"

#include <algorithm>

namespace baton::engine::attribution {

std::optional<std::string> credit(std::span<const std::string> newest_first,
                                  bool prefer_non_manager,
                                  const is_manager_fn& is_manager) {
  if (newest_first.empty())
    return std::nullopt;
  const auto& newest = newest_first.front();
  if (!prefer_non_manager || !is_manager(newest))
    return newest;
  auto earlier = newest_first.subspan(1);
  auto staff = std::ranges::find_if(earlier, [&](const std::string& agent) {
    return !is_manager(agent);
  });
  return staff != earlier.end() ? *staff : newest;
}

} // namespace baton::engine::attribution
