#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "engine/types.hpp"

namespace baton::engine {

/// Makes sortable, unique ids in the shape of ULIDs: a prefix, the time in
/// Crockford base32, then a per-generator random start and a counter, so two
/// generators (two nodes, or before and after a restart) do not collide.
class id_generator {
public:
  id_generator(std::string_view prefix, std::uint64_t seed);

  std::string next(time_ms now);

private:
  std::string prefix_;
  std::uint64_t counter_;
};

} // namespace baton::engine
