#include "engine/errc.hpp"

#include <array>
#include <string>

namespace baton::engine {
namespace {

constexpr std::array names{
  "ok",          "bad_request", "unauthorized",  "forbidden",
  "not_found",   "conflict",    "invalid_state", "rate_limited",
  "unavailable", "internal",    "limit_reached"};

class category final : public std::error_category {
public:
  const char* name() const noexcept override {
    return "baton";
  }
  std::string message(int value) const override {
    auto index = static_cast<std::size_t>(value);
    return index < names.size() ? names[index] : "unknown";
  }
};

} // namespace

const std::error_category& error_category() noexcept {
  static const category instance;
  return instance;
}

std::string_view code_name(errc e) noexcept {
  return names[static_cast<std::size_t>(e)];
}

} // namespace baton::engine
