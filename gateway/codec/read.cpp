#include "gateway/codec/read.hpp"

#include <limits>

#include "engine/types.hpp"

namespace baton::gateway::detail {
namespace {

std::string name_of(key k) {
  return quoted(key_name(k));
}

} // namespace

void field_reader::fail(std::string message) {
  if (error_.empty() && unsupported_.empty())
    error_ = std::move(message);
}

void field_reader::not_supported(std::string_view what) {
  if (error_.empty() && unsupported_.empty())
    unsupported_ = what;
}

std::optional<std::string_view> field_reader::string_of(key k, bool required) {
  const auto& s = f_[k];
  switch (s.k) {
    case slot::kind::string:
      return s.str;
    case slot::kind::absent:
      if (required)
        fail("missing field " + name_of(k));
      return std::nullopt;
    case slot::kind::null:
      // Many JSON writers send null for "not set": fine where optional.
      if (required)
        fail(name_of(k) + " must be a string, not null");
      return std::nullopt;
    default:
      fail(name_of(k) + " must be a string, not "
           + std::string(kind_name(s.k)));
      return std::nullopt;
  }
}

void field_reader::bad_value(key k, std::string_view got,
                             std::string_view allowed) {
  fail(name_of(k) + " must be one of " + std::string(allowed) + ", not "
       + quoted(got));
}

std::string field_reader::id(key k) {
  auto s = string_of(k, true);
  if (!s)
    return {};
  if (!engine::is_valid_id(*s)) {
    fail(name_of(k)
         + " must be an identifier: 1-64 characters from A-Z a-z 0-9 _ . : "
           "@ -");
    return {};
  }
  return std::string(*s);
}

std::string field_reader::optional_id(key k) {
  return has(k) ? id(k) : std::string{};
}

std::string field_reader::text(key k, std::size_t max_bytes) {
  auto s = string_of(k, true);
  if (!s)
    return {};
  if (s->empty()) {
    fail(name_of(k) + " must not be empty");
    return {};
  }
  if (max_bytes != 0 && s->size() > max_bytes) {
    fail(name_of(k) + " is longer than " + std::to_string(max_bytes)
         + " bytes");
    return {};
  }
  return std::string(*s);
}

std::string field_reader::optional_text(key k, std::size_t max_bytes) {
  return has(k) ? text(k, max_bytes) : std::string{};
}

std::optional<std::uint64_t> field_reader::optional_seq(key k) {
  const auto& s = f_[k];
  switch (s.k) {
    case slot::kind::absent:
    case slot::kind::null:
      return std::nullopt;
    case slot::kind::integer:
      if (s.i >= 0)
        return static_cast<std::uint64_t>(s.i);
      break;
    case slot::kind::uinteger:
      return s.u;
    default:
      break;
  }
  fail(name_of(k) + " must be a non-negative integer");
  return std::nullopt;
}

std::uint32_t field_reader::bounded(key k, std::uint32_t lo, std::uint32_t hi,
                                    std::uint32_t fallback) {
  const auto& s = f_[k];
  if (s.k == slot::kind::absent || s.k == slot::kind::null)
    return fallback;
  if (s.k == slot::kind::integer && s.i >= lo && s.i <= hi)
    return static_cast<std::uint32_t>(s.i);
  fail(name_of(k) + " must be an integer from " + std::to_string(lo) + " to "
       + std::to_string(hi));
  return fallback;
}

std::string field_reader::attributes_name(std::size_t max_bytes) {
  const auto& s = f_[key::attributes];
  if (s.k == slot::kind::absent || s.k == slot::kind::null)
    return {};
  if (s.k != slot::kind::object) {
    fail("'attributes' must be an object of strings, not "
         + std::string(kind_name(s.k)));
    return {};
  }
  if (!f_.attributes_all_strings) {
    fail("'attributes' must be an object of strings: "
         + quoted(f_.attributes_bad_key) + " is not a string");
    return {};
  }
  if (!f_.attributes_name)
    return {};
  if (f_.attributes_name->empty()) {
    fail("'attributes.name' must not be empty");
    return {};
  }
  if (f_.attributes_name->size() > max_bytes) {
    fail("'attributes.name' is longer than " + std::to_string(max_bytes)
         + " bytes");
    return {};
  }
  return std::string(*f_.attributes_name);
}

bool field_reader::flag(key k) {
  const auto& s = f_[k];
  if (s.k == slot::kind::boolean)
    return s.b;
  if (!s.given())
    fail("missing field " + name_of(k));
  else
    fail(name_of(k) + " must be a boolean, not " + std::string(kind_name(s.k)));
  return false;
}

std::vector<std::string> field_reader::queue_ids() {
  const auto& s = f_[key::queues];
  if (!s.given())
    return {};
  if (s.k != slot::kind::array || !f_.queues_all_strings) {
    fail("'queues' must be an array of queue ids");
    return {};
  }
  std::vector<std::string> out;
  out.reserve(f_.queues_items.size());
  for (auto q : f_.queues_items) {
    if (!engine::is_valid_id(q)) {
      fail("'queues' must be an array of queue ids: " + quoted(q)
           + " is not an identifier");
      return {};
    }
    out.emplace_back(q);
  }
  return out;
}

} // namespace baton::gateway::detail
