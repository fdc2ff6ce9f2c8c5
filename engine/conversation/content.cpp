#include "engine/conversation/content.hpp"

#include <ctime>
#include <deque>

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
                                   {{"name", m.from.name},
                                    {"time", format_utc(e->ts, "%H:%M")},
                                    {"text", m.text}}));
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
  add_line(out, note);
  add_line(out, bot_summary(log));
  add_history(out, log, cfg);
  return out;
}

std::string handoff_content(const std::vector<event>& log,
                            const config::config& cfg,
                            const std::string& summary) {
  std::string out;
  add_line(out, summary);
  add_history(out, log, cfg);
  return out;
}

} // namespace baton::engine
