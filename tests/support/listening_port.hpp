#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace baton::test_support {

/// The port of the first complete "listening" line of a server's log: as
/// text (`... listening address=HOST:PORT port=N`, also baton-echo's line)
/// or as JSON (`"msg":"listening",...,"port":N`). Nothing until that line
/// has its newline, or when its port is not 1 to 65535.
std::optional<std::uint16_t> listening_port(std::string_view log);

} // namespace baton::test_support
