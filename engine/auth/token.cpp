#include "engine/auth/token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>

namespace baton::engine::auth {
namespace {

constexpr std::size_t sig_hex_size = 64; // SHA-256: 32 bytes

/// HMAC over the exact bytes of `exp` as written in the token.
std::string hex_hmac(std::string_view secret, role r, std::string_view user,
                     std::string_view exp) {
  std::string message;
  message.reserve(16 + user.size() + exp.size());
  message.append(to_string(r)).append("\n");
  message.append(user).append("\n");
  message.append(exp);

  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       mac.data(), &mac_size);

  constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * mac_size);
  for (unsigned int i = 0; i < mac_size; ++i) {
    hex.push_back(digits[mac[i] >> 4]);
    hex.push_back(digits[mac[i] & 0x0f]);
  }
  return hex;
}

bool is_lower_hex(std::string_view s) noexcept {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  return true;
}

/// Canonical decimal only ("0", "17..."): one token per expiry, no "+1", no
/// leading zeros, no overflow.
bool parse_exp(std::string_view s, std::int64_t& out) noexcept {
  if (s.empty() || (s.size() > 1 && s.front() == '0'))
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

} // namespace

std::string_view to_string(verify_result r) noexcept {
  switch (r) {
    case verify_result::ok:
      return "ok";
    case verify_result::malformed:
      return "malformed";
    case verify_result::bad_signature:
      return "bad_signature";
    case verify_result::expired:
      return "expired";
  }
  return "unknown";
}

std::string signature(std::string_view secret, role r, std::string_view user,
                      std::int64_t exp_unix_s) {
  return hex_hmac(secret, r, user, std::to_string(exp_unix_s));
}

std::string sign(std::string_view secret, role r, std::string_view user,
                 std::int64_t exp_unix_s) {
  auto exp = std::to_string(exp_unix_s);
  return exp + "." + hex_hmac(secret, r, user, exp);
}

verify_result verify(std::string_view secret, role r, std::string_view user,
                     std::string_view token, std::int64_t now_unix_s) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos)
    return verify_result::malformed;
  auto exp_text = token.substr(0, dot);
  auto sig = token.substr(dot + 1);
  std::int64_t exp = 0;
  if (!parse_exp(exp_text, exp) || sig.size() != sig_hex_size
      || !is_lower_hex(sig))
    return verify_result::malformed;
  auto expected = hex_hmac(secret, r, user, exp_text);
  // Constant time: how far a forged signature matches must not show.
  if (CRYPTO_memcmp(expected.data(), sig.data(), sig_hex_size) != 0)
    return verify_result::bad_signature;
  if (now_unix_s >= exp)
    return verify_result::expired;
  return verify_result::ok;
}

} // namespace baton::engine::auth
