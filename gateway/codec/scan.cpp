#include "gateway/codec/scan.hpp"

#include <algorithm>
#include <bit>
#include <utility>

#include <simdjson.h>

#include "gateway/codec/decode.hpp"

namespace baton::gateway::detail {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

static_assert(frame_decoder::padding >= simdjson::SIMDJSON_PADDING);

/// Our own depth limit: on-demand keeps no depth limit of its own, and the
/// validation below recurses.
constexpr error_code too_deep = simdjson::DEPTH_ERROR;

std::string fault(error_code e, std::string_view field) {
  auto in = field.empty() ? std::string{} : " in " + quoted(field);
  switch (e) {
    case simdjson::EMPTY:
      return "empty frame: expected a JSON object";
    case simdjson::UTF8_ERROR:
      return "frame is not valid UTF-8";
    case simdjson::UNESCAPED_CHARS:
      return "frame is not valid JSON: unescaped control character in a "
             "string";
    case simdjson::UNCLOSED_STRING:
      return "frame is not valid JSON: unclosed string";
    case simdjson::NUMBER_ERROR:
      return "invalid or out-of-range number" + in;
    case simdjson::STRING_ERROR:
      return "invalid escape sequence in a string" + in;
    case too_deep:
      return "frame nests deeper than " + std::to_string(limits::max_nesting)
             + " levels";
    default:
      return "frame is not valid JSON" + in;
  }
}

/// Consumes one value whatever its type, checking all of it: on-demand
/// skips what nobody reads without validating it. `depth` is the value's
/// nesting level (the frame object is 1, its fields' values 2).
error_code validate(od::value v, int depth) noexcept {
  od::json_type t;
  if (auto e = v.type().get(t))
    return e;
  switch (t) {
    case od::json_type::array: {
      if (depth > limits::max_nesting)
        return too_deep;
      od::array a;
      if (auto e = v.get_array().get(a))
        return e;
      for (auto item : a) {
        od::value x;
        if (auto e = item.get(x))
          return e;
        if (auto e = validate(x, depth + 1))
          return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::object: {
      if (depth > limits::max_nesting)
        return too_deep;
      od::object o;
      if (auto e = v.get_object().get(o))
        return e;
      for (auto f : o) {
        od::field fld;
        if (auto e = std::move(f).get(fld))
          return e;
        std::string_view k;
        if (auto e = fld.unescaped_key().get(k))
          return e;
        if (auto e = validate(fld.value(), depth + 1))
          return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      od::number n;
      return v.get_number().get(n);
    }
    case od::json_type::string: {
      std::string_view s;
      return v.get_string().get(s);
    }
    case od::json_type::boolean: {
      bool b;
      return v.get_bool().get(b);
    }
    case od::json_type::null: {
      bool null = false;
      if (auto e = v.is_null().get(null))
        return e;
      return null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

/// `attributes`: an object of strings; only `name` is kept.
error_code capture_attributes(od::value v, frame_fields& out) noexcept {
  od::object o;
  if (auto e = v.get_object().get(o))
    return e;
  for (auto f : o) {
    od::field fld;
    if (auto e = std::move(f).get(fld))
      return e;
    std::string_view k;
    if (auto e = fld.unescaped_key().get(k))
      return e;
    od::value x = fld.value();
    od::json_type t;
    if (auto e = x.type().get(t))
      return e;
    if (t == od::json_type::string) {
      std::string_view s;
      if (auto e = x.get_string().get(s))
        return e;
      if (k == "name")
        out.attributes_name = s;
      continue;
    }
    if (out.attributes_all_strings) {
      out.attributes_all_strings = false;
      out.attributes_bad_key = k;
    }
    if (auto e = validate(x, 3))
      return e;
  }
  return simdjson::SUCCESS;
}

/// `queues`: an array of strings, kept in order.
error_code capture_queues(od::value v, frame_fields& out) noexcept {
  od::array a;
  if (auto e = v.get_array().get(a))
    return e;
  for (auto item : a) {
    od::value x;
    if (auto e = item.get(x))
      return e;
    od::json_type t;
    if (auto e = x.type().get(t))
      return e;
    if (t != od::json_type::string) {
      out.queues_all_strings = false;
      if (auto e = validate(x, 3))
        return e;
      continue;
    }
    std::string_view s;
    if (auto e = x.get_string().get(s))
      return e;
    out.queues_items.push_back(s);
  }
  return simdjson::SUCCESS;
}

error_code capture(od::value v, key k, slot& s, frame_fields& out) noexcept {
  od::json_type t;
  if (auto e = v.type().get(t))
    return e;
  switch (t) {
    case od::json_type::string:
      s.k = slot::kind::string;
      return v.get_string().get(s.str);
    case od::json_type::number: {
      od::number n;
      if (auto e = v.get_number().get(n))
        return e;
      switch (n.get_number_type()) {
        case od::number_type::signed_integer:
          s.k = slot::kind::integer;
          s.i = n.get_int64();
          break;
        case od::number_type::unsigned_integer:
          s.k = slot::kind::uinteger;
          s.u = n.get_uint64();
          break;
        case od::number_type::floating_point_number:
          s.k = slot::kind::floating;
          break;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean:
      s.k = slot::kind::boolean;
      return v.get_bool().get(s.b);
    case od::json_type::null: {
      bool null = false;
      if (auto e = v.is_null().get(null))
        return e;
      s.k = slot::kind::null;
      return null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    case od::json_type::object:
      s.k = slot::kind::object;
      if (k == key::attributes)
        return capture_attributes(v, out);
      return validate(v, 2);
    case od::json_type::array:
      s.k = slot::kind::array;
      if (k == key::queues)
        return capture_queues(v, out);
      return validate(v, 2);
  }
  return simdjson::TAPE_ERROR;
}

} // namespace

struct scanner::parser {
  od::parser json;

  /// Room for a frame of `size` bytes. simdjson's own growth keeps its
  /// default depth of 1024, whose stacks (9 KiB) only its DOM parser uses:
  /// on-demand has no depth limit of its own (validate() is ours), so a
  /// session's parser asks for the depth frames may have and saves them.
  error_code fit(std::size_t size) noexcept {
    if (json.capacity() >= size && json.max_depth() == depth)
      return simdjson::SUCCESS;
    return json.allocate(std::bit_ceil(std::max(size, smallest)), depth);
  }

  static constexpr std::size_t depth = limits::max_nesting + 1;
  static constexpr std::size_t smallest = 256;
};

scanner::scanner() : parser_(std::make_unique<parser>()) {
}
scanner::~scanner() = default;
scanner::scanner(scanner&&) noexcept = default;
scanner& scanner::operator=(scanner&&) noexcept = default;

std::optional<std::string> scanner::scan(const char* data, std::size_t size,
                                         std::size_t capacity,
                                         frame_fields& out) {
  if (auto e = parser_->fit(size))
    return fault(e, {});
  od::document doc;
  if (auto e = parser_->json.iterate(data, size, capacity).get(doc))
    return fault(e, {});
  od::json_type t;
  if (auto e = doc.type().get(t))
    return fault(e, {});
  if (t != od::json_type::object)
    return std::string{"frame must be a JSON object"};
  od::object obj;
  if (auto e = doc.get_object().get(obj))
    return fault(e, {});
  for (auto f : obj) {
    od::field fld;
    if (auto e = std::move(f).get(fld))
      return fault(e, {});
    std::string_view name;
    if (auto e = fld.unescaped_key().get(name))
      return fault(e, {});
    auto k = find_key(name);
    if (!k) {
      if (auto e = validate(fld.value(), 2))
        return fault(e, name);
      continue;
    }
    auto& s = out[*k];
    if (s.k != slot::kind::absent)
      return "duplicate field " + quoted(name);
    if (auto e = capture(fld.value(), *k, s, out))
      return fault(e, name);
  }
  // After the object, the iterator must be at the end: anything left is
  // trailing garbage ("{...} x", "{...}}").
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
    return std::string{"unexpected data after the JSON object"};
  return std::nullopt;
}

} // namespace baton::gateway::detail
