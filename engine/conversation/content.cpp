#include "engine/conversation/content.hpp"

#include <ctime>
#include <deque>

#include "engine/preview.hpp"

namespace baton::engine {
namespace {

using text_key = config::text_key;

std::string format_utc(time_ms at, const char* pattern) {
  std::time_t seconds = at / 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char out[32];
  auto n = std::strftime(out, sizeof out, pattern, &parts);
  return std::string(out, n);
}

/// The last summary a bot left, if any.
std::string bot_summary(const std::vector<event>& log) {
  for (auto i = log.rbegin(); i != log.rend(); ++i)
    if (const auto* h = std::get_if<handed_off>(&i->body))
      return h->summary;
  return {};
}

void add_line(std::string& out, const std::string& line) {
  if (line.empty())
    return;
  if (!out.empty())
    out += '\n';
  out += line;
}

/// Text a client wrote, made one line of at most `preview_bytes`: a line
/// break (or any other control character, U+2028 and U+2029 too) becomes a
/// space, so a message cannot forge a line of the content ("Conversation
/// transferred by ...", a history line in someone else's name).
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      out += ' ';
    } else if (c == 0xE2 && i + 2 < text.size()
               && static_cast<unsigned char>(text[i + 1]) == 0x80
               && (static_cast<unsigned char>(text[i + 2]) == 0xA8
                   || static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
      out += ' ';
      i += 2;
    } else {
      out += text[i];
    }
  }
  return preview(out, preview_bytes);
}

void add_history(std::string& out, const std::vector<event>& log,
                 const config::config& cfg) {
  if (!cfg.transfer.include_history || cfg.transfer.history_lines <= 0)
    return;
  auto keep = static_cast<std::size_t>(cfg.transfer.history_lines);
  std::deque<const event*> lines;
  for (const auto& e : log) {
    const auto* m = std::get_if<message_posted>(&e.body);
    if (m == nullptr || m->visibility != visibility::all)
      continue;
    lines.push_back(&e);
    if (lines.size() > keep)
      lines.pop_front();
  }
  if (lines.empty())
    return;
  add_line(out, cfg.texts.get(text_key::history_header));
  for (const auto* e : lines) {
    const auto& m = std::get<message_posted>(e->body);
    add_line(out, cfg.texts.format(text_key::history_line,
                                   {{"name", one_line(m.from.name)},
                                    {"time", format_utc(e->ts, "%H:%M")},
                                    {"text", one_line(m.text)}}));
  }
}

} // namespace

std::string clock_text(time_ms at) {
  return format_utc(at, "%Y-%m-%d %H:%M UTC");
}

std::string transfer_content(const std::vector<event>& log,
                             const config::config& cfg,
                             const std::string& by_name, time_ms at,
                             const std::string& note) {
  std::string out;
  add_line(out,
           cfg.texts.format(text_key::transferred_by,
                            {{"agent", by_name}, {"time", clock_text(at)}}));
  add_line(out, one_line(note));
  add_line(out, one_line(bot_summary(log)));
  add_history(out, log, cfg);
  return out;
}

std::string handoff_content(const std::vector<event>& log,
                            const config::config& cfg,
                            const std::string& summary) {
  std::string out;
  add_line(out, one_line(summary));
  add_history(out, log, cfg);
  return out;
}

} // namespace baton::engine
