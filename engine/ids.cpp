#include "engine/ids.hpp"

#include <array>
#include <stdexcept>

#include <openssl/rand.h>

#include "engine/cluster/shards.hpp"

namespace baton::engine {
namespace {

constexpr char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int random_digits = 20; // 100 bits

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

id_generator::id_generator(std::string_view prefix) : prefix_(prefix) {
}

id_generator::id_generator(std::string_view prefix, std::uint64_t seed)
  : prefix_(prefix), counter_(std::mt19937_64{seed}()) {
}

std::string id_generator::next(time_ms now) {
  return draw(now, 0);
}

std::string id_generator::next_in_shard(time_ms now, std::uint32_t shard,
                                        std::uint32_t count) {
  if (count <= 1)
    return next(now);
  const int chosen = digits_to_choose(count);
  const std::uint64_t choices = 1ULL << (5 * chosen);
  // With a power of two shards, the low bits of the hash decide, and for
  // some heads no tail may reach a shard: another draw has another head.
  for (int tries = 0; tries < 64; ++tries) {
    auto id = draw(now, chosen);
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

std::string id_generator::draw(time_ms now, int chosen) {
  std::string id;
  id.reserve(prefix_.size() + 10 + random_digits);
  id += prefix_;
  append_base32(id, static_cast<std::uint64_t>(now), 10);
  if (counter_) {
    // The counter goes above the digits to choose: ids stay unique for
    // 2^39 draws and more.
    append_base32(id, 0, random_digits - 13);
    append_base32(id, (*counter_)++ << (5 * chosen), 13);
    return id;
  }
  std::array<std::uint64_t, 2> bits{};
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bits.data()), sizeof bits)
      != 1)
    throw std::runtime_error("no randomness from the system's CSPRNG");
  append_base32(id, bits[0], random_digits / 2); // 50 bits each
  append_base32(id, bits[1], random_digits / 2);
  id.resize(id.size() - static_cast<std::size_t>(chosen));
  append_base32(id, 0, chosen);
  return id;
}

id_generator make_id_generator(std::string_view prefix, std::uint64_t seed) {
  return seed == 0 ? id_generator(prefix) : id_generator(prefix, seed);
}

} // namespace baton::engine
