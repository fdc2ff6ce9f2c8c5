#include "engine/ids.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

#include <openssl/rand.h>

#include "engine/cluster/shards.hpp"

namespace baton::engine {
namespace {

constexpr char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int time_digits = 10;
constexpr int random_digits = 20; // 100 bits
/// Counted (and seeded), the first 3 of those 20 count the ids made before
/// in the millisecond: ids of one millisecond sort by when they were made.
constexpr int count_digits = 3;
constexpr std::uint64_t largest_count = (1ULL << (5 * count_digits)) - 1;

/// The value of a digit written by append_base32; -1 for any other char.
int base32_value(char c) {
  static constexpr std::string_view digits = crockford;
  auto i = digits.find(c);
  return i == std::string_view::npos ? -1 : static_cast<int>(i);
}

/// The value of `digits`, each a base32 digit; nullopt if one is not.
std::optional<std::uint64_t> read_base32(std::string_view digits) {
  std::uint64_t value = 0;
  for (char c : digits) {
    auto digit = base32_value(c);
    if (digit < 0)
      return std::nullopt;
    value = value << 5 | static_cast<std::uint64_t>(digit);
  }
  return value;
}

void append_base32(std::string& out, std::uint64_t value, int digits) {
  for (int shift = (digits - 1) * 5; shift >= 0; shift -= 5)
    out.push_back(crockford[(value >> shift) & 31]);
}

/// How many last digits to choose so that some choice falls in any one of
/// `count` shards but with odds of e^-64 against.
int digits_to_choose(std::uint32_t count) {
  int digits = 1;
  for (std::uint64_t choices = 32; choices < 64ULL * count; choices *= 32)
    ++digits;
  return digits;
}

} // namespace

id_generator::id_generator(std::string_view prefix, made_order order)
  : prefix_(prefix), order_(order) {
}

id_generator::id_generator(std::string_view prefix, std::uint64_t seed)
  : prefix_(prefix), counter_(std::mt19937_64{seed}()) {
}

std::uint64_t id_generator::made_before(time_ms now) {
  if (now != millisecond_) {
    millisecond_ = now;
    made_in_millisecond_ = 0;
  }
  // Past the largest, ids of that millisecond come in a random order.
  return std::min(made_in_millisecond_++, largest_count);
}

std::string id_generator::next(time_ms now) {
  return draw(now, 0, made_before(now));
}

std::string id_generator::next_in_shard(time_ms now, std::uint32_t shard,
                                        std::uint32_t count) {
  if (count <= 1)
    return next(now);
  const int chosen = digits_to_choose(count);
  const std::uint64_t choices = 1ULL << (5 * chosen);
  const auto before = made_before(now);
  // With a power of two shards, the low bits of the hash decide, and for
  // some heads no tail may reach a shard: another draw has another head.
  for (int tries = 0; tries < 64; ++tries) {
    auto id = draw(now, chosen, before);
    const auto head_size = id.size() - static_cast<std::size_t>(chosen);
    const auto head
      = cluster::id_hash(std::string_view{id}.substr(0, head_size));
    for (std::uint64_t pick = 0; pick < choices; ++pick) {
      std::uint64_t hash = head;
      for (int d = chosen - 1; d >= 0; --d) {
        hash ^= static_cast<unsigned char>(crockford[(pick >> (5 * d)) & 31]);
        hash *= 1099511628211ULL;
      }
      if (hash % count != shard)
        continue;
      id.resize(head_size);
      append_base32(id, pick, chosen);
      return id;
    }
  }
  throw std::runtime_error("no id falls in the shard");
}

std::string id_generator::draw(time_ms now, int chosen, std::uint64_t before) {
  std::string id;
  id.reserve(prefix_.size() + time_digits + random_digits);
  id += prefix_;
  append_base32(id, static_cast<std::uint64_t>(now), time_digits);
  if (counter_) {
    // The counter goes above the digits to choose: ids stay unique for
    // 2^39 draws and more.
    append_base32(id, before, count_digits);
    append_base32(id, 0, random_digits - count_digits - 13);
    append_base32(id, (*counter_)++ << (5 * chosen), 13);
    return id;
  }
  std::array<std::uint64_t, 2> bits{};
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bits.data()), sizeof bits)
      != 1)
    throw std::runtime_error("no randomness from the system's CSPRNG");
  int left = random_digits;
  if (order_ == made_order::counted) {
    append_base32(id, before, count_digits);
    left -= count_digits; // 85 bits
  }
  append_base32(id, bits[0], left / 2);
  append_base32(id, bits[1], left - left / 2);
  id.resize(id.size() - static_cast<std::size_t>(chosen));
  append_base32(id, 0, chosen);
  return id;
}

id_generator make_id_generator(std::string_view prefix, std::uint64_t seed,
                               made_order order) {
  return seed == 0 ? id_generator(prefix, order) : id_generator(prefix, seed);
}

std::uint64_t id_order(std::string_view id) {
  constexpr std::size_t read = time_digits + random_digits;
  if (id.size() < read)
    return 0;
  auto digits = id.substr(id.size() - read);
  auto time = read_base32(digits.substr(0, time_digits));
  // The count, then the 3 digits after it: 30 bits.
  auto after = read_base32(digits.substr(time_digits, 6));
  if (!time || !after || !read_base32(digits.substr(time_digits + 6)))
    return 0;
  constexpr std::uint64_t time_bits = (1ULL << 34) - 1;
  auto order = (*time & time_bits) << 30 | *after;
  // 0 asks for a number: the one id that reads 0 takes the next value.
  return order == 0 ? 1 : order;
}

} // namespace baton::engine
