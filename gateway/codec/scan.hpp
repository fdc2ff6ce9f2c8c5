#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "gateway/codec/fields.hpp"

/// The JSON layer of the decoder (internal to gateway/codec): one pass over a
/// frame with simdjson on-demand that validates all of it and captures the
/// top-level fields any verb reads. decode.cpp turns those into requests.
/// simdjson stays inside scan.cpp, which alone pays for its header.
namespace baton::gateway::detail {

class scanner {
public:
  scanner();
  ~scanner();
  scanner(scanner&&) noexcept;
  scanner& operator=(scanner&&) noexcept;

  /// Parses and validates a whole frame (`data` has `capacity` readable
  /// bytes, at least frame_decoder::padding past `size`). Returns an error
  /// message for people, or nothing. Fields captured before a fault stay in
  /// `out` (so the error can echo `id`); they point into the parser, valid
  /// until the next scan.
  std::optional<std::string> scan(const char* data, std::size_t size,
                                  std::size_t capacity, frame_fields& out);

private:
  struct parser; ///< one simdjson parser, reused and grown only
  std::unique_ptr<parser> parser_;
};

} // namespace baton::gateway::detail
