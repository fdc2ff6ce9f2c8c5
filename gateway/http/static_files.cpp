#include "gateway/http/static_files.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <utility>

#include <boost/json.hpp>

namespace baton::gateway {
namespace {

namespace fs = std::filesystem;

/// Hashed names (`assets/widget-3F2A.js`) change with their content: a
/// year, never revalidated. Everything else (the pages, the loader whose
/// URL shops embed) is revalidated on every use.
constexpr std::string_view immutable = "public, max-age=31536000, immutable";
constexpr std::string_view revalidate = "no-cache";
constexpr std::string_view hashed_dir = "assets/";

/// No inline script or style anywhere; the socket is the page's own host
/// ('self' covers ws: and wss: there, CSP Level 3).
constexpr std::string_view csp_common
  = "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; frame-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors ";

/// Longer targets are no file of ours; refused before any lookup.
constexpr std::size_t max_target = 2048;

struct extension_type {
  std::string_view extension;
  std::string_view content_type;
};

constexpr std::array<extension_type, 11> content_types{{
  {".html", "text/html; charset=utf-8"},
  {".js", "text/javascript; charset=utf-8"},
  {".css", "text/css; charset=utf-8"},
  {".svg", "image/svg+xml"},
  {".png", "image/png"},
  {".ico", "image/x-icon"},
  {".json", "application/json"},
  {".map", "application/json"},
  {".txt", "text/plain; charset=utf-8"},
  {".woff2", "font/woff2"},
  {".webmanifest", "application/manifest+json"},
}};

std::string_view trim(std::string_view s) {
  auto not_space = [](char c) { return c != ' ' && c != '\t'; };
  auto b = std::find_if(s.begin(), s.end(), not_space);
  auto e = std::find_if(s.rbegin(), s.rend(), not_space).base();
  return b < e ? std::string_view{b, e} : std::string_view{};
}

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return lower(x) == lower(y);
  });
}

/// Calls `f` with each trimmed, non-empty item of a comma-separated list.
template <class F>
void each_item(std::string_view list, F f) {
  while (!list.empty()) {
    auto comma = list.find(',');
    auto item = trim(list.substr(0, comma));
    if (!item.empty())
      f(item);
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
}

/// A strong validator from the content: FNV-1a, enough to tell builds apart.
std::string etag_of(std::string_view body) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  constexpr std::string_view hex = "0123456789abcdef";
  std::string out = "\"";
  for (int shift = 60; shift >= 0; shift -= 4)
    out += hex[(h >> shift) & 0xf];
  return out + '"';
}

std::optional<std::string> read_whole(const fs::path& file) {
  std::ifstream in{file, std::ios::binary};
  if (!in)
    return std::nullopt;
  return std::string{std::istreambuf_iterator<char>{in}, {}};
}

/// The URL path of a file, by its path under the directory ('/'-separated).
std::string url_of(std::string_view prefix, std::string_view rel) {
  std::string path{prefix};
  if (rel == "index.html")
    return path + "/";
  if (rel.find('/') == std::string_view::npos && rel.ends_with(".html"))
    return path + "/" + std::string{rel.substr(0, rel.size() - 5)};
  return path + "/" + std::string{rel};
}

/// The endpoints of docs/protocol.md: no file may hide one.
bool is_endpoint(std::string_view url) {
  return url == "/healthz" || url == "/readyz" || url == "/metrics"
         || url == "/v1" || url.starts_with("/v1/");
}

http_route method_not_allowed(std::string_view path) {
  http_route r;
  r.status = 405;
  r.content_type = application_json;
  r.body = boost::json::serialize(boost::json::object{
    {"code", "bad_request"},
    {"message", "the method is not allowed on " + std::string{path}
                  + ": use GET or HEAD"}});
  r.headers.push_back({"Allow", "GET, HEAD"});
  return r;
}

} // namespace

std::string_view static_content_type(std::string_view file_name) {
  for (const auto& [extension, type] : content_types)
    if (file_name.ends_with(extension))
      return type;
  return {};
}

