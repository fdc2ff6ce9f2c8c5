#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

/// A bare supervisor token (`Bearer <token>`, docs/protocol.md) names no
/// user, so it is checked against each configured supervisor in turn: an
/// HMAC each. So that nobody on the internet can have an I/O thread sign
/// thousands of times per request, a bare token found good is remembered
/// (coming again, it costs one signature), and the searches for the others
/// share one budget of signatures per second across the server. Shared by
/// the I/O threads.
namespace baton::gateway {

class bare_token_guard {
public:
  /// 28 ms of CPU a second on the project's test machine (docs/security.md).
  static constexpr std::size_t default_signatures_per_second = 20'000;
  /// Tokens remembered; past this all are forgotten and found again.
  static constexpr std::size_t remembered_at_most = 1'024;

  explicit bare_token_guard(std::size_t signatures_per_second
                            = default_signatures_per_second);

  /// The supervisor `token` was last found good for, if remembered.
  std::optional<std::string> found_for(std::string_view token) const;
  void remember(std::string_view token, std::string supervisor);
  void forget(std::string_view token);

  /// A search may start at `now_unix_s` while the signatures of the
  /// searches before have been paid back by the seconds since.
  bool may_search(std::int64_t now_unix_s);
  /// A search at `now_unix_s` computed `signatures`: owed, perhaps more
  /// than a second's budget (the next search then waits longer).
  void searched(std::int64_t now_unix_s, std::size_t signatures);

private:
  /// Pays the debt back for the seconds up to `now_unix_s`.
  void repay(std::int64_t now_unix_s);

  const std::size_t per_second_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::string> found_;
  std::int64_t paid_up_to_ = 0;
  std::size_t owed_ = 0;
};

} // namespace baton::gateway
