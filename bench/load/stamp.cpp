#include "bench/load/stamp.hpp"

#include <charconv>

namespace baton::bench {

void append_stamp(std::string& out, char tag, std::uint64_t ns) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, ns);
  out += tag;
  out.append(digits, end);
}

std::uint64_t stamp_of(std::string_view s, char tag) noexcept {
  if (s.size() < 2 || s[0] != tag)
    return 0;
  std::uint64_t ns = 0;
  auto [p, ec] = std::from_chars(s.data() + 1, s.data() + s.size(), ns);
  if (ec != std::errc() || (p != s.data() + s.size() && *p != ' '))
    return 0;
  return ns;
}

} // namespace baton::bench
