#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "gateway/http/route.hpp"

/// The web consoles' files (docs/consoles.md): read once from the build's
/// output directory into memory and served by exact URL path, so that no
/// request ever reaches the file system.
namespace baton::gateway {

/// One file, as it is answered.
struct static_file {
  std::string body;
  /// The precompressed body (`name.gz` beside the file), or empty.
  std::string gzip;
  std::string_view content_type;
  std::string_view cache_control;
  /// Quoted, as the header carries it; the gzipped body has its own, since
  /// it is another representation (RFC 9110 8.8.3).
  std::string etag;
  std::string gzip_etag;
  /// The page may be framed by any site: the widget's iframe.
  bool embeddable = false;
};

/// Bounds on what a directory may hold: a build writes a few dozen files.
inline constexpr std::size_t max_static_files = 1000;
inline constexpr std::size_t max_static_bytes = 64 << 20;

/// The consoles' files by URL path:
///   index.html      -> <prefix>/
///   NAME.html       -> <prefix>/NAME   (top level only)
///   any other file  -> <prefix>/<its path>
/// A `.gz` beside a file is its precompressed body, never served on its own.
/// Hidden files and types not in the content-type table are left out.
class static_files {
public:
  /// The files of `dir`, or why it cannot be served.
  static std::variant<static_files, std::string>
  load(const std::filesystem::path& dir, std::string_view prefix);

  const static_file* find(std::string_view path) const;
  std::size_t size() const noexcept {
    return files_.size();
  }
  /// "" or "/chat", as configured.
  const std::string& prefix() const noexcept {
    return prefix_;
  }

private:
  std::unordered_map<std::string, static_file> files_;
  std::string prefix_;
};

/// The content type of a file name, by extension; empty when not served.
std::string_view static_content_type(std::string_view file_name);

/// True when an `Accept-Encoding` value takes gzip (RFC 9110 12.5.3: a
/// `gzip` or `*` coding whose q is not 0).
bool accepts_gzip(std::string_view accept_encoding);

/// True when an `If-None-Match` value names `etag` (or is `*`); weak
/// validators compare as strong ones, as GET allows.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

/// The answer to `req` when its path is one of the consoles': the file (200,
/// or 304 when the client has it), 405 for a method but GET and HEAD, or a
/// redirect from the bare prefix to `<prefix>/`. Nullopt otherwise: the
/// request goes to route_request, which answers the API paths and the 404.
std::optional<http_route> serve_static(const static_files& files,
                                       const http_request_info& req);

} // namespace baton::gateway
