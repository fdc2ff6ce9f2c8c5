#pragma once

#include <cstdint>
#include <string>
#include <string_view>

/// Send times that travel in frames and come back: in a message's text, so
/// the other side can tell how long it took ("t<ns> ..."), and in a request
/// id, so its reply's `re` can ("m<ns>"). Nanoseconds of the generator's
/// steady clock, read back by the same process.
namespace baton::bench {

/// Appends `tag` and the decimal `ns`.
void append_stamp(std::string& out, char tag, std::uint64_t ns);

/// The nanoseconds after `tag` at the start of `s` (up to a space or the
/// end); 0 when `s` carries no such stamp.
std::uint64_t stamp_of(std::string_view s, char tag) noexcept;

} // namespace baton::bench
