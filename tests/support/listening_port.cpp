#include "tests/support/listening_port.hpp"

namespace baton::test_support {

std::optional<std::uint16_t> listening_port(std::string_view log) {
  auto at = log.find(" listening address=");
  if (at == std::string_view::npos)
    at = log.find("\"msg\":\"listening\"");
  if (at == std::string_view::npos)
    return std::nullopt;
  auto eol = log.find('\n', at);
  if (eol == std::string_view::npos)
    return std::nullopt; // still being written
  auto line = log.substr(at, eol - at);
  auto p = line.rfind(" port=");
  if (p == std::string_view::npos)
    p = line.rfind(",\"port\":");
  if (p == std::string_view::npos)
    return std::nullopt;
  unsigned value = 0;
  bool digits = false;
  for (char c : line.substr(line.find_first_of("=:", p) + 1)) {
    if (c < '0' || c > '9')
      break;
    value = value * 10 + unsigned(c - '0');
    digits = true;
    if (value > 65535)
      return std::nullopt; // before it can wrap round to a valid port
  }
  if (!digits || value == 0)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

} // namespace baton::test_support
