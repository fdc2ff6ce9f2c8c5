#include "engine/routing/reasons.hpp"

#include <array>

#include "engine/enum_names.hpp"

namespace baton::engine {
namespace {

constexpr std::array pass_reason_names{"offline",       "absent",
                                       "not_ready",     "full",
                                       "missing_topic", "already_tried",
                                       "excluded"};

} // namespace

std::string_view to_string(pass_reason r) noexcept {
  return name_of(pass_reason_names, r);
}

std::optional<pass_reason> parse_pass_reason(std::string_view s) noexcept {
  return parse_name<pass_reason>(pass_reason_names, s);
}

} // namespace baton::engine
