#include "gateway/http/attribution_query.hpp"

#include <charconv>
#include <optional>

namespace baton::gateway {
namespace {

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// Percent-decoding (and `+` as a space, as forms send it); nothing on a
/// broken escape.
std::optional<std::string> decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] != '%') {
      out += s[i];
    } else {
      if (i + 2 >= s.size())
        return std::nullopt;
      int hi = hex_digit(s[i + 1]);
      int lo = hex_digit(s[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

} // namespace

std::variant<attribution_request, std::string>
parse_attribution_query(std::string_view query) {
  std::optional<std::string> customer;
  std::optional<std::string> at;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{}
                                          : query.substr(amp + 1);
    auto eq = pair.find('=');
    auto name = pair.substr(0, eq);
    auto value = eq == std::string_view::npos ? std::string_view{}
                                              : pair.substr(eq + 1);
    if (name != "customer" && name != "at")
      continue;
    auto& slot = name == "customer" ? customer : at;
    if (slot)
      return "'" + std::string(name) + "' is given twice";
    slot = decode(value);
    if (!slot)
      return "'" + std::string(name) + "' has a broken %-escape";
  }
  if (!customer)
    return std::string{"missing parameter 'customer'"};
  if (!engine::is_valid_id(*customer))
    return std::string{"'customer' must be an identifier: 1-64 characters "
                       "from A-Z a-z 0-9 _ . : @ -"};
  if (!at)
    return std::string{"missing parameter 'at'"};
  attribution_request r{std::move(*customer), 0};
  auto [end, ec] = std::from_chars(at->data(), at->data() + at->size(), r.at);
  if (ec != std::errc{} || end != at->data() + at->size() || at->empty()
      || r.at < 0)
    return std::string{"'at' must be a time in Unix milliseconds"};
  return r;
}

} // namespace baton::gateway
