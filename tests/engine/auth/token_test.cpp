#include "engine/auth/token.hpp"

#include <gtest/gtest.h>

namespace baton::engine::auth {
namespace {

constexpr std::int64_t exp = 1767225600; // 2026-01-01T00:00:00Z

TEST(TokenTest, SignThenVerifyRoundTrips) {
  auto token = sign("s3cr3t", role::agent, "alice", exp);
  EXPECT_EQ(verify("s3cr3t", role::agent, "alice", token, exp - 1),
            verify_result::ok);
}

TEST(TokenTest, MatchesAnIndependentlyComputedVector) {
  // printf 'agent\nalice\n1767225600' | openssl dgst -sha256 -hmac change-me
  auto token = sign("change-me", role::agent, "alice", exp);
  EXPECT_EQ(token,
            "1767225600."
            "df18cae435f1a15807d6ae9b37660f674804bfa68ba1bfd309b168318323"
            "cecc");
  // printf 'customer\nv-42\n2000000000' | openssl dgst -sha256 -hmac s3cr3t
  EXPECT_EQ(signature("s3cr3t", role::customer, "v-42", 2000000000),
            "7e6f36f7b320df11c246f0e14a5b721d997fe01414b85b4f99eb9bc172f01c7f");
}

TEST(TokenTest, TamperedSignatureIsRejected) {
  auto token = sign("s3cr3t", role::agent, "alice", exp);
  token.back() = token.back() == '0' ? '1' : '0';
  EXPECT_EQ(verify("s3cr3t", role::agent, "alice", token, 0),
            verify_result::bad_signature);
}

TEST(TokenTest, TamperedExpiryIsRejected) {
  auto token = sign("s3cr3t", role::agent, "alice", exp);
  token[0] = '2'; // a later expiry with the old signature
  EXPECT_EQ(verify("s3cr3t", role::agent, "alice", token, 0),
            verify_result::bad_signature);
}

TEST(TokenTest, WrongRoleUserOrSecretIsRejected) {
  auto token = sign("s3cr3t", role::agent, "alice", exp);
  EXPECT_EQ(verify("s3cr3t", role::supervisor, "alice", token, 0),
            verify_result::bad_signature);
  EXPECT_EQ(verify("s3cr3t", role::agent, "bob", token, 0),
            verify_result::bad_signature);
  EXPECT_EQ(verify("other", role::agent, "alice", token, 0),
            verify_result::bad_signature);
}

TEST(TokenTest, ExpiredAtAndAfterExp) {
  auto token = sign("s3cr3t", role::customer, "v-1", exp);
  EXPECT_EQ(verify("s3cr3t", role::customer, "v-1", token, exp),
            verify_result::expired);
  EXPECT_EQ(verify("s3cr3t", role::customer, "v-1", token, exp + 3600),
            verify_result::expired);
}

TEST(TokenTest, ForgedExpiredTokenSaysBadSignature) {
  auto token = sign("wrong", role::agent, "alice", exp);
  EXPECT_EQ(verify("s3cr3t", role::agent, "alice", token, exp + 1),
            verify_result::bad_signature);
}

TEST(TokenTest, MalformedTokens) {
  auto good = sign("s3cr3t", role::agent, "alice", exp);
  auto sig = good.substr(good.find('.') + 1);
  std::string upper = good;
  for (auto i = upper.find('.') + 1; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  for (std::string bad :
       {std::string{}, std::string{"."}, sig, "1767225600" + sig,
        "1767225600." + sig + "0", "1767225600." + sig.substr(1), "." + sig,
        "-1." + sig, "+1767225600." + sig, "01767225600." + sig,
        "99999999999999999999." + sig, "17672x5600." + sig, upper,
        "1767225600." + sig.substr(0, 63) + "g"})
    EXPECT_EQ(verify("s3cr3t", role::agent, "alice", bad, 0),
              verify_result::malformed)
      << bad;
}

TEST(TokenTest, ResultNames) {
  EXPECT_EQ(to_string(verify_result::ok), "ok");
  EXPECT_EQ(to_string(verify_result::malformed), "malformed");
  EXPECT_EQ(to_string(verify_result::bad_signature), "bad_signature");
  EXPECT_EQ(to_string(verify_result::expired), "expired");
}

} // namespace
} // namespace baton::engine::auth
