#include "log/log.hpp"

#include <atomic>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace baton::log {
namespace {

std::atomic<level> lowest_level{level::warn};
std::atomic<format> current_format{format::text};

spdlog::level::level_enum to_spdlog(level l) {
  switch (l) {
    case level::debug:
      return spdlog::level::debug;
    case level::info:
      return spdlog::level::info;
    case level::warn:
      return spdlog::level::warn;
    case level::error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

spdlog::logger& logger() {
  // stderr, unbuffered and thread-safe: lines of concurrent sessions never
  // interleave.
  static auto instance = [] {
    auto l = std::make_shared<spdlog::logger>(
      "baton", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_level(spdlog::level::trace);
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %-5l %v");
    return l;
  }();
  return *instance;
}

/// JSON string escaping (RFC 8259): quotes, backslashes and control
/// characters; everything else, UTF-8 included, as it is.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

/// A text value stays bare when it is plain (ids, addresses, numbers);
/// anything with a space, quote, `=`, bracket or control character is
/// quoted.
void append_text_value(std::string& out, std::string_view s) {
  bool plain = !s.empty();
  for (unsigned char c : s)
    if (c <= 0x20 || c == '"' || c == '=' || c == '\\' || c == '[' || c == ']'
        || c == 0x7f)
      plain = false;
  if (plain)
    out += s;
  else
    append_json_string(out, s);
}

} // namespace

void setup(level lowest, format f) {
  lowest_level = lowest;
  current_format = f;
  logger().set_pattern(f == format::json
                         ? R"({"ts":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l",%v})"
                         : "%Y-%m-%dT%H:%M:%S.%e%z %-5l %v");
}

bool enabled(level l) noexcept {
  return l >= lowest_level.load(std::memory_order_relaxed);
}

line::line(level l, std::string_view message)
  : line(l, nullptr, message, false) {
}

line::line(level l, std::string_view message, bool always)
  : line(l, nullptr, message, always) {
}

line::line(level l, const context& about, std::string_view message)
  : line(l, &about, message, false) {
}

line::line(level l, const context* about, std::string_view message, bool always)
  : level_(l),
    on_(always || enabled(l)),
    json_(current_format == format::json) {
  if (!on_)
    return;
  if (json_) {
    if (about) {
      append_json_string(text_, about->kind);
      text_ += ':';
      append_json_string(text_, about->id);
      text_ += ',';
    }
    text_ += "\"msg\":";
    append_json_string(text_, message);
    return;
  }
  if (about) {
    // The id quoted like a field value when it is not plain, so a hostile
    // id cannot close the bracket and forge what follows.
    text_ += '[';
    text_ += about->kind;
    text_ += ' ';
    append_text_value(text_, about->id);
    text_ += "] ";
  }
  text_ += message;
}

void line::append_key(std::string_view key) {
  if (json_) {
    text_ += ',';
    append_json_string(text_, key);
    text_ += ':';
  } else {
    text_ += ' ';
    text_ += key;
    text_ += '=';
  }
}

line& line::field(std::string_view key, std::string_view value) {
  if (!on_)
    return *this;
  append_key(key);
  if (json_)
    append_json_string(text_, value);
  else
    append_text_value(text_, value);
  return *this;
}

line& line::field(std::string_view key, std::int64_t value) {
  if (!on_)
    return *this;
  append_key(key);
  text_ += std::to_string(value);
  return *this;
}

line::~line() {
  if (on_)
    logger().log(to_spdlog(level_), "{}", text_);
}

} // namespace baton::log
