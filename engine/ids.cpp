#include "engine/ids.hpp"

namespace baton::engine {
namespace {

constexpr char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void append_base32(std::string& out, std::uint64_t value, int digits) {
  for (int shift = (digits - 1) * 5; shift >= 0; shift -= 5)
    out.push_back(crockford[(value >> shift) & 31]);
}

} // namespace

id_generator::id_generator(std::string_view prefix, std::uint64_t seed)
  : prefix_(prefix) {
  std::mt19937_64 rng(seed);
  counter_ = rng();
}

std::string id_generator::next(time_ms now) {
  std::string id;
  id.reserve(prefix_.size() + 23);
  id += prefix_;
  append_base32(id, static_cast<std::uint64_t>(now), 10);
  append_base32(id, counter_++, 13);
  return id;
}

} // namespace baton::engine
