#include "gateway/http/client_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <optional>

namespace baton::gateway {
namespace {

/// An address as bytes, with its family.
struct ip_address {
  int family = AF_INET;
  std::array<unsigned char, 16> bytes{};

  bool operator==(const ip_address&) const = default;
};

std::optional<ip_address> parse(std::string_view text) {
  auto first = text.find_first_not_of(" \t");
  auto last = text.find_last_not_of(" \t");
  if (first == std::string_view::npos)
    return std::nullopt;
  std::string trimmed{text.substr(first, last - first + 1)};
  ip_address a;
  if (::inet_pton(AF_INET, trimmed.c_str(), a.bytes.data()) == 1)
    return a;
  a.family = AF_INET6;
  if (::inet_pton(AF_INET6, trimmed.c_str(), a.bytes.data()) == 1)
    return a;
  return std::nullopt;
}

std::string to_text(const ip_address& a) {
  std::array<char, INET6_ADDRSTRLEN> out{};
  ::inet_ntop(a.family, a.bytes.data(), out.data(), out.size());
  return out.data();
}

} // namespace

std::string client_address(std::string_view peer,
                           std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  auto client = parse(peer);
  if (!client)
    return std::string{peer};
  auto trusted = [&](const ip_address& a) {
    return std::ranges::any_of(trusted_proxies, [&](const std::string& t) {
      return parse(t) == a;
    });
  };
  while (trusted(*client) && !forwarded_for.empty()) {
    auto comma = forwarded_for.rfind(',');
    auto entry = comma == std::string_view::npos
                   ? forwarded_for
                   : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos
                      ? std::string_view{}
                      : forwarded_for.substr(0, comma);
    auto next = parse(entry);
    if (!next)
      break;
    client = next;
  }
  return to_text(*client);
}

} // namespace baton::gateway