bool accepts_gzip(std::string_view accept_encoding) {
  // An explicit `gzip` decides; else a `*`; else no.
  std::optional<bool> gzip;
  std::optional<bool> any;
  each_item(accept_encoding, [&](std::string_view item) {
    auto semi = item.find(';');
    auto coding = trim(item.substr(0, semi));
    bool refused = false;
    if (semi != std::string_view::npos) {
      auto param = trim(item.substr(semi + 1));
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q')
          && param[1] == '=')
        // q is 0, 0., 0.0, ... exactly when no digit is non-zero.
        refused = param.substr(2).find_first_of("123456789")
                  == std::string_view::npos;
    }
    if (iequals(coding, "gzip"))
      gzip = !refused;
    else if (coding == "*")
      any = !refused;
  });
  return gzip.value_or(any.value_or(false));
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  bool match = false;
  each_item(if_none_match, [&](std::string_view tag) {
    if (tag.starts_with("W/"))
      tag.remove_prefix(2);
    match = match || tag == "*" || tag == etag;
  });
  return match;
}

std::variant<static_files, std::string>
static_files::load(const fs::path& dir, std::string_view prefix) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return "no such directory: " + dir.string();
  static_files out;
  out.prefix_ = prefix;
  std::unordered_map<std::string, std::string> gzipped; // by plain rel path
  std::size_t total = 0;
  // Symbolic links are not followed: only what the build wrote is served.
  fs::recursive_directory_iterator it{dir, ec}, end;
  for (; !ec && it != end; it.increment(ec)) {
    const auto& entry = *it;
    auto name = entry.path().filename().string();
    if (name.starts_with(".")) {
      if (entry.is_directory(ec))
        it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec))
      continue;
    auto rel = entry.path().lexically_relative(dir).generic_string();
    bool is_gzip = rel.ends_with(".gz");
    auto plain = is_gzip ? rel.substr(0, rel.size() - 3) : rel;
    auto type = static_content_type(plain);
    if (type.empty())
      continue;
    if (out.files_.size() + gzipped.size() >= max_static_files)
      return "more than " + std::to_string(max_static_files) + " files in "
             + dir.string();
    auto body = read_whole(entry.path());
    if (!body)
      return "cannot read " + entry.path().string();
    total += body->size();
    if (total > max_static_bytes)
      return "more than " + std::to_string(max_static_bytes >> 20) + " MiB in "
             + dir.string();
    if (is_gzip) {
      gzipped[plain] = std::move(*body);
      continue;
    }
    auto url = url_of(prefix, rel);
    if (is_endpoint(url))
      return rel + " would hide the endpoint " + url;
    static_file file;
    file.etag = etag_of(*body);
    file.body = std::move(*body);
    file.content_type = type;
    file.cache_control = rel.starts_with(hashed_dir) ? immutable : revalidate;
    file.embeddable = rel == "widget.html";
    out.files_.emplace(std::move(url), std::move(file));
  }
  if (ec)
    return "cannot list " + dir.string() + ": " + ec.message();
  for (auto& [rel, body] : gzipped)
    if (auto i = out.files_.find(url_of(prefix, rel)); i != out.files_.end()) {
      auto& file = i->second;
      file.gzip = std::move(body);
      file.gzip_etag = file.etag;
      file.gzip_etag.insert(file.gzip_etag.size() - 1, "-gzip");
    }
  return out;
}

const static_file* static_files::find(std::string_view path) const {
  auto i = files_.find(std::string{path});
  return i == files_.end() ? nullptr : &i->second;
}

std::optional<http_route> serve_static(const static_files& files,
                                       const http_request_info& req) {
  if (req.upgrade || req.target.size() > max_target)
    return std::nullopt;
  auto path = req.target.substr(0, req.target.find('?'));
  const auto& prefix = files.prefix();
  if (!prefix.empty() && path == prefix) {
    if (!req.get && !req.head)
      return method_not_allowed(path);
    http_route r;
    r.status = 308;
    r.headers.push_back({"Location", prefix + "/"});
    return r;
  }
  const auto* file = files.find(path);
  if (file == nullptr)
    return std::nullopt;
  if (!req.get && !req.head)
    return method_not_allowed(path);

  http_route r;
  r.content_type = file->content_type;
  r.headers.push_back({"Cache-Control", std::string{file->cache_control}});
  bool gzip = !file->gzip.empty() && accepts_gzip(req.accept_encoding);
  const auto& etag = gzip ? file->gzip_etag : file->etag;
  r.headers.push_back({"ETag", etag});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  r.headers.push_back({"Referrer-Policy", "same-origin"});
  r.headers.push_back(
    {"Content-Security-Policy",
     std::string{csp_common} + (file->embeddable ? "*" : "'self'")});
  if (!file->gzip.empty())
    r.headers.push_back({"Vary", "Accept-Encoding"});
  if (etag_matches(req.if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  if (gzip)
    r.headers.push_back({"Content-Encoding", "gzip"});
  r.body = gzip ? file->gzip : file->body;
  return r;
}

} // namespace baton::gateway
