#include "engine/ids.hpp"

#include <array>
#include <stdexcept>

#include <openssl/rand.h>

namespace baton::engine {
namespace {

constexpr char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int random_digits = 20; // 100 bits

void append_base32(std::string& out, std::uint64_t value, int digits) {
  for (int shift = (digits - 1) * 5; shift >= 0; shift -= 5)
    out.push_back(crockford[(value >> shift) & 31]);
}

} // namespace

id_generator::id_generator(std::string_view prefix) : prefix_(prefix) {
}

id_generator::id_generator(std::string_view prefix, std::uint64_t seed)
  : prefix_(prefix), counter_(std::mt19937_64{seed}()) {
}

std::string id_generator::next(time_ms now) {
  std::string id;
  id.reserve(prefix_.size() + 10 + random_digits);
  id += prefix_;
  append_base32(id, static_cast<std::uint64_t>(now), 10);
  if (counter_) {
    append_base32(id, 0, random_digits - 13);
    append_base32(id, (*counter_)++, 13);
    return id;
  }
  std::array<std::uint64_t, 2> bits{};
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bits.data()), sizeof bits)
      != 1)
    throw std::runtime_error("no randomness from the system's CSPRNG");
  append_base32(id, bits[0], random_digits / 2); // 50 bits each
  append_base32(id, bits[1], random_digits / 2);
  return id;
}

id_generator make_id_generator(std::string_view prefix, std::uint64_t seed) {
  return seed == 0 ? id_generator(prefix) : id_generator(prefix, seed);
}

} // namespace baton::engine
