#pragma once

#include <cstdint>
#include <string>
#include <string_view>

/// The process log as operators read it (docs/operations.md): one line per
/// happening, a short message and `key=value` fields, written as text or as
/// JSON (`[log]`). Callers never format: values are quoted and escaped here,
/// so a user id with a space or a quote cannot forge a field. Tokens and
/// message text are never logged.
namespace baton::log {

enum class level { debug, info, warn, error };
enum class format { text, json };

/// What a line is about: one conversation, agent or queue. Text lines begin
/// `[conversation c-1] `, JSON lines carry `"conversation":"c-1"`, so an
/// operator follows one of them through the log with a single grep. Made
/// where the line is written, from ids the caller holds: nothing is kept.
struct context {
  std::string_view kind; ///< `conversation`, `agent` or `queue`
  std::string_view id;
};

/// Sets the lowest level written and the format. Until it is called:
/// warnings and errors only, as text.
void setup(level lowest, format f);

bool enabled(level l) noexcept;

/// One line, written when it goes out of scope (at the end of the
/// statement that builds it); nothing is built below the level.
class line {
public:
  line(level l, std::string_view message);
  /// Written whatever the level (`always`).
  line(level l, std::string_view message, bool always);
  /// About one conversation, agent or queue.
  line(level l, const context& about, std::string_view message);
  ~line();
  line(const line&) = delete;
  line& operator=(const line&) = delete;

  line& field(std::string_view key, std::string_view value);
  line& field(std::string_view key, const char* value) {
    return field(key, std::string_view(value));
  }
  line& field(std::string_view key, const std::string& value) {
    return field(key, std::string_view(value));
  }
  line& field(std::string_view key, std::int64_t value);
  line& field(std::string_view key, int value) {
    return field(key, static_cast<std::int64_t>(value));
  }
  line& field(std::string_view key, std::size_t value) {
    return field(key, static_cast<std::int64_t>(value));
  }

private:
  line(level l, const context* about, std::string_view message, bool always);

  /// `,"key":` or ` key=`, as the format writes it.
  void append_key(std::string_view key);

  level level_;
  bool on_;
  bool json_;        ///< the format when the line began: one line, one format
  std::string text_; ///< the message and fields, in the current format
};

inline line debug(std::string_view message) {
  return line(level::debug, message);
}
inline line info(std::string_view message) {
  return line(level::info, message);
}
inline line warn(std::string_view message) {
  return line(level::warn, message);
}
inline line error(std::string_view message) {
  return line(level::error, message);
}
inline line debug(const context& about, std::string_view message) {
  return line(level::debug, about, message);
}
inline line info(const context& about, std::string_view message) {
  return line(level::info, about, message);
}
inline line warn(const context& about, std::string_view message) {
  return line(level::warn, about, message);
}
inline line error(const context& about, std::string_view message) {
  return line(level::error, about, message);
}
/// At info, but written at any level: the few lines scripts read, such as
/// the port the server listens on.
inline line always(std::string_view message) {
  return line(level::info, message, true);
}

} // namespace baton::log
